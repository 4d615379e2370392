// DemoSimulation: traffic, failures and latency over time, and incident bookkeeping. The metric
// families are written in demo_simulation_metrics.cc.
#include "demo/simulation.h"

#include <algorithm>
#include <cmath>

#include "demo/noise.h"

namespace herald::demo {
namespace {

double to_seconds(WallTime t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

constexpr double kMaxStepSeconds = 1.0;
constexpr double kBurstErrorRatio = 0.25;  // error_burst: ±20 % noise → 20–30 %
constexpr double kOomErrorRatio = 0.02;    // oom_errors: well below HighErrorRate's 5 %
constexpr double kSpikeMedianS = 4.0;      // latency_spike: p95 lands in the 5–10 s bucket
constexpr double kSpikeSigma = 0.5;
constexpr double kHttpOverheadS = 0.004;   // FastAPI routing + serialisation on top of inference
constexpr double kRejectLatencyS = 0.003;  // a 503 for an unloaded model returns at once
constexpr double kHealthLatencyS = 0.002;

std::string noise_key(std::string_view model, std::string_view what) {
  return std::string(model) + "/" + std::string(what);
}

}  // namespace

DemoSimulation::DemoSimulation(uint64_t seed, WallTime start)
    : seed_(seed), now_(to_seconds(start)) {
  const auto ms = models();
  modes_.resize(ms.size());
  failures_.assign(ms.size(), {});
  for (auto& per_model : modes_) {
    for (size_t i = 0; i < modes().size(); ++i)
      per_model.emplace_back(latency_buckets());
  }
  for (const auto& mode : modes()) {
    http_latency_.emplace(std::string(mode.http_path), Histogram(latency_buckets()));
  }
  http_latency_.emplace("/health", Histogram(latency_buckets()));
  // Every status series exists from the start, so rate() sees a route's first failure.
  for (const auto& mode : modes()) {
    http_requests_[{std::string(mode.http_path), "200"}] = 0;
    for (int f = 0; f < kFailureCount; ++f) {
      const auto status = failure_spec(static_cast<Failure>(f)).http_status;
      http_requests_[{std::string(mode.http_path), std::string(status)}] = 0;
    }
  }
  // Back-fill the uptime in one go with healthy conditions, as if the fleet had been serving.
  const double uptime = 86400.0 * (1.0 + static_cast<double>(mix64(seed) % 3000) / 1000.0);
  for (size_t m = 0; m < ms.size(); ++m) {
    for (size_t k = 0; k < modes().size(); ++k) {
      const double share = k == 0 ? ms[m].chat_share : 1.0 - ms[m].chat_share;
      record(m, k, std::floor(ms[m].base_rps * share * uptime), conditions(m, k, now_));
    }
  }
  record_health(std::floor(kHealthRps * uptime));
}

void DemoSimulation::advance_to(WallTime now) {
  const double target = to_seconds(now);
  while (now_ < target) {
    const double dt = std::min(kMaxStepSeconds, target - now_);
    now_ += dt;
    step(now_, dt);
  }
}

double DemoSimulation::load_factor(size_t model, double t) const {
  const auto name = models()[model].name;
  // Slow drift (minutes) plus a faster wobble (seconds): 0.65–1.35 × the base rate.
  return 1.0 + 0.25 * smooth_noise(seed_, noise_key(name, "load"), t, 90) +
         0.10 * smooth_noise(seed_, noise_key(name, "wobble"), t, 7);
}

DemoSimulation::Conditions DemoSimulation::conditions(size_t model, size_t mode, double t) const {
  const ModelSpec& spec = models()[model];
  Conditions c;
  c.loaded = find(IncidentKind::kModelUnloaded, spec.name) == nullptr;
  const double base =
      kBaseErrorRatio * (1.0 + 0.5 * smooth_noise(seed_, noise_key(spec.name, "err"), t, 45));
  c.failure_ratio[static_cast<size_t>(Failure::kTimeout)] = 0.40 * base;
  c.failure_ratio[static_cast<size_t>(Failure::kInternal)] = 0.35 * base;
  c.failure_ratio[static_cast<size_t>(Failure::kConnection)] = 0.25 * base;
  if (find(IncidentKind::kErrorBurst, spec.name) != nullptr) {
    const double burst =
        kBurstErrorRatio * (1.0 + 0.2 * smooth_noise(seed_, noise_key(spec.name, "burst"), t, 10));
    c.failure_ratio[static_cast<size_t>(Failure::kInternal)] += 0.6 * burst;
    c.failure_ratio[static_cast<size_t>(Failure::kTimeout)] += 0.4 * burst;
  }
  if (find(IncidentKind::kOomErrors, spec.name) != nullptr) {
    c.failure_ratio[static_cast<size_t>(Failure::kOom)] += kOomErrorRatio;
  }
  const double wobble = 1.0 + 0.12 * smooth_noise(seed_, noise_key(spec.name, "latency"), t, 20);
  c.median_s = spec.median_latency_s * modes()[mode].latency_factor * wobble;
  c.sigma = spec.latency_sigma;
  if (find(IncidentKind::kLatencySpike, spec.name) != nullptr) {
    c.median_s = std::max(c.median_s, kSpikeMedianS * wobble);
    c.sigma = kSpikeSigma;
  }
  return c;
}

void DemoSimulation::step(double t, double dt) {
  const auto ms = models();
  for (size_t m = 0; m < ms.size(); ++m) {
    const double rps = ms[m].base_rps * load_factor(m, t);
    for (size_t k = 0; k < modes().size(); ++k) {
      ModeState& s = modes_[m][k];
      const double share = k == 0 ? ms[m].chat_share : 1.0 - ms[m].chat_share;
      s.arrival_carry += rps * share * dt;
      const double n = std::floor(s.arrival_carry);
      s.arrival_carry -= n;
      record(m, k, n, conditions(m, k, t));
    }
  }
  health_carry_ += kHealthRps * dt;
  const double probes = std::floor(health_carry_);
  health_carry_ -= probes;
  record_health(probes);
}

void DemoSimulation::record_health(double n) {
  if (n <= 0) return;
  http_requests_[{"/health", "200"}] += n;
  http_latency_.at("/health").observe_constant(n, kHealthLatencyS);
}

// Splits `n` whole requests into failures (by type, via fractional carries so ratios are exact
// over time) and successes, and feeds the latency histograms.
void DemoSimulation::record(size_t model, size_t mode, double n, const Conditions& c) {
  if (n <= 0) return;
  ModeState& s = modes_[model][mode];
  const std::string path(modes()[mode].http_path);
  if (!c.loaded) {
    // No engine behind the route: every request is rejected before inference.
    failures_[model][static_cast<size_t>(Failure::kModelNotLoaded)] += n;
    s.errors += n;
    http_requests_[{path, std::string(failure_spec(Failure::kModelNotLoaded).http_status)}] += n;
    http_latency_.at(path).observe_constant(n, kRejectLatencyS);
    return;
  }
  double failed = 0;
  for (size_t f = 0; f < kFailureCount; ++f) {
    s.failure_carry[f] += n * c.failure_ratio[f];
    const double e = std::min(std::floor(s.failure_carry[f]), n - failed);
    s.failure_carry[f] -= e;
    failed += e;
    failures_[model][f] += e;
    if (e > 0) {
      http_requests_[{path, std::string(failure_spec(static_cast<Failure>(f)).http_status)}] += e;
    }
  }
  s.errors += failed;
  s.success += n - failed;
  http_requests_[{path, "200"}] += n - failed;
  s.latency.observe_lognormal(n, c.median_s, c.sigma);
  http_latency_.at(path).observe_lognormal(n, c.median_s, c.sigma, kHttpOverheadS);
}

const Incident* DemoSimulation::find(IncidentKind kind, std::string_view model) const {
  for (const Incident& i : incidents_) {
    if (i.kind == kind && i.model == model) return &i;
  }
  return nullptr;
}

Status DemoSimulation::start_incident(IncidentKind kind, std::string_view model,
                                      double ramp_seconds) {
  if (find_model(model) < 0) {
    std::string known;
    for (const auto& m : models())
      known += (known.empty() ? "" : ", ") + std::string(m.name);
    return invalid_input("unknown model \"" + std::string(model) + "\" (known: " + known + ")");
  }
  if (!(ramp_seconds > 0) || !std::isfinite(ramp_seconds)) {
    return invalid_input("ramp_seconds must be a positive number of seconds");
  }
  clear_incident(kind, model);
  incidents_.push_back(Incident{kind, std::string(model), now_, ramp_seconds});
  return {};
}

bool DemoSimulation::clear_incident(IncidentKind kind, std::string_view model) {
  const auto removed = std::erase_if(
      incidents_, [&](const Incident& i) { return i.kind == kind && i.model == model; });
  return removed > 0;
}

}  // namespace herald::demo
