// Exponential backoff with jitter, capped; Retry-After wins.
#include "router/backoff.h"

#include <algorithm>
#include <cmath>

namespace herald::router {

Duration retry_delay(const BackoffPolicy& policy, int failures,
                     std::optional<std::chrono::seconds> retry_after, double unit) {
  if (retry_after) {
    return std::clamp<Duration>(*retry_after, Duration::zero(), policy.max_retry_after);
  }
  const double initial = std::chrono::duration<double>(policy.initial).count();
  const double cap = std::chrono::duration<double>(policy.max).count();
  const int exponent = std::clamp(failures - 1, 0, 62);
  double seconds = std::min(cap, initial * std::pow(policy.multiplier, exponent));
  seconds *= 1.0 - policy.jitter + 2.0 * policy.jitter * std::clamp(unit, 0.0, 1.0);
  return std::chrono::round<Duration>(std::chrono::duration<double>(seconds));
}

}  // namespace herald::router
