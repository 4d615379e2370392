// OutboxDelivery: the one retry loop for every integration. Worker threads (daemon/) claim due
// outbox items, deliver each through its receiver integration's Notifier, and record the outcome:
// delivered → the item is deleted and its notification-log entry written in one transaction;
// retry → next attempt after retry_delay (Retry-After honoured); permanent → given up and
// reported. A crash between the send and the record repeats only that one notification.
// Thread-safe. The wall clock is read once per delivery: that is the `now` the Notifier is handed
// and, plus the send's monotonic duration, the time the outcome is stamped with.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "model/clock.h"
#include "model/notifier.h"
#include "router/backoff.h"
#include "storage/database.h"
#include "storage/notification_log.h"
#include "storage/outbox.h"

namespace herald::router {

struct IntegrationId {
  std::string receiver;
  std::string integration;
  int index = 0;
  friend auto operator<=>(const IntegrationId&, const IntegrationId&) = default;
};
using NotifierMap = std::map<IntegrationId, std::shared_ptr<Notifier>>;

// The outcome of one attempt, for logs and metrics.
struct DeliveryEvent {
  IntegrationId integration;
  std::string group_key;
  DeliveryOutcome outcome = DeliveryOutcome::kDelivered;
  std::string error;                  // secret-free (the Notifier's)
  std::vector<std::string> warnings;  // the Notifier's (a failed template), secret-free
  int attempt = 0;                    // 1 for the first
  std::optional<WallTime> next_attempt;
  Duration latency{};
};

// Consecutive failures of one integration since its last success.
struct IntegrationHealth {
  IntegrationId integration;
  uint64_t consecutive_failures = 0;
  std::optional<WallTime> failing_since;  // the first failure after the last success
  std::string last_error;
};

// HeraldNotificationsFailing's condition: at least kFailingAttempts failed attempts in a row,
// the first kFailingFor ago or more (one timeout or a brief 5xx burst is not worth a page).
inline constexpr uint64_t kFailingAttempts = 3;
inline constexpr Duration kFailingFor = std::chrono::minutes(1);
[[nodiscard]] inline bool keeps_failing(const IntegrationHealth& h, WallTime now) {
  return h.failing_since && h.consecutive_failures >= kFailingAttempts &&
         now - *h.failing_since >= kFailingFor;
}

class OutboxDelivery {
 public:
  OutboxDelivery(storage::Database& db, BackoffPolicy policy = {}, uint64_t seed = 0);

  // A reload swaps the integrations; items of integrations that are gone are given up.
  void set_notifiers(NotifierMap notifiers);

  // Up to `limit` due items not being delivered already, at most one per (group, integration)
  // so one group's notifications to one integration never overtake each other.
  [[nodiscard]] std::vector<storage::OutboxItem> claim(WallTime now, size_t limit);
  // REQUIRES: `item` came from claim(). Sends it (blocking) at clock.now() and records the outcome.
  DeliveryEvent deliver(const storage::OutboxItem& item, const Clock& clock);

  [[nodiscard]] std::optional<WallTime> next_attempt() const;
  [[nodiscard]] std::vector<IntegrationHealth> health() const;

 private:
  DeliveryEvent record(const storage::OutboxItem& item, const DeliveryResult& result, WallTime now,
                       DeliveryEvent event);

  storage::Outbox outbox_;
  storage::NotificationLog nflog_;
  const BackoffPolicy policy_;
  mutable std::mutex mu_;
  std::mt19937_64 rng_;          // GUARDED_BY(mu_)
  NotifierMap notifiers_;        // GUARDED_BY(mu_)
  std::set<int64_t> in_flight_;  // GUARDED_BY(mu_)
  std::set<std::tuple<std::string, std::string, std::string, int>> in_flight_keys_;  // ditto
  std::map<IntegrationId, IntegrationHealth> health_;  // GUARDED_BY(mu_)
};

}  // namespace herald::router
