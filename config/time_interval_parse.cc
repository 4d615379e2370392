// herald.yml `time_intervals` (and the deprecated `mute_time_intervals`), validated as
// Alertmanager's timeinterval/timeinterval.go does, with clearer messages. Deliberately stricter
// in one place: a month number outside 1…12 is an error (Alertmanager 0.25 accepts it).
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <tuple>

#include "config/routing_sections.h"

namespace herald::config::detail {
namespace {

enum class RangeKind { kWeekday, kDayOfMonth, kMonth, kYear };

constexpr std::string_view kWeekdays[] = {"sunday",   "monday", "tuesday", "wednesday",
                                          "thursday", "friday", "saturday"};
constexpr std::string_view kMonths[] = {"january",   "february", "march",    "april",
                                        "may",       "june",     "july",     "august",
                                        "september", "october",  "november", "december"};

// Go's strconv.Atoi: an optional sign, then decimal digits.
std::optional<int> to_int(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  int v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

template <size_t N>
std::optional<int> index_of(const std::string_view (&names)[N], std::string_view s, int base) {
  auto it = std::find(std::begin(names), std::end(names), s);
  if (it == std::end(names)) return std::nullopt;
  return static_cast<int>(it - std::begin(names)) + base;
}

Result<int> member(std::string_view s, RangeKind kind) {
  const std::string quoted = "\"" + std::string(s) + "\"";
  switch (kind) {
    case RangeKind::kWeekday:
      if (auto d = index_of(kWeekdays, s, 0)) return *d;
      return invalid_input(quoted + " is not a valid weekday (sunday … saturday)");
    case RangeKind::kMonth:
      if (auto m = index_of(kMonths, s, 1)) return *m;
      if (auto m = to_int(s)) return *m;
      return invalid_input(quoted + " is not a valid month (january … december or 1 … 12)");
    default:
      if (auto n = to_int(s)) return *n;
      return invalid_input(quoted + " is not a number");
  }
}

Status check_day_of_month(InclusiveRange r) {
  for (int d : {r.begin, r.end}) {
    if (d == 0 || d < -31 || d > 31) {
      return invalid_input("day of month " + std::to_string(d) +
                           " is out of range (1 … 31, or -31 … -1 counted from the month's end)");
    }
  }
  if (r.begin < 0 && r.end > 0) {
    return invalid_input("end day must be negative if start day is negative");
  }
  // Alertmanager's check against the shortest month (28 days): catches ranges that are always
  // empty; longer months are clamped at evaluation.
  const int begin = r.begin < 0 ? 28 + r.begin : r.begin;
  const int end = r.end < 0 ? 28 + r.end : r.end;
  if (begin > end) {
    return invalid_input("end day " + std::to_string(r.end) + " is always before start day " +
                         std::to_string(r.begin));
  }
  return {};
}

Status check_range(InclusiveRange r, RangeKind kind) {
  switch (kind) {
    case RangeKind::kWeekday:
      if (r.begin > r.end) {
        return invalid_input("end day " + std::string(kWeekdays[r.end]) + " is before start day " +
                             std::string(kWeekdays[r.begin]));
      }
      return {};
    case RangeKind::kDayOfMonth:
      return check_day_of_month(r);
    case RangeKind::kMonth:
      if (r.begin < 1 || r.begin > 12 || r.end < 1 || r.end > 12) {
        return invalid_input("month is out of range (1 … 12)");
      }
      if (r.begin > r.end) {
        return invalid_input("end month " + std::string(kMonths[r.end - 1]) +
                             " is before start month " + std::string(kMonths[r.begin - 1]));
      }
      return {};
    case RangeKind::kYear:
      if (r.begin > r.end) {
        return invalid_input("end year " + std::to_string(r.end) + " is before start year " +
                             std::to_string(r.begin));
      }
      return {};
  }
  return {};
}

// "monday:friday", "5", "-3:-1", "May:August" (case-insensitive).
Result<InclusiveRange> parse_range(std::string text, RangeKind kind) {
  for (char& c : text)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string_view s = text;
  size_t colon = s.find(':');
  if (colon != std::string_view::npos && s.find(':', colon + 1) != std::string_view::npos) {
    return invalid_input("invalid range \"" + text + "\": expected a value or start:end");
  }
  Result<int> begin = member(s.substr(0, colon), kind);
  if (!begin) return tl::unexpected(begin.error());
  Result<int> end = colon == std::string_view::npos ? begin : member(s.substr(colon + 1), kind);
  if (!end) return tl::unexpected(end.error());
  InclusiveRange r{*begin, *end};
  if (Status ok = check_range(r, kind); !ok) return tl::unexpected(ok.error());
  return r;
}

std::vector<InclusiveRange> read_ranges(const Fields& f, std::string_view name, RangeKind kind) {
  std::vector<InclusiveRange> out;
  size_t i = 0;
  for (const ScalarEntry& e : read_string_list(f, name)) {
    Result<InclusiveRange> r = parse_range(e.value, kind);
    if (r) {
      out.push_back(*r);
    } else {
      f.ctx().error(e.value_pos, f.path().field(name).index(i), r.error().message);
    }
    ++i;
  }
  return out;
}

// "HH:MM" from 00:00 to 24:00, as Alertmanager's validTime regex.
std::optional<int> parse_minute_of_day(std::string_view s) {
  auto digit = [&](size_t i) { return s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1; };
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  const int h1 = digit(0), h2 = digit(1), m1 = digit(3), m2 = digit(4);
  if (h1 < 0 || h2 < 0 || m1 < 0 || m2 < 0) return std::nullopt;
  const int hours = h1 * 10 + h2, minutes = m1 * 10 + m2;
  if (hours == 24 && minutes == 0) return 24 * 60;
  if (hours > 23 || minutes > 59) return std::nullopt;
  return hours * 60 + minutes;
}

std::optional<TimeRange> parse_time_range(ParseContext& ctx, const YAML::Node& node,
                                          const Path& path) {
  Fields f(ctx, node, path, {"start_time", "end_time"});
  std::string start = read_string(f, "start_time").value_or("");
  std::string end = read_string(f, "end_time").value_or("");
  if (start.empty() || end.empty()) {
    ctx.error(f.pos(), path, "both start_time and end_time must be set");
    return std::nullopt;
  }
  std::optional<int> s = parse_minute_of_day(start), e = parse_minute_of_day(end);
  for (auto [v, name, text] : {std::tuple{s, "start_time", start}, {e, "end_time", end}}) {
    if (!v) {
      ctx.error(f.value_pos(name), path.field(name),
                "invalid time \"" + text + "\": expected HH:MM from 00:00 to 24:00");
    }
  }
  if (!s || !e) return std::nullopt;
  if (*s >= *e) {
    ctx.error(f.value_pos("end_time"), path, "start_time must be before end_time");
    return std::nullopt;
  }
  return TimeRange{*s, *e};
}

// Go's time.LoadLocation against the system tz database: "" and "UTC" are UTC, "Local" is the
// host's zone, anything else must name a TZif file under /usr/share/zoneinfo.
Status check_location(const std::string& name) {
  if (name.empty() || name == "UTC" || name == "Local") return {};
  const std::string unknown = "unknown time zone \"" + name + "\"";
  if (name.front() == '/' || name.front() == '\\' || name.find("..") != std::string::npos) {
    return invalid_input(unknown);
  }
  const std::string file = "/usr/share/zoneinfo/" + name;
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return invalid_input(unknown + " (no such zone file under /usr/share/zoneinfo)");
  }
  char magic[4] = {};
  std::ifstream in(file, std::ios::binary);
  if (!in.read(magic, sizeof magic) || std::string_view(magic, 4) != "TZif") {
    return invalid_input(unknown + " (" + file + " is not a tz database file)");
  }
  return {};
}

TimeIntervalSpec parse_spec(ParseContext& ctx, const YAML::Node& node, const Path& path) {
  Fields f(ctx, node, path, {"times", "weekdays", "days_of_month", "months", "years", "location"});
  TimeIntervalSpec spec;
  spec.pos = f.pos();
  if (std::optional<YAML::Node> times = read_list(f, "times")) {
    size_t i = 0;
    for (const YAML::Node& item : *times) {
      if (auto r = parse_time_range(ctx, item, path.field("times").index(i++)))
        spec.times.push_back(*r);
    }
  }
  spec.weekdays = read_ranges(f, "weekdays", RangeKind::kWeekday);
  spec.days_of_month = read_ranges(f, "days_of_month", RangeKind::kDayOfMonth);
  spec.months = read_ranges(f, "months", RangeKind::kMonth);
  spec.years = read_ranges(f, "years", RangeKind::kYear);
  spec.location = read_string(f, "location").value_or("");
  if (Status ok = check_location(spec.location); !ok) {
    ctx.error(f.value_pos("location"), path.field("location"), ok.error().message);
  }
  return spec;
}

TimeInterval parse_interval(ParseContext& ctx, const YAML::Node& node, const Path& path) {
  Fields f(ctx, node, path, {"name", "time_intervals"});
  TimeInterval ti;
  ti.pos = f.pos();
  if (!f.is_mapping()) return ti;
  ti.name = read_string(f, "name").value_or("");
  require_field(f, {"name"}, !ti.name.empty());
  if (std::optional<YAML::Node> list = read_list(f, "time_intervals")) {
    size_t i = 0;
    for (const YAML::Node& item : *list)
      ti.time_intervals.push_back(parse_spec(ctx, item, path.field("time_intervals").index(i++)));
  }
  return ti;
}

}  // namespace

std::vector<TimeInterval> parse_time_intervals(const Fields& top, std::string_view key) {
  std::vector<TimeInterval> out;
  std::optional<YAML::Node> list = read_list(top, key);
  if (!list) return out;
  size_t i = 0;
  for (const YAML::Node& item : *list)
    out.push_back(parse_interval(top.ctx(), item, Path{{}, std::string(key)}.index(i++)));
  return out;
}

}  // namespace herald::config::detail
