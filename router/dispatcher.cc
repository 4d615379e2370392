// Alertmanager's dispatcher: alerts into groups, groups' deadlines into flushes.
#include "router/dispatcher.h"

#include "router/group_key.h"
#include "router/route.h"

namespace herald::router {

void Dispatcher::ingest(Alert alert, WallTime now) {
  alert.updated_at = now;
  for (const Route* route : root_->match(alert.labels)) {
    LabelSet labels = group_labels(*route, alert.labels);
    std::string key = group_key(*route, labels);
    GroupId id{key, route};
    auto it = groups_.find(id);
    if (it == groups_.end()) {
      it = groups_.try_emplace(std::move(id), *route, std::move(labels), std::move(key), now).first;
    }
    it->second.insert(alert, now);
  }
}

std::optional<WallTime> Dispatcher::next_deadline() const {
  std::optional<WallTime> earliest;
  for (const auto& [id, group] : groups_) {
    if (group.in_flight()) continue;
    if (!earliest || group.next_flush() < *earliest) earliest = group.next_flush();
  }
  return earliest;
}

std::vector<Flush> Dispatcher::take_due(WallTime now) {
  std::vector<Flush> out;
  for (auto& [id, group] : groups_) {
    if (group.due(now)) out.push_back(group.flush(now));
  }
  return out;
}

void Dispatcher::flushed(const Flush& flush, bool success) {
  auto it = groups_.find(GroupId{flush.group_key, flush.route});
  if (it == groups_.end()) return;
  it->second.flushed(flush, success);
  if (it->second.empty()) groups_.erase(it);
}

const AggregationGroup* Dispatcher::find(const Route& route, const std::string& key) const {
  auto it = groups_.find(GroupId{key, &route});
  return it == groups_.end() ? nullptr : &it->second;
}

AggregationGroup* Dispatcher::find_mutable(const Route& route, const std::string& key) {
  auto it = groups_.find(GroupId{key, &route});
  return it == groups_.end() ? nullptr : &it->second;
}

std::vector<const AggregationGroup*> Dispatcher::groups() const {
  std::vector<const AggregationGroup*> out;
  out.reserve(groups_.size());
  for (const auto& [id, group] : groups_)
    out.push_back(&group);
  return out;
}

}  // namespace herald::router
