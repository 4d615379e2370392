// Alertmanager API v2 silences: postableSilence parsing and errors, gettableSilence bytes, the
// list's order and the `filter` parameter (expected bodies captured from Alertmanager 0.25).
#include <catch2/catch.hpp>

#include "server/alertmanager_api.h"
#include "tests/server/alertmanager_api_util.h"

using herald::WallTime;
using herald::server::ApiSilence;
using herald::server::QueryParams;
using herald::server::testing::kNow;
using herald::server::testing::M;
using herald::server::testing::T;
using namespace std::chrono_literals;

namespace {

std::string silence_body(const char* matchers, const char* starts = "2026-05-01T11:00:00Z",
                         const char* ends = "2026-05-01T14:00:00Z") {
  return std::string(R"({"matchers":)") + matchers + R"(,"startsAt":")" + starts +
         R"(","endsAt":")" + ends + R"(","createdBy":"me","comment":"c"})";
}

}  // namespace

TEST_CASE("alertmanager api: a posted silence is read with isEqual defaulting to true",
          "[app][alertmanager_api]") {
  auto s =
      herald::server::parse_post_silence(silence_body(R"([{"name":"a","value":"x","isRegex":false},
                       {"name":"b","value":"y.*","isRegex":true,"isEqual":false},
                       {"name":"c","value":"z","isRegex":false,"isEqual":false},
                       {"name":"d","value":"w+","isRegex":true,"isEqual":true}])"),
                                         kNow);
  REQUIRE(s);
  CHECK(s->id.empty());
  CHECK(s->matchers == herald::Matchers{M("a=x"), M(R"(b!~"y.*")"), M("c!=z"), M(R"(d=~"w+")")});
  CHECK(s->starts_at == T("2026-05-01T11:00:00Z"));  // not clamped: the store does that
  CHECK(s->ends_at == T("2026-05-01T14:00:00Z"));
  CHECK(s->updated_at == kNow);
  CHECK(s->created_by == "me");
  CHECK(s->comment == "c");
  CHECK(s->state == "active");

  auto update = herald::server::parse_post_silence(
      R"({"id":"abc","matchers":[{"name":"a","value":"x","isRegex":false}],
          "startsAt":"2026-05-02T00:00:00Z","endsAt":"2026-05-03T00:00:00Z",
          "createdBy":"","comment":""})",
      kNow);
  REQUIRE(update);
  CHECK(update->id == "abc");
  CHECK(update->state == "pending");
}

