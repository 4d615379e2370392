// Alertmanager API v2 codecs. Golden bodies were captured from prometheus-alertmanager 0.25
// (Debian) answering the same requests; herald must produce them byte for byte.
#include "server/alertmanager_api.h"

#include <catch2/catch.hpp>

#include "tests/server/alertmanager_api_util.h"

using herald::Alert;
using herald::LabelSet;
using herald::WallTime;
using herald::server::ApiAlert;
using herald::server::ApiGroup;
using herald::server::ApiSilence;
using herald::server::QueryParams;
using herald::server::testing::kNow;
using herald::server::testing::M;
using herald::server::testing::T;
using namespace std::chrono_literals;

namespace {

constexpr herald::Duration kResolve = 5min;

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

// ---- time ----

TEST_CASE("alertmanager api: date-times parse as go-openapi's strfmt.DateTime",
          "[app][alertmanager_api]") {
  const WallTime base = T("2020-01-01T00:00:00Z");
  auto [text, want] = GENERATE_COPY(table<const char*, WallTime>({
      {"2020-01-01T00:00:00Z", base},
      {"2020-01-01T00:00:00.5Z", base + 500ms},
      {"2020-01-01T00:00:00,25Z", base + 250ms},
      {"2020-01-01T00:00:00.1234567891+05:30", base - 5h - 30min + 123456789ns},
      {"2020-01-01T00:00:00.123+0530", base - 5h - 30min + 123ms},
      {"2020-01-01T00:00:00.123456-0100", base + 1h + 123456us},
      {"2020-01-01T00:00:00", base},
      {"2020-01-01T00:00Z", base},
      {"2020-01-01T00:00", base},
      {"2020-01-01 00:00:00", base},
      {"2020-01-01T1:02:03Z", base + 1h + 2min + 3s},
      {"", WallTime{}},
      {"0001-01-01T00:00:00Z", WallTime{}},
      {"1970-01-01T00:00:00Z", WallTime{} + 1ns},  // a real time, not herald's "unset"
  }));
  INFO(text);
  auto t = herald::server::parse_api_datetime(text);
  REQUIRE(t);
  CHECK(*t == want);
}

TEST_CASE("alertmanager api: date-times Alertmanager refuses are refused",
          "[app][alertmanager_api]") {
  const char* text = GENERATE(
      "2020-01-01", "2020-01-01T00:00:00+0530", "2020-01-01T00:00:00.12+0530",
      "2020-01-01t00:00:00z", "2020-01-01 00:00:00Z", "2020-02-30T00:00:00Z",
      "2020-01-01T00:00:60Z", "2020-01-01T24:00:00Z", "2020-01-01T00:00+01:00",
      "2020-01-01T00:00:00.Z", "yesterday", "2020-01-01T00:00:00Zjunk", "9999-01-01T00:00:00Z");
  INFO(text);
  CHECK_FALSE(herald::server::parse_api_datetime(text));
}

TEST_CASE("alertmanager api: date-times render as RFC 3339 with milliseconds, truncated",
          "[app][alertmanager_api]") {
  CHECK(herald::server::format_api_datetime(T("2030-01-01T00:00:00.123456Z")) ==
        "2030-01-01T00:00:00.123Z");
  CHECK(herald::server::format_api_datetime(T("2020-01-01T00:00:00+02:00")) ==
        "2019-12-31T22:00:00.000Z");
  CHECK(herald::server::format_api_datetime(T("1969-12-31T23:59:59.9996Z")) ==
        "1969-12-31T23:59:59.999Z");
  CHECK(herald::server::format_api_datetime(WallTime{}) == "0001-01-01T00:00:00.000Z");
}

// ---- POST /api/v2/alerts ----

TEST_CASE("alertmanager api: receipt defaults for startsAt and endsAt", "[app][alertmanager_api]") {
  const WallTime kEpoch = WallTime{} + std::chrono::nanoseconds(1);
  struct Case {
    const char* times;
    WallTime starts, ends;
    bool timeout;
  };
  auto c = GENERATE_COPY(values<Case>({
      {"", kNow, kNow + kResolve, true},
      {R"(,"startsAt":null,"endsAt":null)", kNow, kNow + kResolve, true},
      {R"(,"startsAt":"","endsAt":"0001-01-01T00:00:00Z")", kNow, kNow + kResolve, true},
      {R"(,"startsAt":"2026-05-01T11:00:00Z")", T("2026-05-01T11:00:00Z"), kNow + kResolve, true},
      {R"(,"endsAt":"2026-05-01T13:00:00Z")", T("2026-05-01T13:00:00Z"), T("2026-05-01T13:00:00Z"),
       false},
      {R"(,"endsAt":"2001-01-01T00:00:00Z")", T("2001-01-01T00:00:00Z"), T("2001-01-01T00:00:00Z"),
       false},
      // The Unix epoch is a time, not "unset" (Alertmanager's zero is year 1): a resolved alert.
      {R"(,"endsAt":"1970-01-01T00:00:00Z")", kEpoch, kEpoch, false},
      {R"(,"startsAt":"2026-05-01T11:00:00Z","endsAt":"2026-05-01T11:30:00Z")",
       T("2026-05-01T11:00:00Z"), T("2026-05-01T11:30:00Z"), false},
  }));
  INFO(c.times);
  const std::string body = std::string(R"([{"labels":{"alertname":"A"})") + c.times + "}]";
  auto r = herald::server::parse_post_alerts(body, kNow, kResolve);
  REQUIRE(r.errors.empty());
  REQUIRE(r.alerts.size() == 1);
  CHECK(r.alerts[0].starts_at == c.starts);
  CHECK(r.alerts[0].ends_at == c.ends);
  CHECK(r.alerts[0].timeout == c.timeout);
  CHECK(r.alerts[0].updated_at == kNow);
}

TEST_CASE("alertmanager api: a posted alert keeps its fields; empty label values are dropped",
          "[app][alertmanager_api]") {
  auto r = herald::server::parse_post_alerts(
      R"([{"labels":{"alertname":"A","empty":"","nul":null,"k":"a","k":"b"},
           "annotations":{"summary":"s","e":"","n":null},"generatorURL":"http://g/graph?x=1",
           "extra":{"ignored":[1,2]}}])",
      kNow, kResolve);
  REQUIRE(r.errors.empty());
  REQUIRE(r.alerts.size() == 1);
  const Alert& a = r.alerts[0];
  CHECK(a.labels == LabelSet{{"alertname", "A"}, {"k", "b"}});
  CHECK(a.annotations == herald::Annotations{{"summary", "s"}, {"e", ""}, {"n", ""}});
  CHECK(a.generator_url == "http://g/graph?x=1");
}

