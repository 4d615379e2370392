// Alertmanager API v2 response codecs. Golden bodies were captured from prometheus-alertmanager
// 0.25 (Debian) answering the same requests; herald must produce them byte for byte. The request
// side is in alertmanager_api_test.cc.
#include <catch2/catch.hpp>

#include "server/alertmanager_api.h"
#include "tests/server/alertmanager_api_util.h"

using herald::LabelSet;
using herald::WallTime;
using herald::server::ApiAlert;
using herald::server::ApiGroup;
using herald::server::QueryParams;
using herald::server::testing::kNow;
using herald::server::testing::M;
using herald::server::testing::T;
using namespace std::chrono_literals;

namespace {

herald::server::AlertsFilter filter(const QueryParams& params) {
  auto f = herald::server::parse_alerts_filter(params);
  REQUIRE(f);
  return *f;
}

// The two alerts of the captured session: A/critical/team=a (routes team-a and team-b) and
// A/warning/team=b, inhibited by the first.
ApiAlert critical_alert() {
  ApiAlert a;
  a.alert.labels = LabelSet{{"alertname", "A"}, {"severity", "critical"}, {"team", "a"}};
  a.alert.annotations = {{"summary", "s"}, {"e", ""}};
  a.alert.generator_url = "http://g/x";
  a.alert.starts_at = a.alert.updated_at = T("2026-11-23T11:17:38.708Z");
  a.alert.ends_at = T("2026-11-23T11:22:38.708Z");
  a.receivers = {"team-a", "team-b"};
  return a;
}

ApiAlert warning_alert() {
  ApiAlert a;
  a.alert.labels = LabelSet{{"alertname", "A"}, {"severity", "warning"}, {"team", "b"}};
  a.alert.starts_at = a.alert.updated_at = T("2026-11-23T11:17:38.708Z");
  a.alert.ends_at = T("2026-11-23T11:22:38.708Z");
  a.receivers = {"team-b"};
  a.inhibited_by = {0xcea107b8f6befe35};
  return a;
}

const WallTime kCaptured = T("2026-11-23T11:17:40Z");

const char* const kCriticalJson =
    R"({"annotations":{"e":"","summary":"s"},"endsAt":"2026-11-23T11:22:38.708Z","fingerprint":"cea107b8f6befe35","receivers":[{"name":"team-a"},{"name":"team-b"}],"startsAt":"2026-11-23T11:17:38.708Z","status":{"inhibitedBy":[],"silencedBy":[],"state":"active"},"updatedAt":"2026-11-23T11:17:38.708Z","generatorURL":"http://g/x","labels":{"alertname":"A","severity":"critical","team":"a"}})";
const char* const kWarningJson =
    R"({"annotations":{},"endsAt":"2026-11-23T11:22:38.708Z","fingerprint":"908ca31b564932cd","receivers":[{"name":"team-b"}],"startsAt":"2026-11-23T11:17:38.708Z","status":{"inhibitedBy":["cea107b8f6befe35"],"silencedBy":[],"state":"suppressed"},"updatedAt":"2026-11-23T11:17:38.708Z","labels":{"alertname":"A","severity":"warning","team":"b"}})";

}  // namespace

// ---- GET /api/v2/alerts ----

TEST_CASE("alertmanager api: alert filters parse as go-openapi binds them",
          "[app][alertmanager_api]") {
  auto [params, active] = GENERATE(table<QueryParams, bool>({
      {QueryParams{}, true},
      {{{"active", ""}}, true},
      {{{"active", "YES"}}, true},
      {{{"active", "on"}}, true},
      {{{"active", "1"}}, true},
      {{{"active", "false"}}, false},
      {{{"active", "0"}}, false},
      {{{"active", "maybe"}}, false},
      {{{"active", "false"}, {"active", "true"}}, true},
      {{{"active", "true"}, {"active", "false"}}, false},
  }));
  CHECK(filter(params).active == active);

  const auto f = filter({{"silenced", "false"},
                         {"inhibited", "f"},
                         {"unprocessed", "false"},
                         {"filter", R"(alertname="A")"},
                         {"filter", "team=~a|b"},
                         {"receiver", "team-.*"}});
  CHECK_FALSE(f.silenced);
  CHECK_FALSE(f.inhibited);
  CHECK_FALSE(f.unprocessed);
  CHECK(f.matchers == herald::Matchers{M(R"(alertname="A")"), M(R"(team=~"a|b")")});
  REQUIRE(f.receiver);
  CHECK(f.receiver->matches("team-a"));
  CHECK_FALSE(f.receiver->matches("x-team-a"));  // anchored
}

