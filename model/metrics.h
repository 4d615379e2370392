// A small metrics registry rendered in Prometheus's text exposition format (0.0.4). Families
// are created once at wiring time; recording is cheap and thread-safe. Written here rather than
// pulling in prometheus-cpp (not packaged in Debian 12) — herald needs only counters, gauges and
// one histogram shape.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "model/exposition.h"
#include "model/labels.h"

namespace herald {

class MetricFamily {
 public:
  enum class Type { kCounter, kGauge, kHistogram };
  MetricFamily(std::string name, std::string help, Type type, std::vector<double> buckets = {});

  void inc(const LabelSet& labels = {}, double by = 1);           // counters (and gauges)
  void set(const LabelSet& labels, double value);                 // gauges
  void observe(const LabelSet& labels, double value);             // histograms
  void remove(const LabelSet& labels);                            // a series that no longer exists
  void clear();                                                   // gauges recomputed from scratch
  [[nodiscard]] double value(const LabelSet& labels = {}) const;  // counters/gauges (tests)

  void render(ExpositionWriter& w) const;

 private:
  struct Series {
    double value = 0;                     // counter/gauge, or histogram sum
    uint64_t count = 0;                   // histogram
    std::vector<uint64_t> bucket_counts;  // histogram, non-cumulative
  };
  std::string name_, help_;
  Type type_;
  std::vector<double> buckets_;
  mutable std::mutex mu_;
  std::map<LabelSet, Series> series_;  // GUARDED_BY(mu_)
};

class MetricsRegistry {
 public:
  MetricFamily& counter(const std::string& name, const std::string& help);
  MetricFamily& gauge(const std::string& name, const std::string& help);
  MetricFamily& histogram(const std::string& name, const std::string& help,
                          std::vector<double> buckets);
  // The whole exposition, families in name order.
  [[nodiscard]] std::string render() const;

 private:
  MetricFamily& add(const std::string& name, std::unique_ptr<MetricFamily> f);
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<MetricFamily>> families_;  // GUARDED_BY(mu_)
};

}  // namespace herald
