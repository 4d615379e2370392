// Time-interval evaluation on cctz, as timeinterval.go (v0.25) evaluates on Go's time package.
#include "router/time_interval.h"

#include <cctz/civil_time.h>
#include <cctz/time_zone.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>

namespace herald::router {
namespace {

// Loading a zone reads and parses a tzfile: do it once per name. Go fixes time.Local when the
// process starts; "Local" is keyed by $TZ here so a test may switch it.
cctz::time_zone zone(const std::string& location) {
  if (location.empty() || location == "UTC") return cctz::utc_time_zone();
  std::string key = location;
  if (location == "Local") {
    const char* env = std::getenv("TZ");  // unset: /etc/localtime; empty: UTC
    if (env != nullptr) key += std::string("=") + env;
  }
  static std::mutex mu;
  static std::map<std::string, cctz::time_zone> cache;  // GUARDED_BY(mu)
  std::lock_guard lock(mu);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  cctz::time_zone tz;
  if (location == "Local") {
    tz = cctz::local_time_zone();
  } else if (!cctz::load_time_zone(location, &tz)) {
    tz = cctz::utc_time_zone();
  }
  cache.emplace(std::move(key), tz);
  return tz;
}

// timeinterval.go daysInMonth: whole 24-hour days between the month's first midnight and the
// next month's, truncated. In a month where the clocks spring forward this is one less than the
// calendar's (March has 30 days in Europe/Berlin), and Alertmanager counts negative days of month
// from that; herald does the same so a config mutes the same days it mutes in Alertmanager.
// Go's time.Date resolves a skipped midnight with the pre-transition offset, as `pre` does.
int days_in_month(const cctz::civil_second& cs, const cctz::time_zone& tz) {
  const cctz::civil_month month(cs);
  const auto start = tz.lookup(cctz::civil_second(month)).pre;
  const auto end = tz.lookup(cctz::civil_second(month + 1)).pre;
  return static_cast<int>((end - start).count() / 86400);
}

bool in_day_of_month(const config::InclusiveRange& r, int day, int days) {
  int begin = r.begin < 0 ? days + r.begin + 1 : r.begin;
  int end = r.end < 0 ? days + r.end + 1 : r.end;
  if (begin > days) return false;  // the range starts after this month's end
  begin = std::clamp(begin, -days, days);
  end = std::clamp(end, -days, days);
  return day >= begin && day <= end;
}

bool in_range(const std::vector<config::InclusiveRange>& ranges, int v) {
  return ranges.empty() || std::any_of(ranges.begin(), ranges.end(),
                                       [&](const auto& r) { return v >= r.begin && v <= r.end; });
}

}  // namespace

bool contains(const config::TimeIntervalSpec& spec, WallTime t) {
  const cctz::time_zone tz = zone(spec.location);
  const cctz::civil_second cs = cctz::convert(std::chrono::floor<std::chrono::seconds>(t), tz);
  if (!spec.times.empty()) {
    const int minute = cs.hour() * 60 + cs.minute();
    if (std::none_of(spec.times.begin(), spec.times.end(), [&](const config::TimeRange& r) {
          return minute >= r.start_minute && minute < r.end_minute;
        })) {
      return false;
    }
  }
  if (!spec.days_of_month.empty()) {
    const int days = days_in_month(cs, tz);
    const int day = cs.day();
    if (std::none_of(spec.days_of_month.begin(), spec.days_of_month.end(),
                     [&](const auto& r) { return in_day_of_month(r, day, days); })) {
      return false;
    }
  }
  if (!in_range(spec.months, cs.month())) return false;
  // cctz counts weekdays from monday = 0; Go (and the config) from sunday = 0.
  const int weekday = (static_cast<int>(cctz::get_weekday(cctz::civil_day(cs))) + 1) % 7;
  if (!in_range(spec.weekdays, weekday)) return false;
  return in_range(spec.years, static_cast<int>(cs.year()));
}

bool contains(const config::TimeInterval& interval, WallTime t) {
  return std::any_of(interval.time_intervals.begin(), interval.time_intervals.end(),
                     [&](const config::TimeIntervalSpec& spec) { return contains(spec, t); });
}

bool muted(const std::vector<const config::TimeInterval*>& mute,
           const std::vector<const config::TimeInterval*>& active, WallTime t) {
  auto in = [&](const config::TimeInterval* ti) { return contains(*ti, t); };
  if (std::any_of(mute.begin(), mute.end(), in)) return true;
  return !active.empty() && std::none_of(active.begin(), active.end(), in);
}

}  // namespace herald::router
