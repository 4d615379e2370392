// Health bookkeeping per datasource.
#include "evaluator/datasource_health.h"

namespace herald::evaluator {

void DatasourceHealth::record(WallTime ts, const Error* error) {
  const bool down =
      error && (error->code == ErrorCode::kUnavailable || error->code == ErrorCode::kRejected);
  std::lock_guard lock(mu_);
  if (!down) {
    if (!error) down_since_.reset();  // a bad expression says nothing about reachability
    return;
  }
  if (!down_since_ || ts < *down_since_) down_since_ = ts;
}

std::optional<WallTime> DatasourceHealth::down_since() const {
  std::lock_guard lock(mu_);
  return down_since_;
}

QueryFn recording_health(QueryFn query, DatasourceHealth& health) {
  return [query = std::move(query), &health](std::string_view expr,
                                             WallTime ts) -> Result<QueryResult> {
    Result<QueryResult> r = query(expr, ts);
    health.record(ts, r ? nullptr : &r.error());
    return r;
  };
}

}  // namespace herald::evaluator
