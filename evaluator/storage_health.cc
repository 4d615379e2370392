// Failing spells of storage writes, and HeraldStorageFailing's samples.
#include "evaluator/storage_health.h"

namespace herald::evaluator {

void StorageHealth::observe(WallTime ts, const storage::Database::Counters& totals) {
  std::lock_guard lock(mu_);
  if (totals.failures > last_.failures) {
    if (!failing_since_) failing_since_ = ts;
  } else if (totals.transactions > last_.transactions) {
    failing_since_.reset();
  }
  last_ = totals;
}

std::optional<WallTime> StorageHealth::failing_since() const {
  std::lock_guard lock(mu_);
  return failing_since_;
}

std::vector<QuerySample> storage_failure_samples(std::optional<WallTime> failing_since,
                                                 std::optional<WallTime> unrecorded_since,
                                                 WallTime ts) {
  std::vector<QuerySample> out;
  auto seconds = [&](WallTime since) { return std::chrono::duration<double>(ts - since).count(); };
  if (failing_since && ts - *failing_since >= kStorageFailingFor) {
    out.push_back({LabelSet{{"cause", "write_failures"}}, seconds(*failing_since)});
  }
  if (unrecorded_since) {
    out.push_back({LabelSet{{"cause", "unrecorded_notifications"}}, seconds(*unrecorded_since)});
  }
  return out;
}

}  // namespace herald::evaluator
