// Datasource health and herald's meta-alert. Every query's outcome is recorded per datasource;
// when queries have failed for `unreachable_after`, HeraldDatasourceUnreachable{datasource} fires
// (specs/prometheus.md "Where herald deliberately differs"). The meta-alert is an ordinary
// alerting rule in a synthetic group whose query function reads these trackers, so it has the
// same state machine, API presence and sending as any rule. Thread-safe.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/rule_file.h"
#include "evaluator/group_evaluator.h"

namespace herald::evaluator {

class DatasourceHealth {
 public:
  DatasourceHealth(std::string name, Duration unreachable_after)
      : name_(std::move(name)), unreachable_after_(unreachable_after) {}

  // Records a query outcome at evaluation time `ts`. Only failures of the datasource itself
  // (unavailable: refused, timeouts, 5xx; rejected: 401/403) count; a bad expression does not.
  void record(WallTime ts, const Error* error);

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] Duration unreachable_after() const { return unreachable_after_; }
  [[nodiscard]] std::optional<WallTime> down_since() const;

 private:
  const std::string name_;
  const Duration unreachable_after_;
  mutable std::mutex mu_;
  std::optional<WallTime> down_since_;  // GUARDED_BY(mu_)
};

inline constexpr const char* kMetaGroupName = "herald";
inline constexpr const char* kMetaGroupFile = "<herald>";

// The synthetic group holding HeraldDatasourceUnreachable and HeraldNotificationsFailing.
[[nodiscard]] config::RuleGroup meta_alert_group();

// The receiver integrations whose deliveries keep failing at `ts`, as samples
// {receiver, integration} valued with the seconds they have been failing (the router's).
using NotificationFailuresFn = std::function<std::vector<QuerySample>(WallTime ts)>;

// Answers the meta group's queries. HeraldDatasourceUnreachable: one sample {datasource="<name>"}
// per datasource that has been failing for at least its unreachable_after, valued with the
// seconds it has been down. HeraldNotificationsFailing: `failures` (none when it is empty).
[[nodiscard]] QueryFn meta_alert_query(std::vector<const DatasourceHealth*> datasources,
                                       NotificationFailuresFn failures = {});

// Wraps a datasource's query function so every outcome is recorded in `health`.
[[nodiscard]] QueryFn recording_health(QueryFn query, DatasourceHealth& health);

}  // namespace herald::evaluator
