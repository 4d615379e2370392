// The per-channel gate: a map of channels to the end of their Retry-After, pruned as they pass.
#include "notifiers/slack_rate_limit.h"

namespace herald::notifiers {

std::optional<std::chrono::seconds> SlackRateLimits::wait(std::string_view channel, WallTime now) {
  std::lock_guard lock(mu_);
  auto it = until_.find(channel);
  if (it == until_.end()) return std::nullopt;
  if (it->second <= now) {
    until_.erase(it);
    return std::nullopt;
  }
  // Whole seconds, rounded up: the outbox schedules in seconds and must not come back early.
  return std::chrono::ceil<std::chrono::seconds>(it->second - now);
}

void SlackRateLimits::closed(const std::string& channel, WallTime until) {
  std::lock_guard lock(mu_);
  WallTime& at = until_[channel];
  at = std::max(at, until);
}

}  // namespace herald::notifiers