TEST_CASE("alertmanager api: bad filter parameters answer Alertmanager's 400 text",
          "[app][alertmanager_api]") {
  auto [params, want] = GENERATE(table<QueryParams, const char*>({
      {{{"filter", "a"}}, "bad matcher format: a"},
      {{{"filter", ""}}, "bad matcher format: "},
      {{{"filter", R"({a="x"})"}}, R"(bad matcher format: {a="x"})"},
      {{{"filter", R"(a="x")"}, {"filter", "b"}}, "bad matcher format: b"},
      {{{"filter", R"(a="x",b="y")"}},
       R"(matcher value contains unescaped double quote: "x",b="y")"},
      {{{"receiver", "("}},
       "failed to parse receiver param: error parsing regexp: missing closing ): `^(?:()$`"},
  }));
  auto f = herald::server::parse_alerts_filter(params);
  REQUIRE_FALSE(f);
  CHECK(f.error().message == want);
}

TEST_CASE("alertmanager api: keep applies each alert filter as getAlertsHandler does",
          "[app][alertmanager_api]") {
  ApiAlert active = critical_alert();
  ApiAlert inhibited = warning_alert();
  ApiAlert silenced = critical_alert();
  silenced.alert.labels.set("team", "c");
  silenced.silenced_by = {"s1"};
  ApiAlert resolved = critical_alert();
  resolved.alert.ends_at = kCaptured - 1ms;
  ApiAlert no_end = critical_alert();
  no_end.alert.ends_at = WallTime{};

  struct Case {
    QueryParams params;
    std::vector<bool> want;  // active, inhibited, silenced, resolved, no_end
  };
  auto c = GENERATE(values<Case>({
      {{}, {true, true, true, false, true}},
      {{{"active", "false"}}, {false, true, true, false, false}},
      {{{"silenced", "false"}}, {true, true, false, false, true}},
      {{{"inhibited", "false"}}, {true, false, true, false, true}},
      {{{"silenced", "false"}, {"inhibited", "false"}}, {true, false, false, false, true}},
      {{{"unprocessed", "false"}}, {true, true, true, false, true}},
      {{{"filter", "team=a"}}, {true, false, false, false, true}},
      {{{"filter", "team!=a"}}, {false, true, true, false, false}},
      {{{"filter", "team=~a|b"}, {"filter", "severity=warning"}},
       {false, true, false, false, false}},
      {{{"filter", "missing=\"\""}}, {true, true, true, false, true}},
      {{{"filter", "alertname!=\"\""}}, {true, true, true, false, true}},
      {{{"receiver", "team-a"}}, {true, false, true, false, true}},
      {{{"receiver", "team-.*"}, {"active", "false"}}, {false, true, true, false, false}},
      {{{"receiver", "TEAM-A"}}, {false, false, false, false, false}},
  }));
  const auto f = filter(c.params);
  const std::vector<bool> got = {keep(active, f, kCaptured), keep(inhibited, f, kCaptured),
                                 keep(silenced, f, kCaptured), keep(resolved, f, kCaptured),
                                 keep(no_end, f, kCaptured)};
  CHECK(got == c.want);
}

TEST_CASE("alertmanager api: gettableAlerts match Alertmanager's body byte for byte",
          "[app][alertmanager_api]") {
  ApiAlert resolved = critical_alert();
  resolved.alert.labels.set("team", "z");
  resolved.alert.ends_at = kCaptured - 1s;
  // Input order is not output order: Alertmanager sorts by fingerprint.
  const std::string body =
      herald::server::alerts_json({critical_alert(), resolved, warning_alert()}, kCaptured);
  CHECK(body == std::string("[") + kWarningJson + "," + kCriticalJson + "]\n");
  CHECK(herald::server::alerts_json({}, kCaptured) == "[]\n");
  CHECK(herald::server::alerts_json({critical_alert(), warning_alert()},
                                    filter({{"inhibited", "false"}}),
                                    kCaptured) == std::string("[") + kCriticalJson + "]\n");
}

