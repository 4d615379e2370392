// Snapshots of rule groups for the HTTP API (/api/v1/rules, /api/v1/alerts) and /metrics. Plain
// copies taken under the group's lock, so readers never block an evaluation for long.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/alert.h"
#include "model/duration.h"

namespace herald::evaluator {

enum class RuleHealth { kUnknown, kOk, kErr };
[[nodiscard]] const char* to_string(RuleHealth h);  // "unknown" | "ok" | "err"

struct RuleStatus {
  bool alerting = true;
  std::string name;
  std::string query;
  Duration hold{0};
  Duration keep_firing_for{0};
  std::map<std::string, std::string> labels;
  Annotations annotations;
  std::vector<RuleAlert> alerts;  // every alert the rule tracks, resolved ones included
  RuleHealth health = RuleHealth::kUnknown;
  std::string last_error;
  std::optional<WallTime> last_evaluation;
  std::chrono::nanoseconds evaluation_time{0};
  size_t last_series_fetched = 0;
};

struct GroupStatus {
  std::string name;
  std::string file;
  Duration interval{0};
  int64_t limit = 0;
  std::optional<WallTime> last_evaluation;
  std::chrono::nanoseconds evaluation_time{0};
  std::vector<RuleStatus> rules;
};

}  // namespace herald::evaluator
