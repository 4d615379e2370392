// Expected-value histogram for the demo exporter.
#include "demo/histogram.h"

#include <cmath>

namespace herald::demo {

double lognormal_cdf(double x, double median, double sigma, double offset) {
  const double y = x - offset;
  if (y <= 0) return 0;
  return 0.5 * std::erfc(-std::log(y / median) / (sigma * std::sqrt(2.0)));
}

Histogram::Histogram(std::span<const double> bounds)
    : bounds_(bounds), cumulative_(bounds.size(), 0.0) {}

void Histogram::observe_lognormal(double n, double median, double sigma, double offset) {
  if (n <= 0) return;
  for (size_t i = 0; i < bounds_.size(); ++i) {
    cumulative_[i] += n * lognormal_cdf(bounds_[i], median, sigma, offset);
  }
  sum_ += n * (offset + median * std::exp(sigma * sigma / 2));
  count_ += n;
}

void Histogram::observe_constant(double n, double value) {
  if (n <= 0) return;
  for (size_t i = 0; i < bounds_.size(); ++i) {
    if (value <= bounds_[i]) cumulative_[i] += n;
  }
  sum_ += n * value;
  count_ += n;
}

std::vector<double> Histogram::cumulative_counts() const {
  // Flooring is monotone, so buckets stay cumulative, never exceed the (whole) count and never
  // decrease between scrapes.
  std::vector<double> out(cumulative_.size());
  for (size_t i = 0; i < cumulative_.size(); ++i)
    out[i] = std::floor(cumulative_[i]);
  return out;
}

}  // namespace herald::demo
