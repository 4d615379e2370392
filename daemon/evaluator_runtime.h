// EvaluatorRuntime: the evaluator side of `herald run`. From a LoadedConfig it wires one HTTP
// client and health tracker per datasource and one GroupEvaluator per rule group (plus herald's
// meta group), all on one Scheduler and worker pool; it restores stored alerts at start-up,
// persists every evaluation's changes, applies reloads (unchanged groups keep running, changed
// ones carry their alerts over), records self-metrics and logs transitions. Thread-safe: start()
// and apply() are serialised; snapshots may be taken from any thread.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "daemon/config_loader.h"
#include "daemon/datasource_connections.h"
#include "evaluator/alert_persistence.h"
#include "evaluator/executor.h"
#include "evaluator/group_evaluator.h"
#include "evaluator/meta_alerts.h"
#include "evaluator/prometheus_client.h"
#include "evaluator/scheduler.h"
#include "evaluator/sharding.h"
#include "model/metrics.h"
#include "storage/alert_history.h"
#include "storage/alert_store.h"

namespace herald::daemon {

class EvaluatorRuntime {
 public:
  // Without a database, alert state lives in memory only (tests). History older than
  // `history_retention` is pruned hourly.
  EvaluatorRuntime(const Clock& clock, size_t workers, storage::Database* db,
                   Duration history_retention = std::chrono::hours(24 * 30));
  ~EvaluatorRuntime();

  // Where each evaluation's alerts to send go (the router, in-process). REQUIRES: before start().
  using AlertSink = std::function<void(std::vector<Alert>)>;
  void set_sink(AlertSink sink) { sink_ = std::move(sink); }
  // What HeraldNotificationsFailing fires on (the router's failing integrations). REQUIRES:
  // before start().
  void set_notification_failures(evaluator::NotificationFailuresFn fn) {
    notification_failures_ = std::move(fn);
  }
  // Evaluate only the rule groups `shard` owns (evaluator/sharding.h). REQUIRES: before start().
  void set_shard(evaluator::Shard shard) { shard_ = shard; }
  [[nodiscard]] const evaluator::Shard& shard() const { return shard_; }
  // What HeraldStorageFailing fires on. REQUIRES: before start().
  void set_storage_failures(evaluator::StorageFailuresFn fn) { storage_failures_ = std::move(fn); }

  // Restores the stored alerts of `config`'s rules (dropping those of rules that are gone) and
  // schedules every group. Fails only when the store cannot be read or updated.
  [[nodiscard]] Status start(std::shared_ptr<const LoadedConfig> config);
  // Applies a validated configuration (a reload).
  void apply(std::shared_ptr<const LoadedConfig> config);

  void run();   // blocks evaluating until stop()
  void stop();  // lets evaluations in flight finish, then records the heartbeat

  [[nodiscard]] std::vector<evaluator::GroupStatus> groups() const;
  // Every group has evaluated at least once since start-up (stays true across reloads).
  [[nodiscard]] bool ready() const;
  [[nodiscard]] MetricsRegistry& registry() { return metrics_; }
  [[nodiscard]] std::string metrics();

 private:
  struct Group;
  struct GroupSpec;
  using Groups = std::map<std::string, std::shared_ptr<Group>>;

  std::vector<GroupSpec> group_specs(const LoadedConfig& c, const DatasourceConnections& ds) const;
  void install(std::shared_ptr<const LoadedConfig> config, DatasourceConnections ds,
               std::vector<GroupSpec> specs, evaluator::RestorePlan* restore);
  std::shared_ptr<Group> make_group(GroupSpec spec);
  void forget(const std::vector<storage::RuleKey>& rules);
  void schedule(const std::shared_ptr<Group>& g);
  void heartbeat(WallTime ts);
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
    MetricFamily& storage_transactions;
    MetricFamily& storage_rows;
    MetricFamily& storage_failures;
    MetricFamily& datasource_unreachable;
  };
  static Families register_families(MetricsRegistry& registry);

  const Clock& clock_;
  AlertSink sink_;
  evaluator::NotificationFailuresFn notification_failures_;
  evaluator::StorageFailuresFn storage_failures_;
  evaluator::Shard shard_;
  storage::Database* db_;
  std::unique_ptr<storage::AlertStore> store_;
  std::unique_ptr<storage::AlertHistory> history_;
  Duration history_retention_;
  WallTime last_prune_{};  // only the heartbeat job touches it
  MetricsRegistry metrics_;
  Families families_;
  std::mutex apply_mu_;                         // serialises start() and apply()
  std::shared_ptr<const LoadedConfig> config_;  // GUARDED_BY(apply_mu_)
  DatasourceConnections datasources_;           // GUARDED_BY(apply_mu_)
  mutable std::atomic<bool> ready_{false};
  mutable std::mutex groups_mu_;
  Groups groups_;  // GUARDED_BY(groups_mu_); replaced only under apply_mu_ too
  evaluator::ThreadPool pool_;
  evaluator::Scheduler scheduler_;
};

}  // namespace herald::daemon
