// Dispatcher: alerts into aggregation groups (one per matched route and group labels), and which
// groups are due to flush — Alertmanager's Dispatcher (dispatch/dispatch.go, v0.25) as plain data
// on an injected `now`. Not thread-safe: one loop owns it (docs/architecture.md "Time").
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/alert.h"
#include "model/clock.h"
#include "router/aggregation_group.h"
#include "router/flush.h"

namespace herald::router {

class Route;

// The loop waits for next_deadline(), calls take_due(), decides and delivers each flush per
// receiver integration (dedup.h), and reports the outcome with flushed().
class Dispatcher {
 public:
  // `root` (the route tree) must outlive the dispatcher. A config reload builds a new dispatcher,
  // as Alertmanager does.
  explicit Dispatcher(const Route& root) : root_(&root) {}

  // Stamps updated_at = now (Alertmanager sets UpdatedAt on receipt) and inserts the alert into
  // the group of every route it matches, creating groups as needed. May move next_deadline()
  // earlier (an old alert flushes at once): the loop re-reads it after ingesting.
  void ingest(Alert alert, WallTime now);

  // The earliest deadline among groups without a flush in flight; nullopt when there is none.
  [[nodiscard]] std::optional<WallTime> next_deadline() const;

  // The flushes of every group due at `now`, ordered by group key; each group's next deadline
  // becomes now + group_interval and it stays in flight until flushed().
  [[nodiscard]] std::vector<Flush> take_due(WallTime now);

  // Reports a flush's outcome (see AggregationGroup::flushed) and deletes its group when that left
  // it empty. Alertmanager deletes empty groups on a 30 s maintenance tick instead, so there an
  // alert arriving within that tick joins the old group without a group_wait. A flush whose group
  // is gone is ignored.
  void flushed(const Flush& flush, bool success);

  // The group of `route` with `key`, to restore its persisted timer; nullptr when there is none.
  [[nodiscard]] AggregationGroup* find_mutable(const Route& route, const std::string& key);

  [[nodiscard]] size_t group_count() const { return groups_.size(); }
  // The group of `route` with `key`, or nullptr.
  [[nodiscard]] const AggregationGroup* find(const Route& route, const std::string& key) const;
  // Every group, ordered by group key (for the API's alert groups).
  [[nodiscard]] std::vector<const AggregationGroup*> groups() const;

 private:
  // Two sibling routes with identical matchers share a route key, hence group keys (as in
  // Alertmanager, which keys its groups by route pointer): the route tells them apart.
  using GroupId = std::pair<std::string, const Route*>;

  const Route* root_;
  std::map<GroupId, AggregationGroup> groups_;
};

}  // namespace herald::router
