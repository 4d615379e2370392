// Names of the demo exporter's incident kinds.
#include "demo/incident.h"

#include <array>

namespace herald::demo {
namespace {

constexpr std::array<IncidentKind, 5> kKinds{
    IncidentKind::kErrorBurst, IncidentKind::kLatencySpike, IncidentKind::kModelUnloaded,
    IncidentKind::kGpuMemoryClimb, IncidentKind::kOomErrors};

}  // namespace

std::string_view incident_name(IncidentKind kind) {
  switch (kind) {
    case IncidentKind::kErrorBurst:
      return "error_burst";
    case IncidentKind::kLatencySpike:
      return "latency_spike";
    case IncidentKind::kModelUnloaded:
      return "model_unloaded";
    case IncidentKind::kGpuMemoryClimb:
      return "gpu_memory_climb";
    case IncidentKind::kOomErrors:
      return "oom_errors";
  }
  return "unknown";
}

std::optional<IncidentKind> parse_incident_kind(std::string_view name) {
  for (IncidentKind k : kKinds) {
    if (incident_name(k) == name) return k;
  }
  return std::nullopt;
}

std::span<const IncidentKind> all_incident_kinds() {
  return kKinds;
}

}  // namespace herald::demo
