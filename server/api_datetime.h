// go-openapi's strfmt.DateTime, the time type of Alertmanager's API v2: what it accepts when
// reading and the exact text it writes. Pure.
#pragma once

#include <string>
#include <string_view>

#include "model/clock.h"
#include "model/error.h"

namespace herald::server {

// strfmt.DateTime as go-openapi parses it: RFC 3339 with an optional fraction, plus its ISO 8601
// variants without seconds or zone (read as UTC). "" and Go's zero time give WallTime{} (unset);
// the Unix epoch itself, a real time, gives the nanosecond after it.
[[nodiscard]] Result<WallTime> parse_api_datetime(std::string_view text);
// strfmt.DateTime as it marshals: "2006-01-02T15:04:05.000Z" (UTC, milliseconds truncated);
// WallTime{} renders as Go's zero time.
[[nodiscard]] std::string format_api_datetime(WallTime t);

}  // namespace herald::server