TEST_CASE("alertmanager api: invalid UTF-8 in a posted value becomes U+FFFD, as Go decodes it",
          "[app][alertmanager_api]") {
  auto r = herald::server::parse_post_alerts("[{\"labels\":{\"k\":\"bad\xffutf\xe2\x82\"}}]", kNow,
                                             kResolve);
  REQUIRE(r.errors.empty());
  REQUIRE(r.alerts.size() == 1);
  CHECK(r.alerts[0].labels.get("k") == "bad\xEF\xBF\xBDutf\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("alertmanager api: each validation error drops its alert with Alertmanager's text",
          "[app][alertmanager_api]") {
  auto [alert, want] = GENERATE(table<const char*, const char*>({
      {R"({"labels":{}})", "at least one label pair required"},
      {R"({"labels":{"a":""}})", "at least one label pair required"},
      {R"({"labels":{"a":null}})", "at least one label pair required"},
      {R"({"labels":{"0a":"x"}})", R"(invalid label set: invalid name "0a")"},
      {R"({"labels":{"":"x"}})", R"(invalid label set: invalid name "")"},
      {R"({"labels":{"a-b":"x","a.b":"y"}})", R"(invalid label set: invalid name "a-b")"},
      {R"({"labels":{"a":"x"},"annotations":{"0bad":"x"}})",
       R"(invalid annotations: invalid name "0bad")"},
      {R"({"labels":{"b":"y"},"startsAt":"2030-01-01T00:00:00Z","endsAt":"2029-01-01T00:00:00Z"})",
       "start time must be before end time"},
      // A future start with a defaulted end (now + resolve_timeout) ends before it starts.
      {R"({"labels":{"b":"y"},"startsAt":"2030-01-01T00:00:00Z"})",
       "start time must be before end time"},
      // The time check comes first, as in model.Alert.Validate.
      {R"({"labels":{"0":"x"},"startsAt":"2030-01-01T00:00:00Z"})",
       "start time must be before end time"},
      // Empty values go before names are checked, so an invalid name with no value is fine…
      {R"({"labels":{"0":""}})", "at least one label pair required"},
  }));
  INFO(alert);
  auto r = herald::server::parse_post_alerts(std::string("[") + alert + "]", kNow, kResolve);
  CHECK_FALSE(r.body_refused);
  CHECK(r.alerts.empty());
  CHECK(r.error_text() == want);
}

TEST_CASE("alertmanager api: valid alerts are kept while invalid ones are reported",
          "[app][alertmanager_api]") {
  auto r = herald::server::parse_post_alerts(
      R"([{"labels":{"0a":"x"}},{"labels":{"a":"x"}},
          {"labels":{"b":"y"},"startsAt":"2030-01-01T00:00:00Z","endsAt":"2029-01-01T00:00:00Z"},
          {"labels":{"c":"z"},"startsAt":"2031-01-01T00:00:00Z","endsAt":"2031-01-01T00:00:00Z"}])",
      kNow, kResolve);
  CHECK_FALSE(r.body_refused);
  REQUIRE(r.alerts.size() == 2);
  CHECK(r.alerts[0].labels == LabelSet{{"a", "x"}});
  CHECK(r.alerts[1].labels == LabelSet{{"c", "z"}});  // startsAt == endsAt is allowed
  CHECK(r.error_text() ==
        R"(invalid label set: invalid name "0a"; start time must be before end time)");

  CHECK(herald::server::error_json(r.error_text()) ==
        "\"invalid label set: invalid name \\\"0a\\\"; start time must be before end time\"\n");

  auto none = herald::server::parse_post_alerts("[]", kNow, kResolve);
  CHECK(none.alerts.empty());
  CHECK(none.error_text().empty());
}

