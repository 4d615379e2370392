// Metric families and their text exposition.
#include "model/metrics.h"

namespace herald {
namespace {

const char* type_name(MetricFamily::Type t) {
  switch (t) {
    case MetricFamily::Type::kCounter:
      return "counter";
    case MetricFamily::Type::kGauge:
      return "gauge";
    case MetricFamily::Type::kHistogram:
      return "histogram";
  }
  return "untyped";
}

LabelPairs pairs(const LabelSet& labels) {
  LabelPairs out;
  out.reserve(labels.size());
  for (const Label& l : labels)
    out.emplace_back(l.name, l.value);
  return out;
}

}  // namespace

MetricFamily::MetricFamily(std::string name, std::string help, Type type,
                           std::vector<double> buckets)
    : name_(std::move(name)), help_(std::move(help)), type_(type), buckets_(std::move(buckets)) {}

void MetricFamily::inc(const LabelSet& labels, double by) {
  std::lock_guard lock(mu_);
  series_[labels].value += by;
}

void MetricFamily::set(const LabelSet& labels, double value) {
  std::lock_guard lock(mu_);
  series_[labels].value = value;
}

void MetricFamily::observe(const LabelSet& labels, double value) {
  std::lock_guard lock(mu_);
  Series& s = series_[labels];
  if (s.bucket_counts.empty()) s.bucket_counts.assign(buckets_.size(), 0);
  for (size_t i = 0; i < buckets_.size(); ++i) {
    if (value <= buckets_[i]) {
      s.bucket_counts[i]++;
      break;
    }
  }
  s.count++;
  s.value += value;
}

void MetricFamily::remove(const LabelSet& labels) {
  std::lock_guard lock(mu_);
  series_.erase(labels);
}

void MetricFamily::clear() {
  std::lock_guard lock(mu_);
  series_.clear();
}

double MetricFamily::value(const LabelSet& labels) const {
  std::lock_guard lock(mu_);
  auto it = series_.find(labels);
  return it == series_.end() ? 0 : it->second.value;
}

void MetricFamily::render(ExpositionWriter& w) const {
  w.family(name_, type_name(type_), help_);
  std::lock_guard lock(mu_);
  for (const auto& [labels, s] : series_) {
    if (type_ != Type::kHistogram) {
      w.sample(name_, pairs(labels), s.value);
      continue;
    }
    std::vector<double> cumulative(buckets_.size());
    uint64_t sum = 0;
    for (size_t i = 0; i < buckets_.size(); ++i) {
      sum += s.bucket_counts.empty() ? 0 : s.bucket_counts[i];
      cumulative[i] = static_cast<double>(sum);
    }
    w.histogram(name_, pairs(labels), buckets_, cumulative, s.value, static_cast<double>(s.count));
  }
}

MetricFamily& MetricsRegistry::add(const std::string& name, std::unique_ptr<MetricFamily> f) {
  std::lock_guard lock(mu_);
  auto [it, inserted] = families_.try_emplace(name, std::move(f));
  return *it->second;  // registering a name twice returns the first family
}

MetricFamily& MetricsRegistry::counter(const std::string& name, const std::string& help) {
  return add(name, std::make_unique<MetricFamily>(name, help, MetricFamily::Type::kCounter));
}

MetricFamily& MetricsRegistry::gauge(const std::string& name, const std::string& help) {
  return add(name, std::make_unique<MetricFamily>(name, help, MetricFamily::Type::kGauge));
}

MetricFamily& MetricsRegistry::histogram(const std::string& name, const std::string& help,
                                         std::vector<double> buckets) {
  return add(name, std::make_unique<MetricFamily>(name, help, MetricFamily::Type::kHistogram,
                                                  std::move(buckets)));
}

std::string MetricsRegistry::render() const {
  ExpositionWriter w;
  std::lock_guard lock(mu_);
  for (const auto& [name, f] : families_)
    f->render(w);
  return w.take();
}

}  // namespace herald
