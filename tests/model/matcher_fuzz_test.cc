// Robustness of the matcher parser: thousands of random and mutated strings (run it under
// ASan/UBSan) must give a matcher list or a located error, and every parsed list must survive
// a round trip through its own rendering.
#include <catch2/catch.hpp>
#include <random>

#include "model/matcher.h"

namespace {

// Bytes that steer the parser into its branches, plus invalid and multi-byte UTF-8.
const std::vector<std::string> kPieces = {
    "a",      "Z", "_", ":",  "0",  "=",  "!",    "~",    "\"",   "\\", ",",
    "{",      "}", " ", "\t", "\n", "\v", "\xff", "\xc3", "\xa9", "é",  "\u00a0",
    "\u3000", "n", ".", "*",  "(",  ")",  "[",    "]",    "|",    "?"};

const std::vector<std::string> kSeeds = {
    R"({foo="bar", baz!~".*quux", derp="wat"})",
    R"({quote="She said: \"Hi, ladies! That's gender-neutral…\""})",
    R"(trickier==\\=\=\")",
    R"(contains_quote != "\"" , contains_comma !~ "foo,bar" , )",
    R"({foo=~"invalid[regexp"})",
    R"("{foo=\"bar\"}")",
    "a=\"multi\nline\",b=~\"x|y\"",
};

std::string random_string(std::mt19937& rng) {
  std::uniform_int_distribution<size_t> len(0, 40), pick(0, kPieces.size() - 1);
  std::string s;
  for (size_t n = len(rng); n > 0; --n)
    s += kPieces[pick(rng)];
  return s;
}

std::string mutate(std::string s, std::mt19937& rng) {
  std::uniform_int_distribution<int> edits(1, 4), kind(0, 2);
  std::uniform_int_distribution<size_t> pick(0, kPieces.size() - 1);
  for (int n = edits(rng); n > 0; --n) {
    const size_t at = std::uniform_int_distribution<size_t>(0, s.size())(rng);
    const int k = kind(rng);
    if (k == 0) {
      s.insert(at, kPieces[pick(rng)]);
    } else if (at < s.size()) {
      s.erase(at, 1);
      if (k == 2) s.insert(at, kPieces[pick(rng)]);
    }
  }
  return s;
}

void check_one(const std::string& input) {
  CAPTURE(input);
  auto list = herald::parse_matchers(input);
  if (!list) {
    CHECK(list.error().column >= 1);
    CHECK(list.error().column <= input.size() + 1);
    CHECK_FALSE(list.error().message.empty());
  } else {
    const std::string rendered = herald::to_string(*list);
    auto again = herald::parse_matchers(rendered);
    CAPTURE(rendered);
    REQUIRE(again.has_value());
    CHECK(*again == *list);
  }
  auto one = herald::parse_matcher(input);
  if (one) {
    auto again = herald::parse_matcher(one->to_string());
    REQUIRE(again.has_value());
    CHECK(*again == *one);
  } else {
    CHECK(one.error().column <= input.size() + 1);
  }
}

}  // namespace

TEST_CASE("matcher fuzz: random strings parse or fail with a column, never crash", "[model]") {
  std::mt19937 rng(20240501);
  for (int i = 0; i < 4000; ++i)
    check_one(random_string(rng));
}

TEST_CASE("matcher fuzz: mutated Alertmanager inputs parse or fail, and round-trip", "[model]") {
  std::mt19937 rng(7);
  for (int i = 0; i < 4000; ++i)
    check_one(mutate(kSeeds[i % kSeeds.size()], rng));
}