TEST_CASE("alertmanager api: a malformed body is refused as a whole, naming the field",
          "[app][alertmanager_api]") {
  auto [body, want] = GENERATE(table<const char*, const char*>({
      {"", "body: is required"},
      {"  \n", "body: is required"},
      {R"({"labels":{"a":"1"}})", "body: must be an array of alerts"},
      {R"([{"labels":{"a":"x"}},{}])", "[1].labels: is required"},
      {R"([{"labels":null}])", "[0].labels: is required"},
      {R"([{"labels":[]}])", "[0].labels: must be an object"},
      {R"([{"labels":{"a":"x"}},{"labels":{"a":"x"}},{"labels":{"severity":1}}])",
       "[2].labels.severity: must be a string"},
      {R"([{"labels":{"a":"x"},"annotations":{"d":true}}])", "[0].annotations.d: must be a string"},
      {R"([{"labels":{"a":"x"},"startsAt":5}])", "[0].startsAt: must be a string"},
      {R"([{"labels":{"a":"x"},"endsAt":"2020-01-01"}])",
       R"([0].endsAt: cannot parse "2020-01-01" as a date-time)"},
      {R"([{"labels":{"a":"x"},"generatorURL":7}])", "[0].generatorURL: must be a string"},
      {R"([1])", "[0]: must be an object"},
      {R"([null])", "[0]: must be an object"},
      // A number no double holds, anywhere: found by fuzz_am_alerts (it escaped as an exception).
      {R"([{"labels":{"a":"x"},"unknown":[1e400]}])",
       "invalid JSON: number overflow parsing '1e400'"},
  }));
  INFO(body);
  // The valid alert before the bad one is not kept either: go-openapi binds the body first.
  auto r = herald::server::parse_post_alerts(body, kNow, kResolve);
  CHECK(r.body_refused);
  CHECK(r.alerts.empty());
  CHECK(r.error_text() == want);
}

