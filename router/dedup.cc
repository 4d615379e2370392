// Alertmanager's DedupStage decision, RetryStage's send_resolved filter and SetNotifiesStage's log
// entry.
#include "router/dedup.h"

#include <algorithm>

#include "router/route.h"

namespace herald::router {
namespace {

bool is_subset(const std::set<AlertHash>& subset, const std::set<AlertHash>& set) {
  return std::includes(set.begin(), set.end(), subset.begin(), subset.end());
}

std::set<AlertHash> hashes(const std::vector<Alert>& alerts) {
  std::set<AlertHash> out;
  for (const Alert& a : alerts)
    out.insert(alert_hash(a.labels));
  return out;
}

}  // namespace

std::string_view to_string(NotifyReason reason) {
  switch (reason) {
    case NotifyReason::kNone:
      return "none";
    case NotifyReason::kFirstNotification:
      return "first notification";
    case NotifyReason::kNewAlertsAdded:
      return "new alerts added";
    case NotifyReason::kSomeAlertsResolved:
      return "some alerts resolved";
    case NotifyReason::kAllAlertsResolved:
      return "all alerts resolved";
    case NotifyReason::kRepeatIntervalElapsed:
      return "repeat interval elapsed";
  }
  return "none";
}

NotifyReason needs_notify(const std::optional<NotificationLogEntry>& entry,
                          const std::set<AlertHash>& firing, const std::set<AlertHash>& resolved,
                          bool send_resolved, Duration repeat_interval, WallTime now) {
  if (!entry) return firing.empty() ? NotifyReason::kNone : NotifyReason::kFirstNotification;
  if (!is_subset(firing, entry->firing)) {
    // After an "all resolved" entry the group starts over.
    return entry->firing.empty() ? NotifyReason::kFirstNotification : NotifyReason::kNewAlertsAdded;
  }
  // Regardless of send_resolved, so the logged firing set gets cleared; when nothing was logged as
  // firing either, the receiver never heard of these alerts.
  if (firing.empty()) {
    return entry->firing.empty() ? NotifyReason::kNone : NotifyReason::kAllAlertsResolved;
  }
  if (send_resolved && !is_subset(resolved, entry->resolved)) {
    return NotifyReason::kSomeAlertsResolved;
  }
  // Strictly older, as Go's Before: an entry exactly repeat_interval old waits for the next flush.
  if (entry->at < now - repeat_interval) return NotifyReason::kRepeatIntervalElapsed;
  return NotifyReason::kNone;
}

NotificationLogEntry FlushDecision::log_entry(WallTime sent_at) const {
  const Duration keep = std::min<Duration>(2 * repeat_interval, kNotificationLogRetention);
  return NotificationLogEntry{sent_at, firing_hashes, resolved_hashes, sent_at + keep};
}

FlushDecision decide(const Flush& flush, const std::optional<NotificationLogEntry>& entry,
                     bool send_resolved, WallTime now) {
  FlushDecision d;
  d.firing_hashes = hashes(flush.firing);
  d.resolved_hashes = hashes(flush.resolved);
  d.repeat_interval = flush.route->repeat_interval();
  d.reason = needs_notify(entry, d.firing_hashes, d.resolved_hashes, send_resolved,
                          d.repeat_interval, now);
  if (!d.notify()) return d;
  // RetryStage without send_resolved: nothing at all when nothing fires, else only the firing.
  if (send_resolved) {
    d.firing = flush.firing;
    d.resolved = flush.resolved;
  } else if (!flush.firing.empty()) {
    d.firing = flush.firing;
  }
  return d;
}

}  // namespace herald::router
