// Incidents the demo exporter can inject (one per shipped alert and then some): their names as
// used by the control API, and the active-incident record the simulation keeps.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace herald::demo {

enum class IncidentKind {
  kErrorBurst,      // ~20–30 % of the model's requests fail (internal / timeout)
  kLatencySpike,    // inference and HTTP latency p95 of the model goes to several seconds
  kModelUnloaded,   // llm_model_loaded{model} = 0; its requests fail with 503 model_not_loaded
  kGpuMemoryClimb,  // the model's GPU frame buffer climbs linearly to 98 % over ramp_seconds
  kOomErrors,       // llm_errors_total{error_type="oom"} rises for the model (~2 % of requests)
};

struct Incident {
  IncidentKind kind;
  std::string model;
  double started_at = 0;     // unix seconds
  double ramp_seconds = 60;  // only used by kGpuMemoryClimb
};

std::string_view incident_name(IncidentKind kind);
std::optional<IncidentKind> parse_incident_kind(std::string_view name);
std::span<const IncidentKind> all_incident_kinds();

}  // namespace herald::demo
