// Whether a flush notifies one receiver integration: the notification-log entry as data and
// Alertmanager's DedupStage.needsUpdate (notify/notify.go, v0.25) as a pure function, plus what
// RetryStage sends and SetNotifiesStage logs for it. Storage of the log lives elsewhere.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string_view>
#include <vector>

#include "model/alert.h"
#include "model/clock.h"
#include "model/duration.h"
#include "model/labels.h"
#include "router/flush.h"

namespace herald::router {

// Alertmanager hashes an alert's sorted labels with xxhash64 (notify.hashAlert). herald has no
// xxhash, so it uses the labels' FNV-1a fingerprint: the hash only has to be stable within herald's
// own notification log.
using AlertHash = uint64_t;
[[nodiscard]] inline AlertHash alert_hash(const LabelSet& labels) {
  return labels.fingerprint();
}

// The last successful notification of a group to one receiver integration (nflogpb.Entry).
struct NotificationLogEntry {
  WallTime at{};  // when the notification succeeded
  std::set<AlertHash> firing;
  std::set<AlertHash> resolved;
  // For the log's garbage collection only: an entry counts until it is deleted. Alertmanager
  // deletes expired entries every --data.maintenance-interval (15 min), so when repeat_interval is
  // under half the group_interval a live group's entry can vanish between flushes.
  WallTime expires_at = WallTime::max();
};

// Alertmanager keeps an entry 2 × repeat_interval, capped by its --data.retention (default 120h).
inline constexpr Duration kNotificationLogRetention = std::chrono::hours(120);

// Why a flush notifies, with the String() spellings of Alertmanager's NotifyReason (added in
// 0.32; 0.25's dedup returns only a bool).
enum class NotifyReason {
  kNone,
  kFirstNotification,
  kNewAlertsAdded,
  kSomeAlertsResolved,
  kAllAlertsResolved,
  kRepeatIntervalElapsed,
};
// "none", "first notification", "new alerts added", "some alerts resolved", "all alerts resolved",
// "repeat interval elapsed".
[[nodiscard]] std::string_view to_string(NotifyReason reason);

// DedupStage.needsUpdate: `firing` and `resolved` are the hashes of the flush's alerts (after
// silences and inhibitions), `entry` the log entry for (group key, receiver integration).
[[nodiscard]] NotifyReason needs_notify(const std::optional<NotificationLogEntry>& entry,
                                        const std::set<AlertHash>& firing,
                                        const std::set<AlertHash>& resolved, bool send_resolved,
                                        Duration repeat_interval, WallTime now);

// What one integration does with a flush.
struct FlushDecision {
  NotifyReason reason = NotifyReason::kNone;
  // What the integration sends when notifying: the firing alerts, and the resolved ones only with
  // send_resolved (RetryStage). Both empty while notifying means "send nothing, but log as sent":
  // all alerts resolved without send_resolved still clears the logged firing set.
  std::vector<Alert> firing;
  std::vector<Alert> resolved;
  // What SetNotifiesStage logs after success: every firing and resolved alert of the flush,
  // resolved ones even without send_resolved.
  std::set<AlertHash> firing_hashes;
  std::set<AlertHash> resolved_hashes;
  Duration repeat_interval{};

  [[nodiscard]] bool notify() const { return reason != NotifyReason::kNone; }
  [[nodiscard]] bool deliver() const { return notify() && !(firing.empty() && resolved.empty()); }
  // The entry to write once the notification succeeded at `sent_at` (also when !deliver()).
  [[nodiscard]] NotificationLogEntry log_entry(WallTime sent_at) const;
};

// The decision for one integration of the flush's receiver, at `now` (Alertmanager decides when
// the flush runs); `entry` is the log's entry for (group key, integration), if any.
[[nodiscard]] FlushDecision decide(const Flush& flush,
                                   const std::optional<NotificationLogEntry>& entry,
                                   bool send_resolved, WallTime now);

}  // namespace herald::router
