// The flush pipeline's stages: time intervals, the two mute stages, and dedup into a log write or
// an outbox item.
#include "router/pipeline.h"

#include <algorithm>
#include <string>
#include <vector>

#include "router/dedup.h"
#include "router/notification_codec.h"
#include "router/time_interval.h"

namespace herald::router {
namespace {

std::vector<const config::TimeInterval*> resolve(const std::vector<std::string>& names,
                                                 const config::RoutingConfig& routing) {
  std::vector<const config::TimeInterval*> out;
  for (const std::string& name : names) {
    if (const config::TimeInterval* interval = routing.find_time_interval(name))
      out.push_back(interval);
  }
  return out;
}

template <typename Muted>
Flush drop_if(Flush flush, Muted muted) {
  std::erase_if(flush.firing, muted);
  std::erase_if(flush.resolved, muted);
  return flush;
}

std::optional<NotificationLogEntry> to_entry(const std::optional<storage::NotificationLogRow>& r) {
  if (!r) return std::nullopt;
  return NotificationLogEntry{r->at,
                              {r->firing.begin(), r->firing.end()},
                              {r->resolved.begin(), r->resolved.end()},
                              r->expires_at};
}

storage::NotificationLogRow to_row(const NotificationLogEntry& e) {
  return {e.at,
          {e.firing.begin(), e.firing.end()},
          {e.resolved.begin(), e.resolved.end()},
          e.expires_at,
          ""};
}

// The entry the integration's next delivery leaves in the log: the queued notification's, if one
// is queued, else the logged one.
std::optional<storage::NotificationLogRow> expected_entry(const IntegrationLog& state) {
  if (!state.queued) return state.logged;
  storage::NotificationLogRow expected = state.queued->log;
  expected.at = state.queued->created_at;
  return expected;
}

}  // namespace

bool time_muted(const Route& route, const config::RoutingConfig& routing, WallTime now) {
  return muted(resolve(route.mute_time_intervals(), routing),
               resolve(route.active_time_intervals(), routing), now);
}

Flush drop_inhibited(Flush flush, const Inhibitor& inhibitor, WallTime now) {
  return drop_if(std::move(flush),
                 [&](const Alert& a) { return !inhibitor.inhibited_by(a.labels, now).empty(); });
}

Flush drop_silenced(Flush flush, const Silences& silences, WallTime now) {
  return drop_if(std::move(flush),
                 [&](const Alert& a) { return !silences.silenced_by(a.labels, now).empty(); });
}

DedupStep dedup(const Flush& flush, const storage::NotificationLogKey& key, bool send_resolved,
                const IntegrationLog& state, WallTime now) {
  const FlushDecision d = decide(flush, to_entry(expected_entry(state)), send_resolved, now);
  DedupStep step;
  if (!d.notify()) return step;
  if (!d.deliver()) {
    // Nothing to send, but the log must forget the firing set (see FlushDecision).
    step.action = DedupStep::Action::kLog;
    step.log = to_row(d.log_entry(now));
    if (state.logged) step.log.data = state.logged->data;
    return step;
  }
  step.action = DedupStep::Action::kEnqueue;
  step.item.key = key;
  step.item.payload = encode_notification(
      {flush.route->receiver(), flush.group_key, flush.group_labels, d.firing, d.resolved, ""});
  step.item.log = to_row(d.log_entry(now));
  step.item.created_at = now;
  step.item.next_attempt_at = now;
  return step;
}

}  // namespace herald::router
