// EvaluatorRuntime: the evaluator side of `herald run`, wired from a loaded Config and its rule
// files — one HTTP client and health tracker per datasource, one GroupEvaluator per rule group
// (plus herald's meta group), all on one Scheduler and worker pool. It records self-metrics and
// logs every alert transition. Thread-safe snapshots for the HTTP server.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app/curl_http_client.h"
#include "config/config.h"
#include "config/rule_file.h"
#include "evaluator/datasource_health.h"
#include "evaluator/executor.h"
#include "evaluator/group_evaluator.h"
#include "evaluator/prometheus_client.h"
#include "evaluator/scheduler.h"
#include "model/metrics.h"

namespace herald::app {

class EvaluatorRuntime {
 public:
  // REQUIRES: `config` has a default datasource when `rule_files` hold any rule.
  EvaluatorRuntime(const config::Config& config, const std::vector<config::RuleFile>& rule_files,
                   const Clock& clock, size_t workers);
  ~EvaluatorRuntime();

  void run();   // blocks evaluating until stop()
  void stop();  // lets evaluations in flight finish

  [[nodiscard]] std::vector<evaluator::GroupStatus> groups() const;
  [[nodiscard]] bool ready() const;  // every group evaluated at least once
  [[nodiscard]] std::string metrics();

 private:
  struct Datasource {
    std::unique_ptr<CurlHttpClient> http;
    std::unique_ptr<evaluator::PrometheusClient> client;
    std::unique_ptr<evaluator::DatasourceHealth> health;
  };
  struct Group {
    std::string key;  // "<file>;<group>", Prometheus's rule_group label
    std::unique_ptr<evaluator::GroupEvaluator> evaluator;
  };
  void add_group(std::string file, config::RuleGroup group, evaluator::QueryFn query,
                 const std::string& datasource_url);
  void evaluate(Group& g, WallTime ts);
  void record(const Group& g, const evaluator::GroupEvaluation& e);

  // The self-metric families, registered once; evaluations record into them directly.
  struct Families {
    MetricFamily& evaluations;
    MetricFamily& failures;
    MetricFamily& last_duration;
    MetricFamily& missed;
    MetricFamily& last_evaluation;
    MetricFamily& alerts;
    MetricFamily& series;
  };
  static Families register_families(MetricsRegistry& registry);

  const config::Config& config_;
  const Clock& clock_;
  MetricsRegistry metrics_;
  Families families_;
  std::vector<Datasource> datasources_;
  std::vector<std::unique_ptr<Group>> groups_;
  evaluator::ThreadPool pool_;
  evaluator::Scheduler scheduler_;
};

}  // namespace herald::app
