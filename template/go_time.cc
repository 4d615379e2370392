// Go time formatting over UTC WallTime values. Layout chunks follow Go's time/format.go
// reference time "Mon Jan 2 15:04:05 MST 2006"; zones always render as UTC / +0000 / Z.
#include "template/go_time.h"

#include <array>
#include <chrono>
#include <cstdint>

namespace herald::tmpl {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 7> kDays = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                   "Thursday", "Friday", "Saturday"};

struct Civil {
  int64_t year;
  int month;  // 1..12
  int day;    // 1..31
  int yday;   // 1..366
  int wday;   // 0 = Sunday
  int hour, minute, second;
  int64_t nanos;
};

// Days since 1970-01-01 → proleptic Gregorian date (Howard Hinnant's civil_from_days).
Civil to_civil(WallTime t) {
  const bool zero = t == kGoZeroTime;
  int64_t ns = zero ? 0 : go_time_unix_nano(t);
  int64_t secs = go_time_unix(t);
  Civil c{};
  c.nanos = zero ? 0 : ns - secs * 1000000000;
  int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  int64_t rem = secs - days * 86400;
  c.hour = static_cast<int>(rem / 3600);
  c.minute = static_cast<int>(rem / 60 % 60);
  c.second = static_cast<int>(rem % 60);
  c.wday = static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  c.year = yoe + era * 400 + (c.month <= 2 ? 1 : 0);
  static constexpr std::array<int, 12> kCum = {0,   31,  59,  90,  120, 151,
                                               181, 212, 243, 273, 304, 334};
  bool leap = (c.year % 4 == 0 && c.year % 100 != 0) || c.year % 400 == 0;
  c.yday = kCum[static_cast<size_t>(c.month - 1)] + c.day + (leap && c.month > 2 ? 1 : 0);
  return c;
}

std::string pad(int64_t v, int width, char fill = '0') {
  std::string s = std::to_string(v < 0 ? -v : v);
  while (static_cast<int>(s.size()) < width)
    s.insert(s.begin(), fill);
  return v < 0 ? "-" + s : s;
}

// Fractional seconds: `digits` places; `trim` drops trailing zeros (the ".999" form).
std::string fraction(int64_t nanos, int digits, bool trim, char sep) {
  std::string s = pad(nanos, 9).substr(0, static_cast<size_t>(digits));
  if (trim) {
    while (!s.empty() && s.back() == '0')
      s.pop_back();
    if (s.empty()) return "";
  }
  return std::string(1, sep) + s;
}

bool starts(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

// Appends the rendering of one layout chunk at the front of `rest`; returns chars consumed.
size_t format_chunk(const Civil& c, std::string_view rest, std::string& out) {
  struct Fixed {
    std::string_view token;
    std::string value;
  };
  int hour12 = c.hour % 12 == 0 ? 12 : c.hour % 12;
  const Fixed table[] = {
      {"January", std::string(kMonths[static_cast<size_t>(c.month - 1)])},
      {"Jan", std::string(kMonths[static_cast<size_t>(c.month - 1)].substr(0, 3))},
      {"Monday", std::string(kDays[static_cast<size_t>(c.wday)])},
      {"Mon", std::string(kDays[static_cast<size_t>(c.wday)].substr(0, 3))},
      {"MST", "UTC"},
      {"2006", pad(c.year, 4)},
      {"002", pad(c.yday, 3)},
      {"01", pad(c.month, 2)},
      {"02", pad(c.day, 2)},
      {"03", pad(hour12, 2)},
      {"04", pad(c.minute, 2)},
      {"05", pad(c.second, 2)},
      {"06", pad(c.year % 100, 2)},
      {"15", pad(c.hour, 2)},
      {"__2", pad(c.yday, 3, ' ')},
      {"_2", pad(c.day, 2, ' ')},
      {"1", pad(c.month, 1)},
      {"2", pad(c.day, 1)},
      {"3", pad(hour12, 1)},
      {"4", pad(c.minute, 1)},
      {"5", pad(c.second, 1)},
      {"PM", c.hour >= 12 ? "PM" : "AM"},
      {"pm", c.hour >= 12 ? "pm" : "am"},
      {"-07:00:00", "+00:00:00"},
      {"-070000", "+000000"},
      {"-07:00", "+00:00"},
      {"-0700", "+0000"},
      {"-07", "+00"},
      {"Z07:00:00", "Z"},
      {"Z070000", "Z"},
      {"Z07:00", "Z"},
      {"Z0700", "Z"},
      {"Z07", "Z"},
  };
  if (starts(rest, "_2006")) {  // Go reads this as a literal '_' followed by the year
    out += "_" + pad(c.year, 4);
    return 5;
  }
  for (const auto& f : table) {
    if (starts(rest, f.token)) {
      out += f.value;
      return f.token.size();
    }
  }
  if ((rest[0] == '.' || rest[0] == ',') && rest.size() > 1 && (rest[1] == '0' || rest[1] == '9')) {
    size_t j = 1;
    while (j < rest.size() && rest[j] == rest[1])
      ++j;
    bool next_is_digit = j < rest.size() && rest[j] >= '0' && rest[j] <= '9';
    if (!next_is_digit) {
      int digits = static_cast<int>(std::min<size_t>(j - 1, 9));
      out += fraction(c.nanos, digits, rest[1] == '9', rest[0]);
      return j;
    }
  }
  out.push_back(rest[0]);
  return 1;
}

}  // namespace

int64_t go_time_unix_nano(WallTime t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

int64_t go_time_unix(WallTime t) {
  if (t == kGoZeroTime) return -62135596800;  // 0001-01-01T00:00:00Z
  int64_t ns = go_time_unix_nano(t);
  int64_t s = ns / 1000000000;
  if (ns % 1000000000 < 0) --s;
  return s;
}

std::string go_time_format(WallTime t, std::string_view layout) {
  Civil c = to_civil(t);
  std::string out;
  while (!layout.empty())
    layout.remove_prefix(format_chunk(c, layout, out));
  return out;
}

std::string go_time_string(WallTime t) {
  return go_time_format(t, "2006-01-02 15:04:05.999999999 -0700 MST");
}

}  // namespace herald::tmpl
