// ExpositionWriter: builds Prometheus text exposition format 0.0.4 (`# HELP`, `# TYPE`, samples,
// histograms as cumulative `_bucket{le}` + `_sum` + `_count`), escaping label values and help
// text: the one writer behind herald's /metrics (model/metrics.h) and the demo exporter. Not
// thread-safe; one writer per scrape.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace herald {

// Label pairs in output order; pairs whose value is empty are omitted, as Prometheus treats an
// empty label value as an absent label.
using LabelPairs = std::vector<std::pair<std::string_view, std::string>>;

// A sample value as the format writes it: shortest round-trip decimal, or +Inf / -Inf / NaN.
[[nodiscard]] std::string format_metric_value(double v);

// Escapes a label value: backslash, double quote and newline.
[[nodiscard]] std::string escape_label_value(std::string_view v);

class ExpositionWriter {
 public:
  // Starts a metric family; `type` is "counter", "gauge" or "histogram".
  void family(std::string_view name, std::string_view type, std::string_view help);
  void sample(std::string_view name, const LabelPairs& labels, double value);
  // `cumulative[i]` counts observations <= bounds[i]; the +Inf bucket is `count`.
  void histogram(std::string_view name, const LabelPairs& labels, std::span<const double> bounds,
                 std::span<const double> cumulative, double sum, double count);
  [[nodiscard]] std::string take() { return std::move(out_); }

 private:
  void write_labels(const LabelPairs& labels, std::string_view le);
  std::string out_;
};

}  // namespace herald
