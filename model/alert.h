// The two shapes of an alert. RuleAlert is an alerting rule's per-labelset state, exactly the
// fields of Prometheus's rules.Alert (the evaluator computes it, storage persists it). Alert is
// the Alertmanager-shaped notification the router receives (from the evaluator or the v2 API).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "model/clock.h"
#include "model/labels.h"

namespace herald {

enum class AlertState { kInactive, kPending, kFiring };

[[nodiscard]] std::string_view to_string(AlertState s);  // "inactive" | "pending" | "firing"

// Annotations keep empty values (Prometheus keeps them in the API), so they are a map, not a
// LabelSet.
using Annotations = std::map<std::string, std::string>;

struct RuleAlert {
  LabelSet labels;  // final labels: sample labels − __name__ + rule labels + alertname
  Annotations annotations;
  AlertState state = AlertState::kInactive;
  double value = 0;
  WallTime active_at{};
  std::optional<WallTime> fired_at;
  std::optional<WallTime> resolved_at;
  std::optional<WallTime> last_sent_at;
  std::optional<WallTime> valid_until;
  std::optional<WallTime> keep_firing_since;
};

// What the router receives: StartsAt = FiredAt; EndsAt = ResolvedAt, or ValidUntil while firing.
struct Alert {
  LabelSet labels;
  Annotations annotations;
  WallTime starts_at{};
  WallTime ends_at{};
  std::string generator_url;
};

}  // namespace herald
