// Datasource health: every query's outcome is recorded per datasource, so that when queries have
// failed for `unreachable_after` HeraldDatasourceUnreachable{datasource} fires
// (evaluator/meta_alerts.h; docs/compatibility.md "Deliberate differences").
// Thread-safe.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

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

// Wraps a datasource's query function so every outcome is recorded in `health`.
[[nodiscard]] QueryFn recording_health(QueryFn query, DatasourceHealth& health);

}  // namespace herald::evaluator
