// Prometheus durations ("1h30m", "5m", "0"): parsing and canonical formatting, exactly as
// prometheus/common model.ParseDuration and model.Duration.String, so configs round-trip.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "model/error.h"

namespace herald {

using Duration = std::chrono::milliseconds;

// Accepts [Ny][Nw][Nd][Nh][Nm][Ns][Nms] in that order (at least one part), or "0".
// Errors: empty string, bad syntax, overflow.
[[nodiscard]] Result<Duration> parse_duration(std::string_view text);

// Canonical form: "0s", "5m", "1h30m", "90d" (years and weeks only when exact).
[[nodiscard]] std::string format_duration(Duration d);

}  // namespace herald
