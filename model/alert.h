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
// An ends_at of WallTime{} means "no end", as Go's zero time does in Alertmanager.
struct Alert {
  LabelSet labels;
  Annotations annotations;
  WallTime starts_at{};
  WallTime ends_at{};
  std::string generator_url;
  // When the router last received it (Alertmanager's UpdatedAt): the router sets it on ingest, so
  // a resolved alert is dropped after a flush only if it was not received again meanwhile.
  WallTime updated_at{};
  // ends_at was not sent but defaulted to receipt + resolve_timeout (Alertmanager's Timeout): an
  // explicit end time from a later update wins over it when alerts merge.
  bool timeout = false;

  friend bool operator==(const Alert&, const Alert&) = default;
};

// Alertmanager's types.AlertSlice order, which notifications list alerts in: by `job`, then by
// `instance` (an alert having the label sorts first), then prometheus/common LabelSet.Before
// (fewer labels first; then the first name one set lacks, the set lacking it first; then the
// first differing value).
[[nodiscard]] bool alert_before(const Alert& a, const Alert& b);

}  // namespace herald
