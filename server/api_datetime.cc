// strfmt.DateTime: go-openapi's layouts recognised here, the time itself read and written by
// model/time_format.h.
#include "server/api_datetime.h"

#include <chrono>
#include <cstdio>
#include <optional>

#include "model/labels.h"
#include "model/time_format.h"

namespace herald::server {
namespace {

using namespace std::chrono;

// Digits at s[i..i+n); advances i.
std::optional<int> take_digits(std::string_view s, size_t& i, size_t n) {
  if (i + n > s.size()) return std::nullopt;
  int v = 0;
  for (size_t k = i; k < i + n; ++k) {
    if (s[k] < '0' || s[k] > '9') return std::nullopt;
    v = v * 10 + (s[k] - '0');
  }
  i += n;
  return v;
}

bool take(std::string_view s, size_t& i, char c) {
  if (i >= s.size() || s[i] != c) return false;
  ++i;
  return true;
}

struct ClockPart {
  int hour = 0, min = 0, sec = 0;
  int64_t nanos = 0;
  int frac_digits = 0;
};

// hh:mm[:ss[.frac]] as Go's layouts "15:04" and "15:04:05" read them (the hour may have one
// digit; a fraction of any length follows the seconds, with '.' or ',').
std::optional<ClockPart> take_clock(std::string_view s, size_t& i, bool& has_seconds) {
  ClockPart c;
  auto h = take_digits(s, i, 2);
  if (!h) h = take_digits(s, i, 1);
  if (!h || !take(s, i, ':')) return std::nullopt;
  auto m = take_digits(s, i, 2);
  if (!m || *h > 23 || *m > 59) return std::nullopt;
  c.hour = *h;
  c.min = *m;
  has_seconds = take(s, i, ':');
  if (!has_seconds) return c;
  auto sec = take_digits(s, i, 2);
  if (!sec || *sec > 59) return std::nullopt;
  c.sec = *sec;
  if (i + 1 < s.size() && (s[i] == '.' || s[i] == ',') && s[i + 1] >= '0' && s[i + 1] <= '9') {
    int64_t scale = 100000000;
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++c.frac_digits, scale /= 10)
      c.nanos += (s[i] - '0') * scale;
  }
  return c;
}

// The zone after the clock: "" (UTC), "Z", ±hh:mm, or ±hhmm (only after exactly 3 or 6
// fraction digits, strfmt's RFC3339Millis/MicroNoColon). Returns the offset in minutes.
std::optional<int> take_zone(std::string_view s, size_t& i, const ClockPart& c, bool has_seconds) {
  if (i == s.size()) return 0;
  if (take(s, i, 'Z')) return i == s.size() ? std::optional<int>(0) : std::nullopt;
  if (!has_seconds || (s[i] != '+' && s[i] != '-')) return std::nullopt;
  const int sign = s[i++] == '-' ? -1 : 1;
  auto hh = take_digits(s, i, 2);
  const bool colon = take(s, i, ':');
  auto mm = take_digits(s, i, 2);
  if (!hh || !mm || i != s.size() || *hh > 24 || *mm > 60) return std::nullopt;
  if (!colon && c.frac_digits != 3 && c.frac_digits != 6) return std::nullopt;
  return sign * (*hh * 60 + *mm);
}

}  // namespace

Result<WallTime> parse_api_datetime(std::string_view s) {
  if (s.empty()) return WallTime{};
  const auto fail = [&] {
    return invalid_input("cannot parse " + go_quote(s) + " as a date-time");
  };
  size_t i = 0;
  auto y = take_digits(s, i, 4);
  const bool dash1 = take(s, i, '-');
  auto mo = take_digits(s, i, 2);
  const bool dash2 = take(s, i, '-');
  auto d = take_digits(s, i, 2);
  if (!y || !mo || !d || !dash1 || !dash2 || i >= s.size() || (s[i] != 'T' && s[i] != ' '))
    return fail();
  const bool t_sep = s[i++] == 'T';
  const year_month_day ymd{year{*y}, month{static_cast<unsigned>(*mo)},
                           day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return fail();
  bool has_seconds = false;
  auto clock = take_clock(s, i, has_seconds);
  if (!clock || (!t_sep && (!has_seconds || i != s.size()))) return fail();
  auto offset = take_zone(s, i, *clock, has_seconds);
  if (!offset) return fail();
  if (*y == 1 && *mo == 1 && *d == 1 && clock->hour * 60 + clock->min == *offset &&
      clock->sec == 0 && clock->nanos == 0) {
    return WallTime{};  // Go's zero time, in any zone
  }
  // What strfmt accepted, rewritten as plain RFC 3339 for the one RFC 3339 reader.
  char text[160];  // room for any int GCC can imagine in each field
  const int zone = *offset < 0 ? -*offset : *offset;
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%09lld%c%02d:%02d", *y, *mo, *d,
                clock->hour, clock->min, clock->sec, static_cast<long long>(clock->nanos),
                *offset < 0 ? '-' : '+', zone / 60, zone % 60);
  auto t = parse_rfc3339(text);
  if (!t) return invalid_input(go_quote(s) + " is out of range");  // the fields are valid
  // herald's "unset" (Go's zero time) is WallTime{}, the Unix epoch; an explicit epoch is a real
  // time to Alertmanager, so it becomes the nanosecond after (invisible in every millisecond
  // rendering) rather than "unset".
  if (*t == WallTime{}) return WallTime{} + std::chrono::nanoseconds(1);
  return *t;
}

std::string format_api_datetime(WallTime t) {
  if (t == WallTime{}) return "0001-01-01T00:00:00.000Z";
  return format_rfc3339(t, Rfc3339Fraction::kMillis);
}

}  // namespace herald::server