TEST_CASE("alertmanager api: JSON strings are escaped as Go's encoding/json escapes them",
          "[app][alertmanager_api]") {
  ApiAlert a;
  a.alert.labels = LabelSet{{"alertname", "H<&>"}, {"x", "\xC3\xA9\xE2\x80\xA8"}};
  a.alert.annotations = {{"d", "<b>&amp;</b>\x01\x7f"}};
  a.alert.generator_url = "http://g/graph?a=1&b=<2>";
  a.alert.starts_at = a.alert.updated_at = T("2026-11-23T11:21:49.232Z");
  a.alert.ends_at = T("2026-11-23T11:26:49.232Z");
  a.receivers = {"default"};
  a.silenced_by = {"89401dc0-e3db-4160-9f78-69f3e11a6244"};
  CHECK(herald::server::alerts_json({a}, kCaptured) ==
        "[{\"annotations\":{\"d\":\"\\u003cb\\u003e\\u0026amp;\\u003c/b\\u003e\\u0001\x7f\"},"
        "\"endsAt\":\"2026-11-23T11:26:49.232Z\",\"fingerprint\":\"9b8052413d85d5a6\","
        "\"receivers\":[{\"name\":\"default\"}],\"startsAt\":\"2026-11-23T11:21:49.232Z\","
        "\"status\":{\"inhibitedBy\":[],\"silencedBy\":[\"89401dc0-e3db-4160-9f78-69f3e11a6244\"],"
        "\"state\":\"suppressed\"},\"updatedAt\":\"2026-11-23T11:21:49.232Z\","
        "\"generatorURL\":\"http://g/graph?a=1\\u0026b=\\u003c2\\u003e\","
        "\"labels\":{\"alertname\":\"H\\u003c\\u0026\\u003e\",\"x\":\"\xC3\xA9\\u2028\"}}]\n");

  ApiAlert ctl = critical_alert();
  ctl.alert.annotations = {{"c", "\b\f\n\r\t\"\\\xff"}};
  CHECK(herald::server::alerts_json({ctl}, kCaptured)
            .find(R"("annotations":{"c":"\u0008\u000c\n\r\t\"\\\ufffd"})") != std::string::npos);
}

// ---- GET /api/v2/alerts/groups ----

TEST_CASE("alertmanager api: alertGroups match Alertmanager's body byte for byte",
          "[app][alertmanager_api]") {
  const auto crit = critical_alert(), warn = warning_alert();
  const LabelSet group_labels{{"alertname", "A"}};
  const std::vector<ApiGroup> groups = {
      {group_labels, "team-b", {warn.alert.labels.fingerprint(), crit.alert.labels.fingerprint()}},
      {group_labels, "team-a", {crit.alert.labels.fingerprint()}},
  };
  std::string crit_in_b = kCriticalJson;  // unchanged: both groups hold it
  CHECK(herald::server::alert_groups_json(groups, {warn, crit}, filter({}), kCaptured) ==
        std::string(R"([{"alerts":[)") + kCriticalJson +
            R"(],"labels":{"alertname":"A"},"receiver":{"name":"team-a"}},{"alerts":[)" +
            crit_in_b + "," + kWarningJson +
            R"(],"labels":{"alertname":"A"},"receiver":{"name":"team-b"}}])" + "\n");

  // The receiver regex selects groups, and an alert lists only the selected groups' receivers.
  std::string crit_only_a = kCriticalJson;
  crit_only_a.replace(crit_only_a.find(R"(,{"name":"team-b"})"), 18, "");
  CHECK(herald::server::alert_groups_json(groups, {warn, crit}, filter({{"receiver", "team-a"}}),
                                          kCaptured) ==
        std::string(R"([{"alerts":[)") + crit_only_a +
            R"(],"labels":{"alertname":"A"},"receiver":{"name":"team-a"}}])" + "\n");

  // A group whose alerts are all filtered out is left out.
  CHECK(herald::server::alert_groups_json(groups, {warn, crit}, filter({{"filter", "team=b"}}),
                                          kCaptured)
            .find("team-a") == std::string::npos);
  CHECK(herald::server::alert_groups_json(groups, {}, filter({}), kCaptured) == "[]\n");
}

