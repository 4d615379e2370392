// Slack's rate limits are per channel ("1 message per second per channel", and a 429 with
// Retry-After names how long that channel is closed). The outbox retries the one notification
// that got the 429 after Retry-After; this gate makes every other notification for the same
// channel wait too, instead of each discovering the limit with a request of its own (which
// Slack counts against the app). Keys are channels: the channel name in bot mode, a hash of the
// webhook URL in webhook mode (a webhook posts to one channel). Each SlackNotifier has one (all
// the groups a Slack config serves share it), or is given one to share. Thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "model/clock.h"

namespace herald::notifiers {

class SlackRateLimits {
 public:
  // How long a message to `channel` must still wait, or nullopt when it may go now.
  [[nodiscard]] std::optional<std::chrono::seconds> wait(std::string_view channel, WallTime now);
  // Slack closed `channel` until `until`.
  void closed(const std::string& channel, WallTime until);

 private:
  std::mutex mu_;
  std::map<std::string, WallTime, std::less<>> until_;  // GUARDED_BY(mu_)
};

}  // namespace herald::notifiers
