// When the outbox tries a failed delivery again: exponential backoff with jitter, or the peer's
// Retry-After when it sent one. One policy for every integration (docs/architecture.md "Notifier
// anatomy"). Pure: the caller passes the random draw.
#pragma once

#include <chrono>
#include <optional>

#include "model/duration.h"

namespace herald::router {

struct BackoffPolicy {
  Duration initial = std::chrono::seconds(1);
  Duration max = std::chrono::minutes(5);
  double multiplier = 2.0;
  double jitter = 0.2;  // the delay is scaled by a factor drawn from [1 - jitter, 1 + jitter]
  // A Retry-After longer than this is capped: a peer asking for a day must not park a page.
  Duration max_retry_after = std::chrono::hours(1);
};

// The delay before attempt `failures + 1`, after `failures` (≥ 1) failed attempts. `unit` is a
// uniform draw from [0, 1). A Retry-After is honoured exactly (no jitter: the peer asked for at
// least that long), capped by max_retry_after.
[[nodiscard]] Duration retry_delay(const BackoffPolicy& policy, int failures,
                                   std::optional<std::chrono::seconds> retry_after, double unit);

}  // namespace herald::router
