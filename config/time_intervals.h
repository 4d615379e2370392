// Alertmanager time intervals (timeinterval/timeinterval.go): named windows that mute or activate
// routes. Plain data validated at load; deciding whether an instant falls in a window is the
// router's job. Immutable after load.
#pragma once

#include <string>
#include <vector>

#include "model/diagnostic.h"

namespace herald::config {

// [start_minute, end_minute) within a day, 0 ≤ start < end ≤ 1440 ("24:00" is allowed as an end).
struct TimeRange {
  int start_minute = 0;
  int end_minute = 0;
  friend bool operator==(const TimeRange&, const TimeRange&) = default;
};

// begin..end, both inclusive.
struct InclusiveRange {
  int begin = 0;
  int end = 0;
  friend bool operator==(const InclusiveRange&, const InclusiveRange&) = default;
};

// One entry of a named interval's `time_intervals` list. An instant is inside when every
// non-empty list has a range containing it; an empty list does not constrain.
struct TimeIntervalSpec {
  std::vector<TimeRange> times;
  std::vector<InclusiveRange> weekdays;       // 0 = sunday … 6 = saturday
  std::vector<InclusiveRange> days_of_month;  // 1…31, or -31…-1 counted from the month's end
  std::vector<InclusiveRange> months;         // 1 = january … 12
  std::vector<InclusiveRange> years;
  // An IANA zone name found in the system tz database ("Europe/Berlin"), "UTC", or "Local" (the
  // host's zone, as Go's time.LoadLocation). Empty: UTC.
  std::string location;
  SourcePos pos;
};

struct TimeInterval {
  std::string name;
  std::vector<TimeIntervalSpec> time_intervals;  // the interval is any of these
  SourcePos pos;
};

}  // namespace herald::config
