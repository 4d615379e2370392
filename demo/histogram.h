// Histogram: a Prometheus-style cumulative histogram fed with *expected* observations. Adding n
// requests from a latency distribution adds n·CDF(le) to each bucket, so the demo's latency
// quantiles are smooth and reproducible instead of sampled. Not thread-safe.
#pragma once

#include <span>
#include <vector>

namespace herald::demo {

class Histogram {
 public:
  explicit Histogram(std::span<const double> bounds);

  // Adds `n` observations distributed as `offset + LogNormal(median, sigma)` seconds.
  void observe_lognormal(double n, double median, double sigma, double offset = 0);
  // Adds `n` observations of exactly `value`.
  void observe_constant(double n, double value);

  [[nodiscard]] std::span<const double> bounds() const { return bounds_; }
  // Whole observation counts per bound (le), cumulative and non-decreasing in le and over time.
  [[nodiscard]] std::vector<double> cumulative_counts() const;
  [[nodiscard]] double sum() const { return sum_; }
  [[nodiscard]] double count() const { return count_; }

 private:
  std::span<const double> bounds_;
  std::vector<double> cumulative_;  // fractional expected counts; floored when read
  double sum_ = 0;
  double count_ = 0;
};

// P(offset + LogNormal(median, sigma) <= x).
double lognormal_cdf(double x, double median, double sigma, double offset = 0);

}  // namespace herald::demo
