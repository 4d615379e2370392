// OutboxDelivery: the one retry loop for every integration. Worker threads (daemon/) claim due
// outbox items, deliver each through its receiver integration's Notifier, and record the outcome:
// delivered → the item is deleted and its notification-log entry written in one transaction;
// retry → next attempt after retry_delay (Retry-After honoured); permanent → given up and
// reported. A crash between the send and the record repeats only that one notification. A record
// that fails after a successful send (a full disk) holds the item apart in memory: it is not sent
// again by this process, and retry_records() writes the record once storage is back. Thread-safe.
// The wall clock is read once per delivery: that is the `now` the Notifier is handed and, plus the
// send's monotonic duration, the time the outcome is stamped with.
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

// Whether a delivered notification is in the notification log (its outbox item retired).
enum class RecordState {
  kRecorded,      // with the send, or nothing to record (not delivered)
  kUnrecorded,    // the write failed (`error` says why). Reported on this first failure only: the
                  // item is not sent again by this process and retry_records() writes it later
  kRecordedLate,  // retry_records() wrote it, or found it superseded by a newer notification
};

// The outcome of one attempt (or of a late record), for logs and metrics.
struct DeliveryEvent {
  IntegrationId integration;
  std::string group_key;
  DeliveryOutcome outcome = DeliveryOutcome::kDelivered;
  std::string error;                  // secret-free (the Notifier's)
  std::vector<std::string> warnings;  // the Notifier's (a failed template), secret-free
  int attempt = 0;                    // 1 for the first
  std::optional<WallTime> next_attempt;
  Duration latency{};
  RecordState record = RecordState::kRecorded;
};

// A delivered notification whose record failed and is being retried.
struct UnrecordedDelivery {
  IntegrationId integration;
  std::string group_key;
  WallTime delivered_at{};
  std::string error;  // the last recording failure (storage's, secret-free)
};

// Consecutive failures of one integration since its last success.
struct IntegrationHealth {
  IntegrationId integration;
  uint64_t consecutive_failures = 0;
  std::optional<WallTime> failing_since;  // the first failure after the last success
  std::string last_error;
};

// At most this many deliveries of one receiver integration are in flight at once: a peer that
// hangs until the request times out holds that many senders, and every other integration's
// notifications go on (Alertmanager sends each group from its own goroutine). Four keeps one
// integration's own parallelism what the four shared workers gave it before.
inline constexpr size_t kMaxInFlightPerIntegration = 4;

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

  // Up to `limit` due items not being delivered already and not delivered-but-unrecorded, at
  // most one per (group, integration) so one group's notifications to one integration never
  // overtake each other, and at most kMaxInFlightPerIntegration in flight per integration.
  [[nodiscard]] std::vector<storage::OutboxItem> claim(WallTime now, size_t limit);
  // REQUIRES: `item` came from claim(). Sends it (blocking) at clock.now() and records the outcome.
  DeliveryEvent deliver(const storage::OutboxItem& item, const Clock& clock);
  // Writes the records of unrecorded deliveries once their retry is due at `now`, in one round
  // that stops at the first failure (storage is still failing: all wait for the next round, with
  // capped exponential backoff). Returns a kRecordedLate event for each record written; nothing
  // for a failure, which was reported with the delivery.
  [[nodiscard]] std::vector<DeliveryEvent> retry_records(WallTime now);

  // The earliest attempt claim() could take or record retry: items in flight, held apart as
  // unrecorded, or waiting for their integration's deliveries in flight are left out (a delivery
  // that ends is what makes them claimable).
  [[nodiscard]] std::optional<WallTime> next_attempt() const;
  [[nodiscard]] std::vector<IntegrationHealth> health() const;
  [[nodiscard]] std::vector<UnrecordedDelivery> unrecorded() const;

 private:
  struct Unrecorded {
    storage::NotificationLogKey key;
    int attempt = 0;
    WallTime delivered_at{};
    std::string data;  // the integration's, for the log row (e.g. a Slack message's ts)
    std::string error;
  };

  DeliveryEvent record(const storage::OutboxItem& item, const DeliveryResult& result, WallTime now,
                       DeliveryEvent event);
  // Whether claim() may take the item `id` of `key`, with `extra` claimed in the same call and not
  // yet in in_flight_. REQUIRES: mu_ held.
  [[nodiscard]] bool claimable(int64_t id, const storage::NotificationLogKey& key,
                               const std::map<IntegrationId, size_t>& extra) const;
  [[nodiscard]] Duration record_delay(int failures);  // REQUIRES: mu_ held

  storage::Outbox outbox_;
  storage::NotificationLog nflog_;
  const BackoffPolicy policy_;
  mutable std::mutex mu_;
  std::mt19937_64 rng_;          // GUARDED_BY(mu_)
  NotifierMap notifiers_;        // GUARDED_BY(mu_)
  std::set<int64_t> in_flight_;  // GUARDED_BY(mu_)
  std::set<std::tuple<std::string, std::string, std::string, int>> in_flight_keys_;  // ditto
  std::map<IntegrationId, size_t> in_flight_per_integration_;  // GUARDED_BY(mu_), never 0
  std::map<IntegrationId, IntegrationHealth> health_;          // GUARDED_BY(mu_)
  std::map<int64_t, Unrecorded> unrecorded_;                   // GUARDED_BY(mu_), by outbox item id
  int record_failures_ = 0;     // GUARDED_BY(mu_): failed record rounds since the first failure
  WallTime next_record_try_{};  // GUARDED_BY(mu_): when retry_records() next writes
};

}  // namespace herald::router
