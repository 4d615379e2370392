// A flush: what an aggregation group hands on at one of its deadlines — the group's identity and
// its alerts split into firing and resolved at the flush time, as Alertmanager's aggrGroup.flush
// builds them (dispatch/dispatch.go). Plain data; the Route it points to outlives it.
#pragma once

#include <string>
#include <vector>

#include "model/alert.h"
#include "model/clock.h"
#include "model/labels.h"

namespace herald::router {

class Route;

struct Flush {
  const Route* route = nullptr;  // receiver and timers; never null in a flush from a group
  std::string group_key;         // e.g. {}/{env="prod"}:{alertname="HighErrorRate"}
  LabelSet group_labels;
  WallTime at{};
  // Both in Alertmanager's order (alert_before). Firing alerts keep their ends_at: renderers print
  // Go's zero time for them, because Alertmanager zeroes EndsAt in its flush copies.
  std::vector<Alert> firing;
  std::vector<Alert> resolved;  // ends_at <= at
};

// Alertmanager's Alert.ResolvedAt: ends_at is set (not WallTime{}) and not after `t`.
[[nodiscard]] bool resolved_at(const Alert& alert, WallTime t);

// Alerts sort with herald::alert_before (model/alert.h), Alertmanager's order.
using herald::alert_before;

}  // namespace herald::router