TEST_CASE("alertmanager api: silence errors name the field or give Alertmanager's text",
          "[app][alertmanager_api]") {
  auto [body, want] = GENERATE(table<std::string, const char*>({
      {"{}", "comment: is required"},
      {"[]", "body: must be an object"},
      {"", "body: is required"},
      {R"({"comment":"c","createdBy":-1e400})", "invalid JSON: number overflow parsing '-1e400'"},
      {R"({"comment":"c"})", "createdBy: is required"},
      {R"({"comment":"c","createdBy":null})", "createdBy: is required"},
      {R"({"comment":1,"createdBy":"me"})", "comment: must be a string"},
      {R"({"comment":"c","createdBy":"me"})", "endsAt: is required"},
      {R"({"comment":"c","createdBy":"me","endsAt":"2030-01-01T00:00:00Z"})",
       "matchers: is required"},
      {R"({"comment":"c","createdBy":"me","endsAt":"2030-01-01T00:00:00Z","matchers":[]})",
       "matchers: must have at least 1 item"},
      {R"({"comment":"c","createdBy":"me","endsAt":"x","matchers":[]})",
       R"(endsAt: cannot parse "x" as a date-time)"},
      {R"({"comment":"c","createdBy":"me","endsAt":"2030-01-01T00:00:00Z","matchers":[{"name":"a","value":"x","isRegex":false}]})",
       "startsAt: is required"},
      {silence_body(R"({})"), "matchers: must be an array"},
      {silence_body(R"([{"name":"a","value":"x"}])"), "matchers[0].isRegex: is required"},
      {silence_body(R"([{"name":"a","value":"x","isRegex":false},{"value":"x"}])"),
       "matchers[1].name: is required"},
      {silence_body(R"([{"name":"a","isRegex":false}])"), "matchers[0].value: is required"},
      {silence_body(R"([{"name":"a","value":"x","isRegex":1}])"),
       "matchers[0].isRegex: must be a boolean"},
      {silence_body(R"([{"name":"a","value":"x","isRegex":true,"isEqual":"no"}])"),
       "matchers[0].isEqual: must be a boolean"},
      {silence_body(R"(["a=x"])"), "matchers[0]: must be an object"},
      {silence_body(R"([{"name":"a","value":"x","isRegex":false}])", "2026-05-01T14:00:00Z"),
       "Failed to create silence: start time must be before end time"},
      {silence_body(R"([{"name":"a","value":"x","isRegex":false}])", "2026-05-01T10:00:00Z",
                    "2026-05-01T11:00:00Z"),
       "Failed to create silence: end time can't be in the past"},
      {silence_body(R"([{"name":"a","value":"","isRegex":false}])"),
       "silence invalid: at least one matcher must not match the empty string"},
      {silence_body(
           R"([{"name":"a","value":".*","isRegex":true},{"name":"b","value":"x","isRegex":false,"isEqual":false}])"),
       "silence invalid: at least one matcher must not match the empty string"},
      {silence_body(
           R"([{"name":"a","value":"x","isRegex":false},{"name":"0a","value":"x","isRegex":false}])"),
       R"(silence invalid: invalid label matcher 1: invalid label name "0a")"},
      {silence_body(R"([{"name":"a","value":"(","isRegex":true}])"),
       "silence invalid: invalid label matcher 0: invalid regular expression \"(\": error parsing "
       "regexp: missing closing ): `(`"},
  }));
  INFO(body);
  auto s = herald::server::parse_post_silence(body, kNow);
  REQUIRE_FALSE(s);
  CHECK(s.error().message == want);
}

TEST_CASE("alertmanager api: gettableSilence matches Alertmanager's body byte for byte",
          "[app][alertmanager_api]") {
  ApiSilence s{"c1137aa5-c138-4fc1-9eff-845887c0c46f",
               {M(R"(a=~".*")"), M("b=y")},
               T("2026-11-23T11:19:03.419Z"),
               T("2031-01-01T00:00:00Z"),
               T("2026-11-23T11:19:03.419Z"),
               "me",
               "c",
               "active"};
  CHECK(
      herald::server::silence_json(s) ==
      R"({"id":"c1137aa5-c138-4fc1-9eff-845887c0c46f","status":{"state":"active"},"updatedAt":"2026-11-23T11:19:03.419Z","comment":"c","createdBy":"me","endsAt":"2031-01-01T00:00:00.000Z","matchers":[{"isEqual":true,"isRegex":true,"name":"a","value":".*"},{"isEqual":true,"isRegex":false,"name":"b","value":"y"}],"startsAt":"2026-11-23T11:19:03.419Z"})"
      "\n");
  s.matchers = {M("a!=x"), M("b!~y")};
  CHECK(
      herald::server::silence_json(s).find(
          R"("matchers":[{"isEqual":false,"isRegex":false,"name":"a","value":"x"},{"isEqual":false,"isRegex":true,"name":"b","value":"y"}])") !=
      std::string::npos);
  CHECK(herald::server::post_silence_reply("89401dc0-e3db-4160-9f78-69f3e11a6244") ==
        "{\"silenceID\":\"89401dc0-e3db-4160-9f78-69f3e11a6244\"}\n");
  CHECK(herald::server::silences_json({}) == "[]\n");
}

TEST_CASE("alertmanager api: silences sort active by end, pending by start, expired newest first",
          "[app][alertmanager_api]") {
  auto sil = [](const char* id, const char* state, const char* starts, const char* ends) {
    return ApiSilence{id, {M("a=x")}, T(starts), T(ends), T(starts), "", "", state};
  };
  std::vector<ApiSilence> in = {
      sil("e1", "expired", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"),
      sil("p2", "pending", "2026-06-03T00:00:00Z", "2026-06-04T00:00:00Z"),
      sil("a2", "active", "2026-04-01T00:00:00Z", "2026-07-01T00:00:00Z"),
      sil("e2", "expired", "2026-01-01T00:00:00Z", "2026-03-02T00:00:00Z"),
      sil("p1", "pending", "2026-06-02T00:00:00Z", "2026-08-04T00:00:00Z"),
      sil("a1", "active", "2026-04-05T00:00:00Z", "2026-06-01T00:00:00Z"),
      sil("a3", "active", "2026-04-01T00:00:00Z", "2026-07-01T00:00:00Z"),  // ties keep order
  };
  const std::string body = herald::server::silences_json(in);
  std::vector<std::string> ids;
  for (size_t p = body.find(R"({"id":")"); p != std::string::npos;
       p = body.find(R"({"id":")", p + 1))
    ids.push_back(body.substr(p + 7, 2));
  CHECK(ids == std::vector<std::string>{"a1", "a2", "a3", "p1", "p2", "e2", "e1"});
}

TEST_CASE("alertmanager api: the silences filter wants each matcher among the silence's",
          "[app][alertmanager_api]") {
  const ApiSilence s{"id", {M("a=x"), M(R"(b=~"y.*")"), M("c!=z")}, {}, {}, {}, "", "", "active"};
  auto [params, want] = GENERATE(table<QueryParams, bool>({
      {QueryParams{}, true},
      {{{"filter", "a=x"}}, true},
      {{{"filter", R"(a="x")"}, {"filter", R"(b=~"y.*")"}}, true},
      {{{"filter", "c!=z"}}, true},
      {{{"filter", "a=~x"}}, false},  // same name and value, other type
      {{{"filter", R"(b=~"y.+")"}}, false},
      {{{"filter", "b=yes"}}, false},  // would match the label, but is not one of its matchers
      {{{"filter", "a=x"}, {"filter", "d=w"}}, false},
  }));
  auto f = herald::server::parse_silences_filter(params);
  REQUIRE(f);
  CHECK(herald::server::silence_matches_filter(s, *f) == want);

  auto bad = herald::server::parse_silences_filter({{"filter", "a"}});
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message == "bad matcher format: a");
}

// ---- status ----
