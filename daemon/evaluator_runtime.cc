// Wiring of datasources, groups, scheduler, storage, reloads, metrics and transition logs.
#include "daemon/evaluator_runtime.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "daemon/log.h"
#include "evaluator/slots.h"
#include "model/go_float.h"
#include "model/time_format.h"

namespace herald::daemon {
namespace {

// How often herald records that it is alive; the restore's downtime is accurate to this.
constexpr Duration kHeartbeatInterval = std::chrono::seconds(15);
constexpr Duration kPruneInterval = std::chrono::hours(1);
const std::string kHeartbeatKey = "<herald>;heartbeat";

double unix_seconds(WallTime t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

}  // namespace

struct EvaluatorRuntime::Group {
  std::string key;  // "<file>;<group>", Prometheus's rule_group label and the Scheduler's key
  evaluator::GroupId id;
  DatasourceConnections uses;  // kept alive while the group runs
  std::unique_ptr<evaluator::GroupEvaluator> evaluator;
};

struct EvaluatorRuntime::GroupSpec {
  evaluator::GroupId id;
  config::RuleGroup group;
  evaluator::GroupContext ctx;
  evaluator::QueryFn query;
  DatasourceConnections uses;
  [[nodiscard]] std::string key() const { return id.file + ";" + id.group; }
};

EvaluatorRuntime::EvaluatorRuntime(const Clock& clock, size_t workers, storage::Database* db,
                                   Duration history_retention)
    : clock_(clock),
      db_(db),
      store_(db ? std::make_unique<storage::AlertStore>(*db) : nullptr),
      history_(db ? std::make_unique<storage::AlertHistory>(*db) : nullptr),
      history_retention_(history_retention),
      families_(register_families(metrics_)),
      pool_(workers),
      scheduler_(clock, pool_) {}

EvaluatorRuntime::~EvaluatorRuntime() {
  stop();
}

EvaluatorRuntime::Families EvaluatorRuntime::register_families(MetricsRegistry& r) {
  return Families{
      r.counter("herald_rule_evaluations_total", "Rule evaluations, by rule group."),
      r.counter("herald_rule_evaluation_failures_total",
                "Rule evaluations that failed, by rule group."),
      r.gauge("herald_rule_group_last_duration_seconds",
              "Duration of the group's last evaluation."),
      r.counter("herald_rule_group_iterations_missed_total",
                "Evaluation slots skipped because the group overran."),
      r.gauge("herald_rule_group_last_evaluation_timestamp_seconds",
              "Timestamp of the group's last evaluation."),
      r.gauge("herald_alerts", "Alerts by state."),
      r.gauge("herald_rule_last_series_fetched",
              "Series the rule's last query returned (0 often means a typo)."),
      r.counter("herald_storage_transactions_total", "Write transactions committed to SQLite."),
      r.counter("herald_storage_rows_written_total", "Rows those transactions wrote."),
      r.counter("herald_storage_write_failures_total",
                "Writes that failed and were rolled back (the evaluation is retried)."),
      r.gauge("herald_datasource_unreachable_seconds",
              "How long each datasource's queries have failed for want of the datasource "
              "(refused, timed out, 5xx, 401/403); 0 when its last query reached it."),
  };
}

std::vector<EvaluatorRuntime::GroupSpec> EvaluatorRuntime::group_specs(
    const LoadedConfig& c, const DatasourceConnections& ds) const {
  std::vector<GroupSpec> out;
  const config::Datasource* def = c.config.default_datasource();
  const evaluator::GroupContext ctx{c.config.global.evaluation_interval, std::chrono::minutes(1),
                                    c.config.global.external_labels, c.config.global.external_url,
                                    def ? def->url : ""};
  if (def) {
    const std::shared_ptr<DatasourceConnection>& d =
        ds[static_cast<size_t>(def - c.config.datasources.data())];
    evaluator::PrometheusClient* client = d->client.get();
    auto query = [client](std::string_view expr, WallTime ts) { return client->query(expr, ts); };
    for (const config::RuleFile& f : c.rules) {
      for (const config::RuleGroup& g : f.groups) {
        if (!shard_.owns(f.path, g.name)) continue;  // another replica's
        out.push_back(
            {{f.path, g.name}, g, ctx, evaluator::recording_health(query, *d->health), {d}});
      }
    }
  }
  if (!ds.empty()) {
    std::vector<const evaluator::DatasourceHealth*> health;
    for (const auto& d : ds)
      health.push_back(d->health.get());
    evaluator::GroupContext meta_ctx = ctx;
    meta_ctx.datasource_url = "";
    out.push_back({{evaluator::kMetaGroupFile, evaluator::meta_alert_group().name},
                   evaluator::meta_alert_group(),
                   meta_ctx,
                   evaluator::meta_alert_query(health, notification_failures_, storage_failures_),
                   ds});
  }
  return out;
}

Status EvaluatorRuntime::start(std::shared_ptr<const LoadedConfig> config) {
  std::lock_guard lock(apply_mu_);
  metrics_
      .gauge("herald_shard",
             "Which rule groups this process evaluates (--cluster.shard): index of count.")
      .set({{"index", std::to_string(shard_.index)}, {"count", std::to_string(shard_.count)}}, 1);
  auto ds = connect_datasources(config->config.datasources, datasources_);
  std::vector<GroupSpec> specs = group_specs(*config, ds);
  evaluator::RestorePlan plan;
  if (store_) {
    auto stored = store_->load();
    if (!stored) return tl::unexpected(stored.error().with_context("restoring alerts"));
    auto last_seen = store_->last_seen();
    if (!last_seen) return tl::unexpected(last_seen.error().with_context("restoring alerts"));
    std::set<storage::RuleKey> rules;
    for (const GroupSpec& s : specs) {
      for (const evaluator::RuleId& r : evaluator::alerting_rule_ids(s.group))
        rules.insert(evaluator::rule_key(s.id, r));
    }
    const WallTime now = clock_.now();
    plan = evaluator::plan_restore(std::move(*stored), rules, *last_seen, now,
                                   config->config.global.for_outage_tolerance);
    for (const storage::RuleKey& k : plan.dropped) {
      log_event(LogLevel::kWarn, "dropped stored alerts of a rule that no longer exists",
                {{"file", k.file}, {"group", k.group}, {"rule", k.rule}});
    }
    if (auto f = store_->forget(plan.dropped); !f) return tl::unexpected(f.error());
    if (auto w = store_->write({plan.restarted, {}}); !w) return tl::unexpected(w.error());
    if (auto m = store_->mark_seen(now); !m) return tl::unexpected(m.error());
    log_event(LogLevel::kInfo, "restored alerts",
              {{"firing", std::to_string(plan.firing)},
               {"pending", std::to_string(plan.pending)},
               {"resolved", std::to_string(plan.resolved)},
               {"dropped", std::to_string(plan.dropped_alerts)},
               {"for_restarted", std::to_string(plan.restarted.size())},
               {"downtime", plan.downtime ? format_duration(*plan.downtime) : "unknown"}});
    scheduler_.add(kHeartbeatKey, kHeartbeatInterval, Duration{0},
                   [this](WallTime ts) { heartbeat(ts); });
  }
  install(std::move(config), std::move(ds), std::move(specs), &plan);
  return {};
}

void EvaluatorRuntime::apply(std::shared_ptr<const LoadedConfig> config) {
  std::lock_guard lock(apply_mu_);
  auto ds = connect_datasources(config->config.datasources, datasources_);
  std::vector<GroupSpec> specs = group_specs(*config, ds);
  install(std::move(config), std::move(ds), std::move(specs), nullptr);
}

// REQUIRES: apply_mu_ held.
void EvaluatorRuntime::install(std::shared_ptr<const LoadedConfig> config, DatasourceConnections ds,
                               std::vector<GroupSpec> specs, evaluator::RestorePlan* restore) {
  Groups old;
  {
    std::lock_guard lock(groups_mu_);
    old = groups_;
  }
  Groups next;
  std::vector<std::shared_ptr<Group>> fresh;
  std::vector<storage::RuleKey> gone;
  auto retire = [&](const std::shared_ptr<Group>& g, const evaluator::GroupEvaluator* successor) {
    scheduler_.remove(g->key);  // waits for its evaluation in flight
    evaluator::GroupAlerts alerts = g->evaluator->alerts();
    const auto kept = successor ? successor->rule_ids() : std::vector<evaluator::RuleId>{};
    for (const auto& [rule, unused] : alerts) {
      if (std::find(kept.begin(), kept.end(), rule) == kept.end())
        gone.push_back(evaluator::rule_key(g->id, rule));
    }
    return alerts;
  };
  for (GroupSpec& spec : specs) {
    const std::string key = spec.key();
    auto it = old.find(key);
    if (it != old.end() && it->second->uses == spec.uses &&
        it->second->evaluator->context() == spec.ctx &&
        evaluator::same_definition(it->second->evaluator->group(), spec.group)) {
      next[key] = it->second;  // unchanged: keeps running untouched
      old.erase(it);
      continue;
    }
    std::shared_ptr<Group> g = make_group(std::move(spec));
    if (it != old.end()) {
      g->evaluator->seed(retire(it->second, g->evaluator.get()));  // carried over
      old.erase(it);
    } else if (restore) {
      auto r = restore->groups.find(g->id);
      if (r != restore->groups.end()) g->evaluator->seed(std::move(r->second));
    }
    next[key] = g;
    fresh.push_back(g);
  }
  for (const auto& [key, g] : old)
    retire(g, nullptr);  // groups that no longer exist
  {
    std::lock_guard lock(groups_mu_);
    groups_ = std::move(next);
  }
  datasources_ = std::move(ds);
  config_ = std::move(config);
  forget(gone);
  for (const auto& g : fresh)
    schedule(g);
}

std::shared_ptr<EvaluatorRuntime::Group> EvaluatorRuntime::make_group(GroupSpec spec) {
  auto g = std::make_shared<Group>();
  g->key = spec.key();
  g->id = spec.id;
  g->uses = std::move(spec.uses);
  evaluator::PersistFn persist;
  if (store_) persist = [this](const storage::AlertWrite& w) { return store_->write(w); };
  g->evaluator = std::make_unique<evaluator::GroupEvaluator>(
      spec.id.file, std::move(spec.group), std::move(spec.ctx), std::move(spec.query), clock_,
      std::move(persist));
  return g;
}

void EvaluatorRuntime::forget(const std::vector<storage::RuleKey>& rules) {
  if (!store_ || rules.empty()) return;
  for (const storage::RuleKey& k : rules) {
    log_event(LogLevel::kInfo, "forgot alerts of a removed rule",
              {{"file", k.file}, {"group", k.group}, {"rule", k.rule}});
  }
  // A failure leaves rows of rules that no longer exist; the next start-up drops them.
  if (auto f = store_->forget(rules); !f) {
    log_event(LogLevel::kWarn, "could not delete stored alerts of removed rules",
              {{"err", f.error().message}});
  }
}

void EvaluatorRuntime::schedule(const std::shared_ptr<Group>& g) {
  const Duration interval = g->evaluator->interval();
  const Duration offset = evaluator::group_offset(g->id.file, g->id.group, interval);
  Group* raw = g.get();  // outlives its evaluations: retire() unschedules (waiting) first
  scheduler_.add(g->key, interval, offset, [this, raw](WallTime ts) { evaluate(*raw, ts); });
}

void EvaluatorRuntime::heartbeat(WallTime ts) {
  if (auto m = store_->mark_seen(ts); !m) {
    log_event(LogLevel::kWarn, "could not record heartbeat", {{"err", m.error().message}});
  }
  if (ts - last_prune_ < kPruneInterval) return;
  last_prune_ = ts;
  if (auto p = history_->prune(ts - history_retention_); !p) {
    log_event(LogLevel::kWarn, "could not prune alert history", {{"err", p.error().message}});
  }
}

void EvaluatorRuntime::evaluate(Group& g, WallTime ts) {
  const evaluator::GroupEvaluation e = g.evaluator->evaluate(ts);
  for (const evaluator::RuleTransition& rt : e.transitions) {
    const evaluator::Transition& t = rt.transition;
    log_event(LogLevel::kInfo, "alert transition",
              {{"rule_group", g.key},
               {"alertname", rt.rule},
               {"labels", t.labels.to_string()},
               {"from", std::string(to_string(t.from))},
               {"to", std::string(to_string(t.to))},
               {"value", format_float(t.value, 'e', -1)},
               {"at", format_rfc3339(t.at)}});
  }
  if (e.persist_error) {
    log_event(LogLevel::kError, "alert state not persisted; evaluation discarded, will retry",
              {{"rule_group", g.key}, {"err", e.persist_error->message}});
  }
  for (const std::string& err : e.errors) {
    log_event(LogLevel::kWarn, "rule evaluation failed", {{"rule_group", g.key}, {"err", err}});
  }
  // After persisting (a discarded evaluation has nothing to send), as Prometheus sends after
  // each evaluation.
  if (sink_ && !e.to_send.empty()) sink_(e.to_send);
  record(g, e);
}

void EvaluatorRuntime::record(const Group& g, const evaluator::GroupEvaluation& e) {
  const LabelSet group_label{{"rule_group", g.key}};
  const evaluator::GroupStatus st = g.evaluator->status();
  families_.evaluations.inc(group_label, static_cast<double>(st.rules.size()));
  families_.failures.inc(group_label, static_cast<double>(e.errors.size()));
  families_.last_duration.set(group_label,
                              std::chrono::duration<double>(st.evaluation_time).count());
  families_.last_evaluation.set(group_label, unix_seconds(e.ts));
  if (auto s = scheduler_.stats(g.key)) {
    families_.missed.set(group_label, static_cast<double>(s->missed));
  }
  for (const evaluator::RuleStatus& r : st.rules) {
    families_.series.set({{"rule_group", g.key}, {"rule", r.name}},
                         static_cast<double>(r.last_series_fetched));
  }
}

void EvaluatorRuntime::run() {
  scheduler_.run();
}

void EvaluatorRuntime::stop() {
  scheduler_.stop(true);
  if (store_) (void)store_->mark_seen(clock_.now());
}

std::vector<evaluator::GroupStatus> EvaluatorRuntime::groups() const {
  Groups groups;
  {
    std::lock_guard lock(groups_mu_);
    groups = groups_;
  }
  std::vector<evaluator::GroupStatus> out;
  out.reserve(groups.size());
  for (const auto& [key, g] : groups)
    out.push_back(g->evaluator->status());
  // Prometheus lists groups by file, then name.
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.file, a.name) < std::tie(b.file, b.name);
  });
  return out;
}

