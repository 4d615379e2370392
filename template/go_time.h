// Go time.Time rendering for templates: Time.String() and Time.Format(layout) with Go's
// reference-time layouts ("2006-01-02T15:04:05Z07:00"). herald's times are always UTC.
#pragma once

#include <string>
#include <string_view>

#include "model/clock.h"

namespace herald::tmpl {

// Go's zero time.Time, 0001-01-01 00:00:00 UTC, which a nanosecond WallTime cannot hold: this
// sentinel stands for it and prints, formats and converts to Unix seconds as Go's zero time.
inline constexpr WallTime kGoZeroTime = WallTime::min();

// Go's Time.String() of a UTC time: "2006-01-02 15:04:05.999999999 +0000 UTC".
[[nodiscard]] std::string go_time_string(WallTime t);

// Go's Time.Format for a UTC time. Unknown layout text is copied literally, as Go does.
[[nodiscard]] std::string go_time_format(WallTime t, std::string_view layout);

// Seconds since the Unix epoch, rounded toward negative infinity (Go's Time.Unix).
[[nodiscard]] int64_t go_time_unix(WallTime t);
[[nodiscard]] int64_t go_time_unix_nano(WallTime t);

}  // namespace herald::tmpl
