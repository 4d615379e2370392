// Wall-clock times as text: RFC 3339 (the APIs, logs and payloads) and HTTP-date (Retry-After),
// written and read with cctz. Go layouts beyond these live in template/go_time.h. Pure.
#pragma once

#include <string>
#include <string_view>

#include "model/clock.h"
#include "model/error.h"

namespace herald {

// How many fraction digits format_rfc3339 writes.
enum class Rfc3339Fraction {
  kNone,    // "2026-05-01T12:00:01Z" (truncated to the second)
  kMillis,  // "2026-05-01T12:00:01.500Z" (always three digits, truncated)
  kNano,    // Go's RFC3339Nano: "2026-05-01T12:00:01.5Z" (trailing zeros and a zero fraction
            // dropped)
};

// `t` in UTC with a "Z" zone.
[[nodiscard]] std::string format_rfc3339(WallTime t,
                                         Rfc3339Fraction fraction = Rfc3339Fraction::kNano);

// RFC 3339: YYYY-MM-DDTHH:MM:SS[.fraction](Z|±hh:mm); 't' or ' ' for 'T' and 'z' for 'Z' too
// (RFC 3339 §5.6 allows them). Fraction digits beyond nanoseconds are dropped; a time WallTime
// cannot hold (before 1678 or after 2261) is an error.
[[nodiscard]] Result<WallTime> parse_rfc3339(std::string_view text);

// An HTTP-date (RFC 9110 §5.6.7) in any of its three forms, GMT only: IMF-fixdate ("Sun, 06 Nov
// 1994 08:49:37 GMT"), RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT"; 69–99 are 19xx) and asctime
// ("Sun Nov  6 08:49:37 1994").
[[nodiscard]] Result<WallTime> parse_http_date(std::string_view text);

}  // namespace herald