TEST_CASE("alertmanager api: invalid JSON is refused with the parser's position",
          "[app][alertmanager_api]") {
  auto r = herald::server::parse_post_alerts(R"([{"labels":{"a":"x"}})", kNow, kResolve);
  CHECK(r.body_refused);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].starts_with("invalid JSON: parse error at line 1, column "));
  CHECK(r.errors[0].find("unexpected end of input") != std::string::npos);
}

TEST_CASE("alertmanager api: generatorURL must parse as a URI (Go's url.Parse)",
          "[app][alertmanager_api]") {
  auto [url, ok] = GENERATE(table<const char*, bool>({
      {"", true},
      {"/relative/path", true},
      {"http://prometheus:9090/graph?g0.expr=up%7Bjob%3D%22x%22%7D&g0.tab=1", true},
      {"http://[::1]:9090/x", true},
      {"mailto:ops@example.com", true},
      {"not a url ::", false},
      {"http://h:bad/", false},
      {"http://h/%zz", false},
      {":nope", false},
      {"http://h h/", false},
      {"http://h/\\u0001", false},
      {"http://h/#%zz", false},
  }));
  INFO(url);
  const std::string body = std::string(R"([{"labels":{"a":"x"},"generatorURL":")") + url + "\"}]";
  auto r = herald::server::parse_post_alerts(body, kNow, kResolve);
  CHECK(r.body_refused == !ok);
  if (!ok) CHECK(r.error_text().starts_with("[0].generatorURL: must be a URI: "));
}

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

// ---- silences ----

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

TEST_CASE("alertmanager api: limits drop what exceeds them, naming the limit; the rest is kept",
          "[app][alertmanager_api]") {
  herald::server::AlertLimits limits;
  limits.max_alerts = 5;
  limits.max_labels = 2;
  limits.max_label_bytes = 16;
  limits.max_annotation_bytes = 32;
  limits.max_alert_bytes = 48;
  const auto post = [&](const std::string& body) {
    return herald::server::parse_post_alerts(body, kNow, kResolve, limits);
  };
  auto many = post(R"([{"labels":{"a":"1"}},{"labels":{"a":"2"}},{"labels":{"a":"3"}},)"
                   R"({"labels":{"a":"4"}},{"labels":{"a":"5"}},{"labels":{"a":"6"}}])");
  CHECK(many.too_large);
  CHECK(many.alerts.empty());
  CHECK(many.error_text() == "6 alerts in one request exceed the limit of 5");

  auto mixed = post(R"([{"labels":{"alertname":"Ok"}},)"
                    R"({"labels":{"a":"1","b":"2","c":"3"}},)"
                    R"({"labels":{"alertname":"xxxxxxxxxxxxxxxx"}},)"
                    R"({"labels":{"a":"1"},"annotations":{"s":")" +
                    std::string(40, 'x') +
                    R"("}},)"
                    R"({"labels":{"a":"1"},"annotations":{"s":")" +
                    std::string(25, 'x') + R"(","t":")" + std::string(25, 'x') + R"("}}])");
  CHECK(mixed.too_large);
  INFO(mixed.error_text());
  REQUIRE(mixed.alerts.size() == 1);
  CHECK(mixed.alerts[0].labels.get("alertname") == "Ok");
  REQUIRE(mixed.errors.size() == 4);
  CHECK(mixed.errors[0] == "labels: 3 exceeds the limit of 2");
  CHECK(mixed.errors[1] == "label alertname: bytes 25 exceeds the limit of 16");
  CHECK(mixed.errors[2] == "annotation s: bytes 41 exceeds the limit of 32");
  CHECK(mixed.errors[3] == "alert: bytes 54 exceeds the limit of 48");
}
