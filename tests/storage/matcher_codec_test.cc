// The silences table's matcher column: the exact JSON every release has written, round-trips of
// each match type and awkward values, and rejection (never a crash) of text no release wrote.
#include "storage/matcher_codec.h"

#include <catch2/catch.hpp>
#include <string>

namespace st = herald::storage;
using herald::Matcher;
using herald::Matchers;
using herald::MatchType;
using namespace std::string_literals;

namespace {

Matcher m(std::string name, MatchType type, std::string value) {
  return Matcher::create(std::move(name), type, std::move(value)).value();
}

}  // namespace

TEST_CASE("matcher codec: the column's JSON form is the one silences were stored in", "[storage]") {
  CHECK(st::encode_matchers({m("alertname", MatchType::kEqual, "HighErrorRate")}) ==
        R"([{"name":"alertname","type":"=","value":"HighErrorRate"}])");
  CHECK(st::encode_matchers({}) == "[]");
  auto decoded = st::decode_matchers(
      R"([{"name":"env","type":"!=","value":"dev"},{"value":"a|b","type":"=~","name":"job"}])");
  REQUIRE(decoded);
  CHECK(*decoded ==
        Matchers{m("env", MatchType::kNotEqual, "dev"), m("job", MatchType::kRegex, "a|b")});
}

TEST_CASE("matcher codec: every match type and awkward values round-trip in order", "[storage]") {
  const Matchers matchers = {m("alertname", MatchType::kEqual, "디스크부족"),
                             m("instance", MatchType::kNotEqual, "host\"1\"\\\n"),
                             m("job", MatchType::kRegex, "api|web.*"),
                             m("env", MatchType::kNotRegex, ""),
                             m("nul", MatchType::kEqual, "a\0b"s)};
  for (const Matchers& want : {Matchers{}, matchers}) {
    auto back = st::decode_matchers(st::encode_matchers(want));
    REQUIRE(back);
    CHECK(*back == want);
  }
  // A decoded regex is compiled again, so it matches as the original did.
  auto back = st::decode_matchers(st::encode_matchers(matchers));
  REQUIRE(back);
  CHECK((*back)[2].matches("web-1"));
  CHECK_FALSE((*back)[2].matches("db"));
}

TEST_CASE("matcher codec: text no release wrote is an error, never a crash", "[storage]") {
  auto text = GENERATE(values<std::string>({
      "",                                           // nothing
      "not json",                                   // not JSON
      R"([{"name":"a","type":"=")",                 // truncated JSON
      R"([{"name":"a","type":"==","value":"1"}])",  // an unknown type
      R"([{"name":"a","value":"1"}])",              // no type
      R"([{"name":"a","type":"=","value":1}])",     // a value that is not a string
      R"([{"name":"a","type":"=~","value":"("}])",  // a regex RE2 rejects
      R"(42)",                                      // not an array
  }));
  INFO(text);
  auto r = st::decode_matchers(text);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == herald::ErrorCode::kInvalidInput);
  CHECK_THAT(r.error().message, Catch::StartsWith("silence matchers: "));
}
