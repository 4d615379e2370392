// RFC 3339 and HTTP-date, the time texts of the APIs, logs, payloads and Retry-After.
#include "model/time_format.h"

#include <catch2/catch.hpp>

namespace herald {
namespace {

using namespace std::chrono_literals;

const WallTime kT = WallTime{} + 1'777'636'801s;  // 2026-05-01T12:00:01Z

}  // namespace

TEST_CASE("rfc3339: written in UTC with the fraction asked for", "[model]") {
  CHECK(format_rfc3339(kT) == "2026-05-01T12:00:01Z");
  CHECK(format_rfc3339(kT + 500ms) == "2026-05-01T12:00:01.5Z");
  CHECK(format_rfc3339(kT + 123456789ns) == "2026-05-01T12:00:01.123456789Z");
  CHECK(format_rfc3339(kT + 1500us, Rfc3339Fraction::kMillis) == "2026-05-01T12:00:01.001Z");
  CHECK(format_rfc3339(kT, Rfc3339Fraction::kMillis) == "2026-05-01T12:00:01.000Z");
  CHECK(format_rfc3339(kT + 999ms, Rfc3339Fraction::kNone) == "2026-05-01T12:00:01Z");
  CHECK(format_rfc3339(WallTime{}) == "1970-01-01T00:00:00Z");
}

TEST_CASE("rfc3339: read with any zone, fraction or RFC 3339's lower-case and space forms",
          "[model]") {
  auto [text, want] = GENERATE_COPY(table<const char*, WallTime>({
      {"2026-05-01T12:00:01Z", kT},
      {"2026-05-01T12:00:01.25Z", kT + 250ms},
      {"2026-05-01T14:00:01+02:00", kT},
      {"2026-05-01T11:30:01-00:30", kT},
      {"2026-05-01t12:00:01z", kT},
      {"2026-05-01 12:00:01Z", kT},
      {"2026-05-01T12:00:01.1234567891Z", kT + 123456789ns},
  }));
  INFO(text);
  auto t = parse_rfc3339(text);
  REQUIRE(t);
  CHECK(*t == want);
}

TEST_CASE("rfc3339: malformed, impossible and unrepresentable times are refused", "[model]") {
  const char* text =
      GENERATE("", "2026-05-01", "2026-05-01T12:00:01", "2026-02-30T12:00:01Z",
               "2026-13-01T12:00:01Z", "2026-05-01T12:00:01+0200", "2026-05-01T12:00:01Zjunk",
               "yesterday", "0001-01-01T00:00:00Z", "9999-01-01T00:00:00Z");
  INFO(text);
  auto t = parse_rfc3339(text);
  REQUIRE_FALSE(t);
  CHECK(t.error().code == ErrorCode::kInvalidInput);
}

TEST_CASE("http-date: IMF-fixdate, RFC 850 and asctime, GMT only", "[model]") {
  const WallTime want = WallTime{} + 784111777s;  // Sun, 06 Nov 1994 08:49:37 GMT
  CHECK(*parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == want);
  CHECK(*parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT") == want);
  CHECK(*parse_http_date("Sun Nov  6 08:49:37 1994") == want);
  CHECK_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 UTC"));
  CHECK_FALSE(parse_http_date("Sun, 06 Nov 1994"));
  CHECK_FALSE(parse_http_date("120"));
  CHECK_FALSE(parse_http_date(""));
}

}  // namespace herald
