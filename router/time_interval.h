// Whether an instant falls in a time interval, and whether a route's mute/active intervals
// silence a flush — Alertmanager's timeinterval.ContainsTime and TimeMuteStage/TimeActiveStage
// (v0.25). Pure functions of the config and the instant; thread-safe (the zone cache is locked).
#pragma once

#include <vector>

#include "config/time_intervals.h"
#include "model/clock.h"

namespace herald::router {

// Every non-empty list of `spec` has a range containing `t`, read in the spec's location (UTC
// when empty, the host's zone for "Local"): times [start, end) in minutes of the wall-clock day,
// weekdays, days of month (negative ones counted from the month's end and clamped to its length),
// months, years. A location the tz database lacks (the config checked it exists) reads as UTC.
[[nodiscard]] bool contains(const config::TimeIntervalSpec& spec, WallTime t);

// Any of the interval's specs contains `t`.
[[nodiscard]] bool contains(const config::TimeInterval& interval, WallTime t);

// Whether a flush at `t` sends nothing: inside any `mute` interval, or `active` is non-empty and
// `t` is inside none of them. REQUIRES: no null pointers (the config resolved every name).
[[nodiscard]] bool muted(const std::vector<const config::TimeInterval*>& mute,
                         const std::vector<const config::TimeInterval*>& active, WallTime t);

}  // namespace herald::router
