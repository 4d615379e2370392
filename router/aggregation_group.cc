// Alertmanager's aggrGroup insert/flush rules on an injected clock.
#include "router/aggregation_group.h"

#include <algorithm>
#include <utility>

#include "router/route.h"

namespace herald::router {

AggregationGroup::AggregationGroup(const Route& route, LabelSet labels, std::string key,
                                   WallTime now)
    : route_(&route),
      labels_(std::move(labels)),
      key_(std::move(key)),
      next_flush_(now + route.group_wait()) {}

void AggregationGroup::insert(const Alert& alert, WallTime now) {
  alerts_[alert.labels.fingerprint()] = alert;
  // Strictly before, as Go's Time.Before: at exactly starts_at + group_wait the group waits.
  if (!has_flushed_ && alert.starts_at + route_->group_wait() < now) {
    next_flush_ = std::min(next_flush_, now);
  }
}

Flush AggregationGroup::flush(WallTime now) {
  has_flushed_ = true;
  in_flight_ = true;
  next_flush_ = now + route_->group_interval();
  Flush out{route_, key_, labels_, now, {}, {}};
  for (const auto& [fp, alert] : alerts_) {
    (resolved_at(alert, now) ? out.resolved : out.firing).push_back(alert);
  }
  std::sort(out.firing.begin(), out.firing.end(), alert_before);
  std::sort(out.resolved.begin(), out.resolved.end(), alert_before);
  return out;
}

void AggregationGroup::flushed(const Flush& flush, bool success) {
  in_flight_ = false;
  if (!success) return;
  for (const Alert& sent : flush.resolved) {
    auto it = alerts_.find(sent.labels.fingerprint());
    if (it != alerts_.end() && it->second == sent) alerts_.erase(it);
  }
}

}  // namespace herald::router
