// The demo exporter's fixed world: which models are served, on which GPUs, with what traffic and
// latency, and how failures map to error types and HTTP statuses. Plain data, no behaviour.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace herald::demo {

struct GpuSpec {
  std::string_view hostname;    // DCGM "Hostname"
  int index;                    // DCGM "gpu" (per host) and "device" nvidia<index>
  std::string_view model_name;  // DCGM "modelName"
  double total_mib;             // FB_USED + FB_FREE
};

struct ModelSpec {
  std::string_view name;
  int gpu;                  // index into gpus()
  double base_rps;          // mean requests per second across modes
  double chat_share;        // fraction of requests that are mode="chat"
  double median_latency_s;  // chat-mode inference latency median
  // Lognormal shape. With the median it keeps P(latency > 2.5 s) under 0.5 % at the noisiest,
  // and each mode gets >= 2.5 req/s, so even a 20 s window never has 5 % of requests over 2.5 s
  // (HighLatency's threshold) by the rounding of whole requests.
  double latency_sigma;
  double weights_gib;         // resident model weights
  double memory_utilization;  // vLLM gpu_memory_utilization: weights + KV cache budget
};

// Modes and their latency factor relative to chat (completions generate longer outputs).
struct ModeSpec {
  std::string_view name;
  std::string_view http_path;
  double latency_factor;
};

// Each failure kind: its llm_errors_total error_type and the HTTP status the API returns.
enum class Failure : uint8_t { kTimeout, kInternal, kConnection, kOom, kModelNotLoaded };
inline constexpr int kFailureCount = 5;

struct FailureSpec {
  std::string_view error_type;
  std::string_view http_status;
};

std::span<const GpuSpec> gpus();
std::span<const ModelSpec> models();
std::span<const ModeSpec> modes();
const FailureSpec& failure_spec(Failure f);

// Returns the index of `name` in models(), or -1.
int find_model(std::string_view name);

// Inference latency buckets (seconds), as vLLM-style exporters ship them.
std::span<const double> latency_buckets();

inline constexpr double kBaseErrorRatio = 0.005;  // ~0.5 % of requests fail when healthy
inline constexpr double kContextMib = 600;        // CUDA context + allocator overhead per process
inline constexpr double kHealthRps = 0.2;         // kubelet probes on GET /health

}  // namespace herald::demo
