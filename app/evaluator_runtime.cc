// Wiring of datasources, groups, scheduler, metrics and transition logs.
#include "app/evaluator_runtime.h"

#include "app/log.h"
#include "app/prometheus_api.h"
#include "evaluator/slots.h"
#include "model/go_float.h"

namespace herald::app {
namespace {

evaluator::DatasourceOptions client_options(const config::Datasource& d) {
  evaluator::DatasourceOptions o;
  o.url = d.url;
  o.timeout = d.timeout;
  o.bearer_token = d.bearer_token.reveal();
  o.bearer_token_file = d.bearer_token_file;
  for (const auto& [k, v] : d.headers)
    o.headers.emplace_back(k, v.reveal());
  return o;
}

TlsOptions tls_options(const config::TlsConfig& t) {
  return TlsOptions{t.ca_file, t.cert_file, t.key_file, t.server_name, t.insecure_skip_verify};
}

double unix_seconds(WallTime t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

}  // namespace

EvaluatorRuntime::EvaluatorRuntime(const config::Config& config,
                                   const std::vector<config::RuleFile>& rule_files,
                                   const Clock& clock, size_t workers)
    : config_(config),
      clock_(clock),
      families_(register_families(metrics_)),
      pool_(workers),
      scheduler_(clock, pool_) {
  metrics_.gauge("herald_config_last_reload_successful", "Whether the last reload succeeded.")
      .set({}, 1);
  metrics_.gauge("herald_config_last_reload_success_timestamp_seconds", "Last successful load.")
      .set({}, unix_seconds(clock.now()));

  std::vector<const evaluator::DatasourceHealth*> health;
  for (const config::Datasource& d : config.datasources) {
    Datasource ds;
    ds.http = std::make_unique<CurlHttpClient>(tls_options(d.tls_config));
    ds.client = std::make_unique<evaluator::PrometheusClient>(client_options(d), *ds.http);
    ds.health = std::make_unique<evaluator::DatasourceHealth>(d.name, d.unreachable_after);
    health.push_back(ds.health.get());
    datasources_.push_back(std::move(ds));
  }
  const config::Datasource* def = config.default_datasource();
  for (const config::RuleFile& f : rule_files) {
    for (const config::RuleGroup& g : f.groups) {
      if (!def) break;
      const size_t i = static_cast<size_t>(def - config.datasources.data());
      evaluator::PrometheusClient* client = datasources_[i].client.get();
      auto query = [client](std::string_view expr, WallTime ts) { return client->query(expr, ts); };
      add_group(f.path, g, evaluator::recording_health(query, *datasources_[i].health), def->url);
    }
  }
  if (!datasources_.empty()) {
    add_group(evaluator::kMetaGroupFile, evaluator::meta_alert_group(),
              evaluator::meta_alert_query(health), "");
  }
}

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
  };
}

void EvaluatorRuntime::add_group(std::string file, config::RuleGroup group,
                                 evaluator::QueryFn query, const std::string& datasource_url) {
  evaluator::GroupContext ctx{config_.global.evaluation_interval, std::chrono::minutes(1),
                              config_.global.external_labels, config_.global.external_url,
                              datasource_url};
  auto g = std::make_unique<Group>();
  g->key = file + ";" + group.name;
  g->evaluator = std::make_unique<evaluator::GroupEvaluator>(file, std::move(group), ctx,
                                                             std::move(query), clock_);
  const Duration interval = g->evaluator->interval();
  const Duration offset = evaluator::group_offset(file, g->evaluator->name(), interval);
  Group* raw = g.get();
  groups_.push_back(std::move(g));
  scheduler_.add(raw->key, interval, offset, [this, raw](WallTime ts) { evaluate(*raw, ts); });
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
               {"at", rfc3339(t.at)}});
  }
  for (const std::string& err : e.errors) {
    log_event(LogLevel::kWarn, "rule evaluation failed", {{"rule_group", g.key}, {"err", err}});
  }
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
}

std::vector<evaluator::GroupStatus> EvaluatorRuntime::groups() const {
  std::vector<evaluator::GroupStatus> out;
  out.reserve(groups_.size());
  for (const auto& g : groups_)
    out.push_back(g->evaluator->status());
  return out;
}

bool EvaluatorRuntime::ready() const {
  for (const auto& g : groups_) {
    auto s = scheduler_.stats(g->key);
    if (!s || s->evaluations == 0) return false;
  }
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
  return metrics_.render();
}

}  // namespace herald::app
