// DemoSimulation: the pure model behind `herald demo-exporter` — a fleet of LLM models served by
// vLLM-style engines on DCGM-monitored GPUs behind a FastAPI gateway. Time is always passed in
// (no clock reads) and noise is a function of (seed, time), so tests drive it with explicit
// times and the same seed yields the same metrics. Not thread-safe: the HTTP layer serialises.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "demo/catalog.h"
#include "demo/histogram.h"
#include "demo/incident.h"
#include "model/clock.h"
#include "model/error.h"

namespace herald {
class ExpositionWriter;
}  // namespace herald

namespace herald::demo {

class DemoSimulation {
 public:
  // The fleet has been up for a seed-dependent 1–4 days at `start`, so counters start non-zero.
  DemoSimulation(uint64_t seed, WallTime start);

  // Accrues traffic up to `now` in steps of at most one second. Earlier times are ignored, so
  // counters never go backwards.
  void advance_to(WallTime now);

  // Starts (or restarts) an incident on `model`; invalid input for an unknown model or a
  // non-positive ramp. Takes effect from the current simulated time.
  [[nodiscard]] Status start_incident(IncidentKind kind, std::string_view model,
                                      double ramp_seconds = 60);
  // Returns false when no such incident was active.
  bool clear_incident(IncidentKind kind, std::string_view model);
  void clear_all_incidents() { incidents_.clear(); }
  [[nodiscard]] const std::vector<Incident>& incidents() const { return incidents_; }

  // The /metrics body at the current simulated time (text exposition format 0.0.4).
  [[nodiscard]] std::string exposition() const;

  // Current GPU frame-buffer use in MiB for gpus()[gpu] (0 for an idle GPU).
  [[nodiscard]] double gpu_used_mib(size_t gpu) const;
  [[nodiscard]] double now_seconds() const { return now_; }

 private:
  // Counters of one (model, mode).
  struct ModeState {
    explicit ModeState(std::span<const double> buckets) : latency(buckets) {}
    double arrival_carry = 0;  // fractional requests not yet emitted
    std::array<double, kFailureCount> failure_carry{};
    double success = 0;
    double errors = 0;
    Histogram latency;
  };
  // What a step's requests of one (model, mode) experience.
  struct Conditions {
    bool loaded = true;
    std::array<double, kFailureCount> failure_ratio{};
    double median_s = 0;
    double sigma = 0;
  };

  void step(double t, double dt);
  [[nodiscard]] Conditions conditions(size_t model, size_t mode, double t) const;
  void record(size_t model, size_t mode, double n, const Conditions& c);
  void record_health(double n);
  [[nodiscard]] const Incident* find(IncidentKind kind, std::string_view model) const;
  [[nodiscard]] double load_factor(size_t model, double t) const;

  void write_llm_families(ExpositionWriter& w) const;
  void write_memory_families(ExpositionWriter& w) const;
  void write_gpu_families(ExpositionWriter& w) const;
  void write_http_families(ExpositionWriter& w) const;
  // Per-model memory split at the current time: weights, kv_cache, activations (MiB).
  [[nodiscard]] std::array<double, 3> memory_mib(size_t model) const;

  uint64_t seed_;
  double now_;
  std::vector<std::vector<ModeState>> modes_;                // [model][mode]
  std::vector<std::array<double, kFailureCount>> failures_;  // llm_errors_total [model][failure]
  std::map<std::pair<std::string, std::string>, double> http_requests_;  // (path, status)
  std::map<std::string, Histogram> http_latency_;                        // path
  double health_carry_ = 0;
  std::vector<Incident> incidents_;
};

}  // namespace herald::demo