bool EvaluatorRuntime::ready() const {
  // Latched: a reload that replaces groups must not make Kubernetes take herald out of service
  // until they have evaluated (a whole interval).
  if (ready_.load()) return true;
  std::lock_guard lock(groups_mu_);
  for (const auto& [key, g] : groups_) {
    auto s = scheduler_.stats(key);
    if (!s || s->evaluations == 0) return false;
  }
  ready_.store(true);
  return true;
}

std::string EvaluatorRuntime::metrics() {
  std::map<std::string, double> by_state{{"pending", 0}, {"firing", 0}};
  for (const evaluator::GroupStatus& g : groups()) {
    for (const evaluator::RuleStatus& r : g.rules) {
      for (const RuleAlert& a : r.alerts) {
        if (a.state != AlertState::kInactive) by_state[std::string(to_string(a.state))]++;
      }
    }
  }
  for (const auto& [state, n] : by_state)
    families_.alerts.set({{"state", state}}, n);
  {
    std::lock_guard lock(apply_mu_);
    const WallTime now = clock_.now();
    for (const std::shared_ptr<DatasourceConnection>& d : datasources_) {
      const std::optional<WallTime> since = d->health->down_since();
      families_.datasource_unreachable.set(
          {{"datasource", d->health->name()}},
          since ? std::chrono::duration<double>(now - *since).count() : 0.0);
    }
  }
  if (db_) {
    const storage::Database::Counters c = db_->counters();
    families_.storage_transactions.set({}, static_cast<double>(c.transactions));
    families_.storage_rows.set({}, static_cast<double>(c.rows));
    families_.storage_failures.set({}, static_cast<double>(c.failures));
  }
  return metrics_.render();
}

}  // namespace herald::daemon
