// Prometheus-compatible JSON for /api/v1/rules and /api/v1/alerts, built from evaluator
// snapshots. Pure functions: field names, value formatting and filters follow
// prometheus/web/api/v1/api.go so Grafana and existing tooling read herald unchanged.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "evaluator/rule_status.h"
#include "evaluator/sharding.h"

namespace herald::server {

struct RulesFilter {
  std::optional<bool> alerting;  // type=alert → true, type=record → false
  std::set<std::string> rule_names, groups, files;
};

// Parses `type` as Prometheus does; returns an error text for any other value.
[[nodiscard]] std::optional<std::string> parse_rule_type(const std::string& type,
                                                         RulesFilter& filter);

// With --cluster.shard, /api/v1/rules also says which shard this is and which groups the others
// evaluate (herald's own fields beside Prometheus's `groups`: `shard` "i/n" and
// `groupsElsewhere` [{name, file, shard}]).
struct RulesShard {
  evaluator::Shard shard;
  std::vector<evaluator::GroupElsewhere> elsewhere;
};

[[nodiscard]] std::string rules_json(const std::vector<evaluator::GroupStatus>& groups,
                                     const RulesFilter& filter, const RulesShard* shard = nullptr);
// Every pending or firing alert of every rule (resolved ones are not listed).
[[nodiscard]] std::string alerts_json(const std::vector<evaluator::GroupStatus>& groups);
// {"status":"error","errorType":"bad_data","error":"…"}
[[nodiscard]] std::string api_error_json(const std::string& type, const std::string& message);

// Go's RFC3339Nano for a UTC time ("2026-05-01T12:00:00.123Z"; the zero time for nullopt).
[[nodiscard]] std::string rfc3339(std::optional<WallTime> t);

}  // namespace herald::server
