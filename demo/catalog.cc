// The demo world's tables. Numbers are picked to look like a real vLLM fleet while leaving wide
// margins to the shipped alert thresholds, so the healthy state never fires an alert.
#include "demo/catalog.h"

namespace herald::demo {
namespace {

constexpr std::string_view kA100 = "NVIDIA A100-SXM4-80GB";
constexpr std::string_view kH100 = "NVIDIA H100 80GB HBM3";

constexpr std::array<GpuSpec, 8> kGpus{{
    {"gpu-node-1", 0, kA100, 81920},
    {"gpu-node-1", 1, kA100, 81920},
    {"gpu-node-1", 2, kA100, 81920},
    {"gpu-node-1", 3, kA100, 81920},
    {"gpu-node-2", 0, kH100, 81559},
    {"gpu-node-2", 1, kH100, 81559},
    {"gpu-node-2", 2, kH100, 81559},  // idle spare
    {"gpu-node-2", 3, kH100, 81559},  // idle spare
}};

constexpr std::array<ModelSpec, 6> kModels{{
    {"llama3-8b", 0, 42, 0.75, 0.35, 0.45, 15.0, 0.80},
    {"mistral-7b", 1, 30, 0.70, 0.32, 0.45, 13.5, 0.78},
    {"gemma2-9b", 2, 22, 0.80, 0.40, 0.45, 17.2, 0.76},
    {"phi3-mini", 3, 48, 0.60, 0.12, 0.50, 7.1, 0.60},
    {"qwen2-72b", 4, 16, 0.75, 0.62, 0.40, 39.5, 0.82},  // AWQ int4
    {"mixtral-8x7b", 5, 20, 0.75, 0.50, 0.45, 24.0, 0.80},
}};

constexpr std::array<ModeSpec, 2> kModes{{
    {"chat", "/v1/chat/completions", 1.0},
    {"completion", "/v1/completions", 1.1},
}};

constexpr std::array<FailureSpec, kFailureCount> kFailures{{
    {"timeout", "504"},
    {"internal", "500"},
    {"connection", "502"},
    {"oom", "500"},  // vLLM surfaces CUDA OOM as an internal server error
    {"model_not_loaded", "503"},
}};

constexpr std::array<double, 11> kLatencyBuckets{0.05, 0.1, 0.25, 0.5,  0.75, 1.0,
                                                 2.5,  5.0, 10.0, 20.0, 30.0};

}  // namespace

std::span<const GpuSpec> gpus() {
  return kGpus;
}
std::span<const ModelSpec> models() {
  return kModels;
}
std::span<const ModeSpec> modes() {
  return kModes;
}
const FailureSpec& failure_spec(Failure f) {
  return kFailures[static_cast<size_t>(f)];
}
std::span<const double> latency_buckets() {
  return kLatencyBuckets;
}

int find_model(std::string_view name) {
  for (size_t i = 0; i < kModels.size(); ++i) {
    if (kModels[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace herald::demo
