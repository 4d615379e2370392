// RFC 3339 and HTTP-date on cctz: its %E*S reads and writes fractions, %Ez numeric zones and "Z".
#include "model/time_format.h"

#include <cctz/time_zone.h>

#include <limits>

namespace herald {
namespace {

using std::chrono::seconds;
using Seconds = std::chrono::time_point<std::chrono::system_clock, seconds>;

// WallTime counts nanoseconds in 64 bits: about 1678 to 2261.
constexpr int64_t kMaxSeconds = std::numeric_limits<int64_t>::max() / 1'000'000'000 - 1;

// Parses `text` with `format` twice: in whole seconds first, so a time WallTime cannot hold is
// refused instead of overflowing, then in WallTime's precision.
bool parse_in_range(const char* format, const std::string& text, WallTime& out) {
  Seconds whole;
  const cctz::time_zone utc = cctz::utc_time_zone();
  if (!cctz::parse(format, text, utc, &whole)) return false;
  const int64_t s = whole.time_since_epoch().count();
  if (s > kMaxSeconds || s < -kMaxSeconds) return false;
  return cctz::parse(format, text, utc, &out);
}

}  // namespace

std::string format_rfc3339(WallTime t, Rfc3339Fraction fraction) {
  const char* format = fraction == Rfc3339Fraction::kNone     ? "%Y-%m-%dT%H:%M:%SZ"
                       : fraction == Rfc3339Fraction::kMillis ? "%Y-%m-%dT%H:%M:%E3SZ"
                                                              : "%Y-%m-%dT%H:%M:%E*SZ";
  return cctz::format(format, t, cctz::utc_time_zone());
}

Result<WallTime> parse_rfc3339(std::string_view text) {
  std::string s(text);
  // cctz wants 'T' and reads "Z" through %Ez; RFC 3339 allows lower case and a space.
  if (s.size() > 10 && (s[10] == 't' || s[10] == ' ')) s[10] = 'T';
  if (!s.empty() && s.back() == 'z') s.back() = 'Z';
  // cctz's %Ez also takes "+0200"; RFC 3339 wants the colon.
  const bool zone_ok =
      !s.empty() && (s.back() == 'Z' || (s.size() > 6 && s[s.size() - 3] == ':' &&
                                         (s[s.size() - 6] == '+' || s[s.size() - 6] == '-')));
  WallTime t;
  if (s.size() < 20 || s[10] != 'T' || !zone_ok ||
      !parse_in_range("%Y-%m-%dT%H:%M:%E*S%Ez", s, t)) {
    return invalid_input("cannot parse \"" + std::string(text) + "\" as an RFC 3339 time");
  }
  return t;
}

Result<WallTime> parse_http_date(std::string_view text) {
  const std::string s(text);
  WallTime t;
  for (const char* format :
       {"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"}) {
    if (parse_in_range(format, s, t)) return t;
  }
  return invalid_input("cannot parse \"" + s + "\" as an HTTP-date");
}

}  // namespace herald
