// AggregationGroup: the alerts of one route that share group labels, with the group's flush timer
// as a deadline — Alertmanager's aggrGroup (dispatch/dispatch.go, v0.25) without its goroutine.
// Pure (every call takes `now`); not thread-safe: its Dispatcher is driven by one loop.
#pragma once

#include <map>
#include <string>

#include "model/alert.h"
#include "model/clock.h"
#include "model/labels.h"
#include "router/flush.h"

namespace herald::router {

class Route;

class AggregationGroup {
 public:
  // The first flush is group_wait after creation: Alertmanager starts the group's timer when it
  // creates the group, not when an alert starts. `route` must outlive the group.
  AggregationGroup(const Route& route, LabelSet labels, std::string key, WallTime now);

  // Inserts or replaces the alert with the same fingerprint. Until the group has flushed once,
  // an alert whose starts_at + group_wait is already strictly past makes the group due at once,
  // even when the group itself was created moments ago (aggrGroup.insert).
  void insert(const Alert& alert, WallTime now);

  // Due when the deadline has come and no flush of this group is in flight: Alertmanager's group
  // loop runs one flush at a time, so a deadline passing mid-flush fires when the flush returns.
  [[nodiscard]] bool due(WallTime now) const { return !in_flight_ && next_flush_ <= now; }

  // REQUIRES: due(now). Snapshots the alerts, marks the flush in flight, and moves the deadline
  // to now + group_interval — before the send, as Alertmanager resets its timer before flushing,
  // so a failed send is retried at the next group_interval.
  [[nodiscard]] Flush flush(WallTime now);

  // The outcome of `flush` (all integrations of the receiver succeeded, or a dedup decision not to
  // notify). On success, drops the resolved alerts that were sent and are unchanged since: an alert
  // received again during the flush stays, as Alertmanager compares UpdatedAt.
  void flushed(const Flush& flush, bool success);

  // Restores the timer a previous run persisted, so a restart neither re-waits group_wait nor
  // skips a due flush (a deadline already past makes the group due at once).
  void restore_timer(WallTime next_flush, bool has_flushed) {
    next_flush_ = next_flush;
    has_flushed_ = has_flushed;
  }

  [[nodiscard]] bool empty() const { return alerts_.empty(); }
  [[nodiscard]] bool in_flight() const { return in_flight_; }
  [[nodiscard]] WallTime next_flush() const { return next_flush_; }
  [[nodiscard]] bool has_flushed() const { return has_flushed_; }
  [[nodiscard]] const Route& route() const { return *route_; }
  [[nodiscard]] const LabelSet& labels() const { return labels_; }
  [[nodiscard]] const std::string& key() const { return key_; }
  [[nodiscard]] const std::map<Fingerprint, Alert>& alerts() const { return alerts_; }

 private:
  const Route* route_;
  LabelSet labels_;
  std::string key_;
  std::map<Fingerprint, Alert> alerts_;
  WallTime next_flush_;
  bool has_flushed_ = false;
  bool in_flight_ = false;
};

}  // namespace herald::router
