// Prometheus duration syntax: the cases prometheus/common's tests pin down.
#include "model/duration.h"

#include <catch2/catch.hpp>

using herald::Duration;
using herald::format_duration;
using herald::parse_duration;
using namespace std::chrono_literals;

TEST_CASE("duration: valid strings parse and format canonically", "[model]") {
  struct Case {
    const char* in;
    Duration want;
    const char* canonical;
  };
  auto c = GENERATE(values<Case>({
      {"0", 0ms, "0s"},
      {"0s", 0ms, "0s"},
      {"324ms", 324ms, "324ms"},
      {"3s", 3s, "3s"},
      {"5m", 5min, "5m"},
      {"1h", 1h, "1h"},
      {"4d", 96h, "4d"},
      {"4d1h", 97h, "4d1h"},
      {"14d", 14 * 24h, "2w"},
      {"3w", 21 * 24h, "3w"},
      {"1w4d", 11 * 24h, "11d"},
      {"10y", 3650 * 24h, "10y"},
      {"1h30m", 90min, "1h30m"},
      {"90m", 90min, "1h30m"},
      {"1m0s", 1min, "1m"},
      {"1s500ms", 1500ms, "1s500ms"},
  }));
  CAPTURE(c.in);
  auto d = parse_duration(c.in);
  REQUIRE(d.has_value());
  CHECK(*d == c.want);
  CHECK(format_duration(*d) == c.canonical);
}

TEST_CASE("duration: invalid strings are rejected with the offending text", "[model]") {
  auto in = GENERATE(as<std::string>{}, "", "1", "5 m", "m", "1.5h", "-1s", "1s1m", "1h1h", "5M",
                     "1msm", "10000000000000y");
  CAPTURE(in);
  auto d = parse_duration(in);
  REQUIRE_FALSE(d.has_value());
  CHECK_FALSE(d.error().message.empty());
}
