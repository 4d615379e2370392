// Storage health: whether herald's SQLite writes keep failing, from the database's write totals
// observed at each evaluation of the meta group, and HeraldStorageFailing's samples
// (evaluator/meta_alerts.h). Thread-safe.
#pragma once

#include <mutex>
#include <optional>
#include <vector>

#include "evaluator/query_result.h"
#include "model/clock.h"
#include "model/duration.h"
#include "storage/database.h"

namespace herald::evaluator {

// Writes must keep failing this long before HeraldStorageFailing fires on them: one busy timeout
// (another process holding the lock for a moment) is not worth a page.
inline constexpr Duration kStorageFailingFor = std::chrono::minutes(1);

class StorageHealth {
 public:
  // Records the database's write totals at `ts`. Writes that failed since the previous
  // observation start (or continue) a failing spell; writes that all committed end it; no writes
  // at all change nothing.
  void observe(WallTime ts, const storage::Database::Counters& totals);
  [[nodiscard]] std::optional<WallTime> failing_since() const;

 private:
  mutable std::mutex mu_;
  storage::Database::Counters last_;       // GUARDED_BY(mu_)
  std::optional<WallTime> failing_since_;  // GUARDED_BY(mu_)
};

// HeraldStorageFailing's samples at `ts`, each valued with the seconds its cause has lasted:
// {cause="write_failures"} once writes have been failing since `failing_since` for at least
// kStorageFailingFor, and {cause="unrecorded_notifications"} while a notification delivered at
// `unrecorded_since` (the oldest such) is not recorded.
[[nodiscard]] std::vector<QuerySample> storage_failure_samples(
    std::optional<WallTime> failing_since, std::optional<WallTime> unrecorded_since, WallTime ts);

}  // namespace herald::evaluator
