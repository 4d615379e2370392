// The router's receive → group → flush → outbox path, persisted as it goes.
#include "router/router.h"

#include <algorithm>
#include <set>
#include <utility>

#include "router/alert_merge.h"
#include "router/group_key.h"
#include "router/pipeline.h"

namespace herald::router {
namespace {

// How often resolved alerts that no group holds any more are dropped from the provider.
constexpr Duration kGcInterval = std::chrono::minutes(1);

storage::NotificationLogKey log_key(const Flush& flush, const IntegrationTarget& t) {
  return {flush.group_key, flush.route->receiver(), t.integration, t.index};
}

}  // namespace

bool AlertView::active(WallTime now) const {
  return !resolved_at(alert, now);
}

Router::Router(RouterSettings settings, storage::Database& db)
    : alert_store_(db), timer_store_(db), nflog_(db), outbox_(db), silence_store_(db) {
  install(std::move(settings));
}

Result<std::unique_ptr<Router>> Router::open(RouterSettings settings, storage::Database& db,
                                             WallTime now) {
  std::unique_ptr<Router> r(new Router(std::move(settings), db));
  std::lock_guard lock(r->mu_);
  Result<std::vector<Alert>> alerts = r->alert_store_.load();
  if (!alerts) return tl::unexpected(alerts.error());
  for (Alert& a : *alerts)
    r->alerts_.emplace(a.labels.fingerprint(), std::move(a));
  Result<std::vector<storage::SilenceRow>> rows = r->silence_store_.load();
  if (!rows) return tl::unexpected(rows.error());
  std::vector<Silence> silences;
  for (storage::SilenceRow& row : *rows) {
    silences.push_back(Silence{std::move(row.id), std::move(row.matchers), row.starts_at,
                               row.ends_at, row.updated_at, std::move(row.created_by),
                               std::move(row.comment)});
  }
  r->silences_.restore(std::move(silences));
  Result<std::vector<storage::GroupTimerRow>> timers = r->timer_store_.load();
  if (!timers) return tl::unexpected(timers.error());
  for (const storage::GroupTimerRow& t : *timers) {
    r->saved_timers_[{t.group_key, t.route_id}] = {t.next_flush, t.has_flushed};
  }
  r->regroup(now, r->saved_timers_);
  if (Status s = r->persist_timers(); !s) return tl::unexpected(s.error());
  r->last_gc_ = now;
  return r;
}

void Router::install(RouterSettings settings) {
  settings_ = std::move(settings);
  root_ = Route::build(*settings_.routing->route, settings_.defaults);
  route_ids_.clear();
  // Tree positions: a route's id is its parent's and its index among its siblings.
  std::function<void(const Route&, const std::string&)> number = [&](const Route& r,
                                                                     const std::string& id) {
    route_ids_[&r] = id;
    for (size_t i = 0; i < r.routes().size(); ++i)
      number(*r.routes()[i], id + "." + std::to_string(i));
  };
  number(*root_, "0");
  inhibitor_ = std::make_unique<Inhibitor>(settings_.routing->inhibit_rules);
  for (const auto& [fp, alert] : alerts_)
    inhibitor_->observe(alert);
}

void Router::regroup(WallTime now, const std::map<TimerKey, TimerState>& timers) {
  dispatcher_ = std::make_unique<Dispatcher>(*root_);
  for (const auto& [fp, alert] : alerts_)
    dispatcher_->ingest(alert, now);
  for (const AggregationGroup* g : dispatcher_->groups()) {
    auto t = timers.find({g->key(), route_ids_.at(&g->route())});
    if (t == timers.end()) continue;
    dispatcher_->find_mutable(g->route(), g->key())
        ->restore_timer(t->second.next_flush, t->second.has_flushed);
  }
}

void Router::reconfigure(RouterSettings settings, WallTime now) {
  std::lock_guard lock(mu_);
  std::map<TimerKey, TimerState> timers;
  for (const AggregationGroup* g : dispatcher_->groups()) {
    timers[{g->key(), route_ids_.at(&g->route())}] = {g->next_flush(), g->has_flushed()};
  }
  install(std::move(settings));
  regroup(now, timers);
  (void)persist_timers();  // best effort: a failure is retried after the next change
}

Status Router::receive(std::vector<Alert> alerts, WallTime now) {
  std::lock_guard lock(mu_);
  std::vector<Alert> changed;
  for (Alert& incoming : alerts) {
    incoming.updated_at = now;
    auto it = alerts_.find(incoming.labels.fingerprint());
    Alert merged = it == alerts_.end() ? std::move(incoming) : merge_alert(it->second, incoming);
    // A re-sent alert that changed nothing but its receipt time needs no write.
    if (it != alerts_.end()) {
      Alert same = it->second;
      same.updated_at = merged.updated_at;
      if (same == merged) {
        it->second.updated_at = now;
        dispatcher_->ingest(it->second, now);
        continue;
      }
    }
    changed.push_back(std::move(merged));
  }
  if (Status s = alert_store_.put_all(changed); !s) return s;
  for (Alert& a : changed) {
    inhibitor_->observe(a);
    dispatcher_->ingest(a, now);
    alerts_[a.labels.fingerprint()] = std::move(a);
  }
  return persist_timers();
}

std::optional<WallTime> Router::next_deadline() const {
  std::lock_guard lock(mu_);
  std::optional<WallTime> next = dispatcher_->next_deadline();
  const WallTime gc = last_gc_ + kGcInterval;
  if (!next || gc < *next) next = gc;
  return next;
}

FlushReport Router::flush_due(WallTime now) {
  std::lock_guard lock(mu_);
  FlushReport report;
  for (const Flush& flush : dispatcher_->take_due(now)) {
    ++report.flushes;
    process(flush, now, report);
  }
  if (now >= last_gc_ + kGcInterval) collect_garbage(now);
  if (Status s = persist_timers(); !s) report.errors.push_back(s.error());
  return report;
}

void Router::process(const Flush& flush, WallTime now, FlushReport& report) {
  if (time_muted(*flush.route, *settings_.routing, now)) {
    ++report.muted;
    dispatcher_->flushed(flush, true);  // done: nothing sent, nothing logged
    return;
  }
  const Flush visible = drop_silenced(drop_inhibited(flush, *inhibitor_, now), silences_, now);
  std::vector<storage::OutboxItem> items;
  const bool ok = dedup_integrations(visible, now, items, report) && enqueue(items, report);
  // A failed write keeps the resolved alerts in the group; the next group_interval retries.
  dispatcher_->flushed(flush, ok);
}

Result<IntegrationLog> Router::integration_log(const storage::NotificationLogKey& key) const {
  Result<std::optional<storage::NotificationLogRow>> logged = nflog_.get(key);
  if (!logged) return tl::unexpected(logged.error());
  Result<std::optional<storage::OutboxItem>> queued = outbox_.find(key);
  if (!queued) return tl::unexpected(queued.error());
  return IntegrationLog{std::move(*logged), std::move(*queued)};
}

bool Router::dedup_integrations(const Flush& flush, WallTime now,
                                std::vector<storage::OutboxItem>& items, FlushReport& report) {
  auto targets = settings_.receivers.find(flush.route->receiver());
  if (targets == settings_.receivers.end()) return true;
  bool ok = true;
  for (const IntegrationTarget& t : targets->second) {
    const storage::NotificationLogKey key = log_key(flush, t);
    Result<IntegrationLog> state = integration_log(key);
    if (!state) {
      report.errors.push_back(state.error());
      return false;
    }
    DedupStep step = dedup(flush, key, t.send_resolved, *state, now);
    switch (step.action) {
      case DedupStep::Action::kNone:
        break;
      case DedupStep::Action::kLog:
        if (Status s = nflog_.put(key, step.log); !s) {
          report.errors.push_back(s.error());
          ok = false;
        }
        break;
      case DedupStep::Action::kEnqueue:
        items.push_back(std::move(step.item));
        break;
    }
  }
  return ok;
}

bool Router::enqueue(const std::vector<storage::OutboxItem>& items, FlushReport& report) {
  if (items.empty()) return true;
  Result<std::vector<int64_t>> ids = outbox_.enqueue_all(items);
  if (!ids) {
    report.errors.push_back(ids.error());
    return false;
  }
  report.enqueued += ids->size();
  return true;
}

void Router::collect_garbage(WallTime now) {
  last_gc_ = now;
  std::set<Fingerprint> grouped;
  for (const AggregationGroup* g : dispatcher_->groups()) {
    for (const auto& [fp, a] : g->alerts())
      grouped.insert(fp);
  }
  std::vector<Fingerprint> gone;
  for (const auto& [fp, a] : alerts_) {
    if (resolved_at(a, now) && !grouped.contains(fp)) gone.push_back(fp);
  }
  // Failures here are retried at the next collection; nothing depends on them but disk space.
  if (!gone.empty() && alert_store_.erase(gone)) {
    for (Fingerprint fp : gone) {
      alerts_.erase(fp);
      inhibitor_->forget(fp);
    }
  }
  (void)nflog_.prune(now);
  // Expired silences stay listed for Alertmanager's retention, then go (from SQLite too).
  (void)silences_.gc(now);
  (void)silence_store_.prune(now - kSilenceRetention);
}

Status Router::persist_timers() {
  std::map<TimerKey, TimerState> now_timers;
  for (const AggregationGroup* g : dispatcher_->groups()) {
    now_timers[{g->key(), route_ids_.at(&g->route())}] = {g->next_flush(), g->has_flushed()};
  }
  std::vector<storage::GroupTimerRow> put;
  for (const auto& [k, t] : now_timers) {
    auto old = saved_timers_.find(k);
    if (old == saved_timers_.end() || !(old->second == t)) {
      put.push_back({k.first, k.second, t.next_flush, t.has_flushed});
    }
  }
  std::vector<std::pair<std::string, std::string>> gone;
  for (const auto& [k, t] : saved_timers_) {
    if (!now_timers.contains(k)) gone.push_back(k);
  }
  if (!put.empty()) {
    if (Status s = timer_store_.put_all(put); !s) return s;
  }
  if (!gone.empty()) {
    if (Status s = timer_store_.erase(gone); !s) return s;
  }
  saved_timers_ = std::move(now_timers);
  return {};
}

Result<std::string> Router::set_silence(Silence silence, WallTime now) {
  std::lock_guard lock(mu_);
  Result<std::string> id = silences_.set(std::move(silence), now);
  if (!id) return id;
  if (Status s = persist_silences(silences_.take_changed()); !s) return tl::unexpected(s.error());
  return id;
}

Status Router::expire_silence(std::string_view id, WallTime now) {
  std::lock_guard lock(mu_);
  if (Status s = silences_.expire(id, now); !s) return s;
  return persist_silences(silences_.take_changed());
}

Status Router::persist_silences(const std::vector<Silence>& changed) {
  for (const Silence& s : changed) {
    const storage::SilenceRow row{s.id,         s.matchers,   s.starts_at, s.ends_at,
                                  s.updated_at, s.created_by, s.comment};
    if (Status st = silence_store_.put(row); !st) return st;
  }
  return {};
}

std::vector<Silence> Router::silences() const {
  std::lock_guard lock(mu_);
  return silences_.list();
}

std::optional<Silence> Router::silence(std::string_view id) const {
  std::lock_guard lock(mu_);
  return silences_.get(id);
}

std::vector<AlertView> Router::alerts(WallTime now) const {
  std::lock_guard lock(mu_);
  std::vector<AlertView> out;
  out.reserve(alerts_.size());
  for (const auto& [fp, a] : alerts_) {
    AlertView v{
        a, {}, silences_.silenced_by(a.labels, now), inhibitor_->inhibited_by(a.labels, now)};
    for (const Route* r : root_->match(a.labels))
      v.receivers.push_back(r->receiver());
    out.push_back(std::move(v));
  }
  return out;
}

std::vector<GroupView> Router::groups() const {
  std::lock_guard lock(mu_);
  std::vector<GroupView> out;
  for (const AggregationGroup* g : dispatcher_->groups()) {
    GroupView v{g->labels(), g->route().receiver(), g->key(), {}, g->next_flush()};
    for (const auto& [fp, a] : g->alerts())
      v.alerts.push_back(fp);
    out.push_back(std::move(v));
  }
  return out;
}

Duration Router::resolve_timeout() const {
  std::lock_guard lock(mu_);
  return settings_.resolve_timeout;
}

}  // namespace herald::router