TEST_CASE("alertmanager api: groups sort by labels then receiver, alerts by job, instance, labels",
          "[app][alertmanager_api]") {
  auto mk = [](LabelSet ls) {
    ApiAlert a;
    a.alert.labels = std::move(ls);
    a.alert.starts_at = a.alert.updated_at = T("2026-11-23T11:00:00Z");
    return a;
  };
  const std::vector<ApiAlert> alerts = {
      mk({{"a", "1"}}),                                   // no job: after those with one
      mk({{"a", "1"}, {"job", "b"}}),                     //
      mk({{"a", "2"}, {"job", "a"}, {"instance", "y"}}),  //
      mk({{"a", "1"}, {"job", "a"}, {"instance", "x"}}),  //
      mk({{"z", "0"}, {"job", "a"}}),                     // job a, no instance: after instances
  };
  std::vector<herald::Fingerprint> fps;
  for (const ApiAlert& a : alerts)
    fps.push_back(a.alert.labels.fingerprint());
  const std::vector<ApiGroup> groups = {
      {LabelSet{{"g", "b"}}, "r", fps},
      {LabelSet{{"g", "a"}, {"h", "a"}}, "r", {fps[0]}},
      {LabelSet{{"g", "a"}}, "r2", {fps[0]}},
      {LabelSet{{"g", "a"}}, "r1", {fps[0]}},
  };
  const std::string body = herald::server::alert_groups_json(groups, alerts, filter({}), kNow);
  std::vector<std::string> order;
  for (size_t p = body.find(R"("fingerprint":")"); p != std::string::npos;
       p = body.find(R"("fingerprint":")", p + 1))
    order.push_back(body.substr(p + 15, 16));
  for (size_t p = body.find(R"("receiver":{"name":")"); p != std::string::npos;
       p = body.find(R"("receiver":{"name":")", p + 1))
    order.push_back(body.substr(p + 20, body.find('"', p + 20) - p - 20));
  auto hex = [&](size_t i) { return herald::fingerprint_hex(fps[i]); };
  CHECK(order == std::vector<std::string>{hex(0), hex(0), hex(3), hex(2), hex(4), hex(1), hex(0),
                                          hex(0), "r1", "r2", "r", "r"});
  // fps[0] sits in four groups: its receivers are sorted and repeated per group.
  CHECK(body.find(R"("receivers":[{"name":"r"},{"name":"r"},{"name":"r1"},{"name":"r2"}])") !=
        std::string::npos);
}

// ---- status ----

TEST_CASE("alertmanager api: status matches Alertmanager's body byte for byte",
          "[app][alertmanager_api]") {
  herald::server::StatusInput in;
  in.version = "0.25.0";
  in.revision = "0.25.0-1+b4";
  in.branch = "debian/sid";
  in.build_user = "team+pkg-go@tracker.debian.org";
  in.build_date = "20230409-09:50:43";
  in.go_version = "go1.19.8";
  in.config_original = "global:\n  resolve_timeout: 5m\nreceivers:\n- name: default\n";
  in.uptime = T("2026-11-23T11:17:33.284Z");
  CHECK(
      herald::server::status_json(in) ==
      R"({"cluster":{"peers":[],"status":"disabled"},"config":{"original":"global:\n  resolve_timeout: 5m\nreceivers:\n- name: default\n"},"uptime":"2026-11-23T11:17:33.284Z","versionInfo":{"branch":"debian/sid","buildDate":"20230409-09:50:43","buildUser":"team+pkg-go@tracker.debian.org","goVersion":"go1.19.8","revision":"0.25.0-1+b4","version":"0.25.0"}})"
      "\n");
}
