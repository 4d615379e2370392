// What a Prometheus query returns, decoded: instant samples (vector or scalar) with the server's
// warnings, and range series. Plain values; safe to copy between threads.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "model/clock.h"
#include "model/labels.h"

namespace herald::evaluator {

struct QuerySample {
  LabelSet labels;  // as returned, __name__ included; empty for a scalar result
  double value = 0;
};

struct QueryResult {
  std::vector<QuerySample> samples;
  std::vector<std::string> warnings;  // e.g. "PromQL info: metric might not be a counter"
};

struct RangeSeries {
  LabelSet labels;
  std::vector<std::pair<WallTime, double>> points;  // in time order, as returned
};

}  // namespace herald::evaluator
