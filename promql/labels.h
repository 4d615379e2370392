// What labels an expression's result can carry, from its syntax alone (issue: catching
// `{{ $labels.X }}` where X is aggregated away, a drilldown or route on a label no alert has).
// Follows Prometheus 2.42's evaluation: aggregations keep their `by` labels or drop their
// `without` labels and the metric name; arithmetic, bool comparisons and most functions drop
// the metric name; filters (comparisons without bool, and/unless, topk, sort) keep the left
// side's labels; vector matching keeps the `on` labels or drops the `ignoring` ones and adds
// group_left/group_right's extras. Also the threshold split of an alerting expression.
#pragma once

#include <optional>
#include <set>
#include <string>

#include "promql/ast.h"

namespace herald::promql {

struct ResultLabels {
  // closed: the result carries at most `names`. Open: it may carry any label but `dropped`
  // (a selector's series have labels no syntax reveals).
  bool closed = true;
  std::set<std::string> names;    // closed: the possible labels; open: labels it surely has
  std::set<std::string> dropped;  // open: labels it surely lacks
  [[nodiscard]] bool may_have(const std::string& label) const {
    return closed ? names.contains(label) : !dropped.contains(label);
  }
};

[[nodiscard]] ResultLabels result_labels(const Expr& e);

// `X > 0.05` (or `0.05 < X`, or either guarded by `and`/`unless`): the value charted, the
// comparison as if the constant were on the right, and the constant.
struct ThresholdSplit {
  const Expr* value = nullptr;
  Tok op = Tok::kGtr;
  double threshold = 0;
};
[[nodiscard]] std::optional<ThresholdSplit> threshold_split(const Expr& e);

}  // namespace herald::promql
