// Alertmanager API v2 request codecs: date-times, POST /api/v2/alerts as Alertmanager 0.25
// (Debian) validates it, and herald's limits. The response side is in
// alertmanager_api_render_test.cc.
#include "server/alertmanager_api.h"

#include <catch2/catch.hpp>

#include "tests/server/alertmanager_api_util.h"

using herald::Alert;
using herald::LabelSet;
using herald::WallTime;
using herald::server::testing::kNow;
using herald::server::testing::T;
using namespace std::chrono_literals;

namespace {

constexpr herald::Duration kResolve = 5min;

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
