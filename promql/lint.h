// Mistakes PromQL accepts but an alert should not make (`herald check`): histogram_quantile over
// buckets aggregated without `le` (always NaN: an error), rate()/increase()/irate() over a metric
// whose name is not a counter's (a warning) or over a window shorter than four scrape intervals
// (a warning: Prometheus needs two samples in the window, and one missed scrape loses them).
#pragma once

#include <string>
#include <vector>

#include "model/duration.h"
#include "promql/ast.h"

namespace herald::promql {

struct Finding {
  size_t pos = 0;  // byte offset in the expression
  bool error = false;
  std::string message;
};

[[nodiscard]] std::vector<Finding> lint(const Expr& e, Duration scrape_interval);

}  // namespace herald::promql
