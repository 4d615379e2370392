// What the evaluator persists and how it comes back, as pure functions over plain data: the rows
// a group evaluation changed (writes ∝ changes, not ∝ alerts), and the start-up restore plan
// (docs/compatibility.md "Prometheus restarts and reloads": firing stays firing, pending keeps
// ActiveAt unless herald was down longer than for_outage_tolerance; alerts of rules that no longer
// exist are dropped).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "evaluator/alert_state_machine.h"
#include "storage/alert_store.h"

namespace herald::evaluator {

// A rule within its group: name and ordinal among the group's alerting rules of that name.
struct RuleId {
  std::string name;
  int ordinal = 0;
  auto operator<=>(const RuleId&) const = default;
};
using GroupAlerts = std::map<RuleId, AlertMap>;

// The file and group a stored alert belongs to (the Scheduler's and the store's group identity).
struct GroupId {
  std::string file;
  std::string group;
  auto operator<=>(const GroupId&) const = default;
};

[[nodiscard]] storage::RuleKey rule_key(const GroupId& g, const RuleId& r);

// The changes from `before` to `after` of one rule: an alert is written when a persisted field
// changed (state, its timestamps, LastSentAt, ValidUntil, KeepFiringSince) and deleted when it is
// gone. Value and annotations change at nearly every evaluation, so they are written along with
// those rows but never on their own: stored values are as of the alert's last transition or send.
[[nodiscard]] std::vector<storage::AlertChange> alert_changes(const storage::RuleKey& rule,
                                                              const AlertMap& before,
                                                              const AlertMap& after);

struct RestorePlan {
  std::map<GroupId, GroupAlerts> groups;        // alerts of rules that still exist
  std::vector<storage::RuleKey> dropped;        // rules gone from the configuration
  std::vector<storage::AlertChange> restarted;  // pending alerts whose `for` restarts (persist)
  size_t firing = 0, pending = 0, resolved = 0, dropped_alerts = 0;
  std::optional<Duration> downtime;  // now − last_seen, when known
};

// `rules` are the configured (group, rule) pairs. After an outage longer than `tolerance`
// pending alerts restart their `for` clock at `now` (ActiveAt = now); firing alerts never change.
[[nodiscard]] RestorePlan plan_restore(std::vector<storage::StoredAlert> stored,
                                       const std::set<storage::RuleKey>& rules,
                                       std::optional<WallTime> last_seen, WallTime now,
                                       Duration tolerance);

}  // namespace herald::evaluator
