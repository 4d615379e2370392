// herald's own GET /api/v1/alerts/history: request parameters → a HistoryQuery, and transitions
// → JSON in the style of the Prometheus API ({"status":"success","data":{"transitions":[…]}}).
// Pure functions.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"
#include "storage/alert_history.h"

namespace herald::server {

// `param(name)` returns the parameter's value, or nullopt when absent. Accepts fingerprint (16
// hex digits, as /api/v1/alerts/history returns them), alertname, since (RFC 3339 or Unix
// seconds, as Prometheus's API accepts times) and limit (1..10000, default 1000).
[[nodiscard]] Result<storage::HistoryQuery> parse_history_query(
    const std::function<std::optional<std::string>(const char*)>& param);

[[nodiscard]] std::string history_json(const std::vector<storage::TransitionRecord>& transitions);

// Prometheus API time: a Unix timestamp with optional fraction, or RFC 3339 with a zone.
[[nodiscard]] Result<WallTime> parse_api_time(std::string_view text);

}  // namespace herald::server
