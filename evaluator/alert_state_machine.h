// The alerting rule's state machine as pure functions (docs/architecture.md "Pure cores"): previous
// alerts + the query's samples (already labelled and templated) + evaluation time → next alerts and
// the transitions between them. No I/O, no clock, no logging. Semantics are Prometheus's
// rules/alerting.go (AlertingRule.Eval and sendAlerts), see docs/compatibility.md "Prometheus
// alerting rules".
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/alert.h"
#include "model/duration.h"

namespace herald::evaluator {

// A rule's alerts by fingerprint of their final labels.
using AlertMap = std::map<Fingerprint, RuleAlert>;

struct RuleTiming {
  Duration hold{0};             // `for`
  Duration keep_firing_for{0};  // `keep_firing_for`
  int limit = 0;                // group `limit`; 0 = unlimited
};

// One element of the rule's query result after labels and annotations were applied.
struct ResultSample {
  LabelSet labels;
  Annotations annotations;
  double value = 0;
};

struct Transition {
  Fingerprint fingerprint = 0;
  LabelSet labels;
  AlertState from = AlertState::kInactive;
  AlertState to = AlertState::kInactive;
  double value = 0;
  WallTime at{};
};

struct StepResult {
  AlertMap alerts;
  std::vector<Transition> transitions;  // in fingerprint order
  // Set when the evaluation failed: "duplicate alert label set" (alerts unchanged) or "exceeded
  // limit" (alerts cleared, transitions report each cleared alert going inactive).
  std::optional<std::string> error;
};

// Resolved alerts are kept this long (and re-sent) before they are forgotten.
inline constexpr Duration kResolvedRetention = std::chrono::minutes(15);

[[nodiscard]] StepResult step(AlertMap previous, const std::vector<ResultSample>& samples,
                              const RuleTiming& timing, WallTime ts);

// Which alerts to hand to the router at `ts`, marking them sent (LastSentAt, ValidUntil):
// not pending, and resolved since the last send or last sent more than `resend_delay` ago.
// ValidUntil = ts + 4·max(interval, resend_delay).
[[nodiscard]] std::vector<Fingerprint> mark_for_sending(AlertMap& alerts, WallTime ts,
                                                        Duration resend_delay, Duration interval);

// The router's view of a rule alert (StartsAt = FiredAt, EndsAt = ResolvedAt or ValidUntil).
[[nodiscard]] Alert to_notification(const RuleAlert& alert, std::string generator_url);

}  // namespace herald::evaluator
