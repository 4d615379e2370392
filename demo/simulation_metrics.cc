// DemoSimulation's /metrics: the model-server (vLLM-style), DCGM and FastAPI metric families,
// named and labelled like the real exporters so dashboards and rules written for those work.
#include <algorithm>
#include <cstdio>

#include "demo/noise.h"
#include "demo/simulation.h"
#include "model/exposition.h"

namespace herald::demo {
namespace {

constexpr double kActivationsMaxMib = 2048;
constexpr double kClimbTargetRatio = 0.98;  // gpu_memory_climb plateaus just short of OOM
constexpr double kMib = 1024.0 * 1024.0;

// Stable, realistic-looking GPU UUIDs (they identify hardware, so they do not vary by seed).
std::string gpu_uuid(size_t gpu) {
  const uint64_t a = mix64(0x6770755f75756964ULL + gpu);
  const uint64_t b = mix64(a);
  char buf[64];
  std::snprintf(buf, sizeof buf, "GPU-%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xffff),
                static_cast<unsigned>(b >> 48),
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buf;
}

int model_on_gpu(size_t gpu) {
  const auto ms = models();
  for (size_t m = 0; m < ms.size(); ++m) {
    if (static_cast<size_t>(ms[m].gpu) == gpu) return static_cast<int>(m);
  }
  return -1;
}

}  // namespace

std::string DemoSimulation::exposition() const {
  ExpositionWriter w;
  write_llm_families(w);
  write_memory_families(w);
  write_gpu_families(w);
  write_http_families(w);
  return w.take();
}

void DemoSimulation::write_llm_families(ExpositionWriter& w) const {
  const auto ms = models();
  w.family("llm_requests_total", "counter", "Inference requests by model, mode and outcome.");
  for (size_t m = 0; m < ms.size(); ++m) {
    for (size_t k = 0; k < modes().size(); ++k) {
      LabelPairs l{{"model", std::string(ms[m].name)}, {"mode", std::string(modes()[k].name)}};
      l.emplace_back("status", "success");
      w.sample("llm_requests_total", l, modes_[m][k].success);
      l.back().second = "error";
      w.sample("llm_requests_total", l, modes_[m][k].errors);
    }
  }
  w.family("llm_errors_total", "counter", "Failed inference requests by model and error type.");
  for (size_t m = 0; m < ms.size(); ++m) {
    for (size_t f = 0; f < kFailureCount; ++f) {
      const auto& spec = failure_spec(static_cast<Failure>(f));
      w.sample("llm_errors_total",
               {{"model", std::string(ms[m].name)}, {"error_type", std::string(spec.error_type)}},
               failures_[m][f]);
    }
  }
  w.family("llm_inference_duration_seconds", "histogram",
           "Time from request admission to the last generated token.");
  for (size_t m = 0; m < ms.size(); ++m) {
    for (size_t k = 0; k < modes().size(); ++k) {
      const Histogram& h = modes_[m][k].latency;
      w.histogram("llm_inference_duration_seconds",
                  {{"model", std::string(ms[m].name)}, {"mode", std::string(modes()[k].name)}},
                  h.bounds(), h.cumulative_counts(), h.sum(), h.count());
    }
  }
}

std::array<double, 3> DemoSimulation::memory_mib(size_t model) const {
  const ModelSpec& spec = models()[model];
  if (find(IncidentKind::kModelUnloaded, spec.name) != nullptr) return {0, 0, 0};
  const double total = gpus()[spec.gpu].total_mib;
  const double weights = spec.weights_gib * 1024;
  const double activations = kActivationsMaxMib * 0.45 * load_factor(model, now_);
  double kv = spec.memory_utilization * total - weights - kActivationsMaxMib;
  if (const Incident* climb = find(IncidentKind::kGpuMemoryClimb, spec.name)) {
    // A KV-cache leak: the cache grows linearly until the GPU is 98 % full, then holds.
    const double frac = std::clamp((now_ - climb->started_at) / climb->ramp_seconds, 0.0, 1.0);
    const double used = kContextMib + weights + kv + activations;
    kv += frac * std::max(0.0, kClimbTargetRatio * total - used);
  }
  return {weights, kv, activations};
}

double DemoSimulation::gpu_used_mib(size_t gpu) const {
  const int m = model_on_gpu(gpu);
  if (m < 0) return 0;
  const auto mem = memory_mib(static_cast<size_t>(m));
  return kContextMib + mem[0] + mem[1] + mem[2];
}

void DemoSimulation::write_memory_families(ExpositionWriter& w) const {
  const auto ms = models();
  w.family("llm_model_loaded", "gauge", "1 when the model's weights are loaded and serving.");
  for (size_t m = 0; m < ms.size(); ++m) {
    const bool loaded = find(IncidentKind::kModelUnloaded, ms[m].name) == nullptr;
    w.sample("llm_model_loaded", {{"model", std::string(ms[m].name)}}, loaded ? 1 : 0);
  }
  w.family("llm_model_memory_bytes", "gauge", "GPU memory held by the model, by use.");
  constexpr std::array<std::string_view, 3> kTypes{"weights", "kv_cache", "activations"};
  for (size_t m = 0; m < ms.size(); ++m) {
    const auto mem = memory_mib(m);
    for (size_t i = 0; i < kTypes.size(); ++i) {
      w.sample("llm_model_memory_bytes",
               {{"model", std::string(ms[m].name)}, {"memory_type", std::string(kTypes[i])}},
               std::round(mem[i] * kMib));
    }
  }
}

void DemoSimulation::write_gpu_families(ExpositionWriter& w) const {
  auto labels = [](size_t g) {
    const GpuSpec& spec = gpus()[g];
    const int m = model_on_gpu(g);
    // dcgm-exporter's Kubernetes mode adds the pod holding the GPU; idle GPUs have none.
    const std::string pod = m < 0 ? "" : "vllm-" + std::string(models()[m].name) + "-0";
    return LabelPairs{{"gpu", std::to_string(spec.index)},
                      {"UUID", gpu_uuid(g)},
                      {"device", "nvidia" + std::to_string(spec.index)},
                      {"modelName", std::string(spec.model_name)},
                      {"Hostname", std::string(spec.hostname)},
                      {"container", m < 0 ? "" : "vllm"},
                      {"namespace", m < 0 ? "" : "llm-serving"},
                      {"pod", pod}};
  };
  w.family("DCGM_FI_DEV_FB_USED", "gauge", "Framebuffer memory used (in MiB).");
  for (size_t g = 0; g < gpus().size(); ++g) {
    w.sample("DCGM_FI_DEV_FB_USED", labels(g), std::round(gpu_used_mib(g)));
  }
  w.family("DCGM_FI_DEV_FB_FREE", "gauge", "Framebuffer memory free (in MiB).");
  for (size_t g = 0; g < gpus().size(); ++g) {
    w.sample("DCGM_FI_DEV_FB_FREE", labels(g), gpus()[g].total_mib - std::round(gpu_used_mib(g)));
  }
  w.family("DCGM_FI_DEV_GPU_UTIL", "gauge", "GPU utilization (in %).");
  for (size_t g = 0; g < gpus().size(); ++g) {
    const int m = model_on_gpu(g);
    double util = 0;
    if (m >= 0 && find(IncidentKind::kModelUnloaded, models()[m].name) == nullptr) {
      util = std::round(std::clamp(60.0 * load_factor(static_cast<size_t>(m), now_), 0.0, 100.0));
    }
    w.sample("DCGM_FI_DEV_GPU_UTIL", labels(g), util);
  }
}

void DemoSimulation::write_http_families(ExpositionWriter& w) const {
  auto method = [](const std::string& path) { return path == "/health" ? "GET" : "POST"; };
  w.family("http_requests_total", "counter",
           "Total number of requests by method, status and path.");
  for (const auto& [key, count] : http_requests_) {
    w.sample("http_requests_total",
             {{"method", method(key.first)}, {"path", key.first}, {"status", key.second}}, count);
  }
  w.family("http_request_duration_seconds", "histogram",
           "Latency of HTTP requests by method and path, in seconds.");
  for (const auto& [path, h] : http_latency_) {
    w.histogram("http_request_duration_seconds", {{"method", method(path)}, {"path", path}},
                h.bounds(), h.cumulative_counts(), h.sum(), h.count());
  }
}

}  // namespace herald::demo
