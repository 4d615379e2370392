// Diffing rule alerts into storage rows, and planning the start-up restore.
#include "evaluator/alert_persistence.h"

namespace herald::evaluator {
namespace {

bool same_persisted_state(const RuleAlert& a, const RuleAlert& b) {
  return a.state == b.state && a.active_at == b.active_at && a.fired_at == b.fired_at &&
         a.resolved_at == b.resolved_at && a.last_sent_at == b.last_sent_at &&
         a.valid_until == b.valid_until && a.keep_firing_since == b.keep_firing_since &&
         a.labels == b.labels;
}

}  // namespace

storage::RuleKey rule_key(const GroupId& g, const RuleId& r) {
  return storage::RuleKey{g.file, g.group, r.name, r.ordinal};
}

std::vector<storage::AlertChange> alert_changes(const storage::RuleKey& rule,
                                                const AlertMap& before, const AlertMap& after) {
  std::vector<storage::AlertChange> out;
  for (const auto& [fp, a] : after) {
    auto it = before.find(fp);
    if (it == before.end() || !same_persisted_state(it->second, a)) {
      out.push_back({rule, fp, a});
    }
  }
  for (const auto& [fp, a] : before) {
    if (!after.contains(fp)) out.push_back({rule, fp, std::nullopt});
  }
  return out;
}

RestorePlan plan_restore(std::vector<storage::StoredAlert> stored,
                         const std::set<storage::RuleKey>& rules, std::optional<WallTime> last_seen,
                         WallTime now, Duration tolerance) {
  RestorePlan plan;
  if (last_seen) plan.downtime = std::chrono::duration_cast<Duration>(now - *last_seen);
  // Unknown downtime (no heartbeat yet) counts as short: the alerts were written moments ago.
  const bool long_outage = plan.downtime && *plan.downtime > tolerance;
  std::set<storage::RuleKey> dropped;
  for (storage::StoredAlert& s : stored) {
    if (!rules.contains(s.rule)) {
      dropped.insert(s.rule);
      ++plan.dropped_alerts;
      continue;
    }
    RuleAlert& a = s.alert;
    if (a.state == AlertState::kFiring) ++plan.firing;
    if (a.state == AlertState::kInactive) ++plan.resolved;
    if (a.state == AlertState::kPending) {
      ++plan.pending;
      if (long_outage) {
        a.active_at = now;
        plan.restarted.push_back({s.rule, a.labels.fingerprint(), a});
      }
    }
    const Fingerprint fp = a.labels.fingerprint();
    plan.groups[GroupId{s.rule.file, s.rule.group}][RuleId{s.rule.rule, s.rule.ordinal}]
        .insert_or_assign(fp, std::move(a));
  }
  plan.dropped.assign(dropped.begin(), dropped.end());
  return plan;
}

}  // namespace herald::evaluator
