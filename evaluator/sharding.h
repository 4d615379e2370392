// Sharding rule groups over the replicas of a StatefulSet: replica i of n evaluates exactly the
// groups whose hash maps to i. The hash is FNV-1a (64-bit) over the rule file's base name, one
// NUL byte and the group's name, taken modulo n: it depends on neither the mount path, nor the
// order of files or groups, nor herald's version, so a group stays on its shard across restarts,
// upgrades and moves of the rule files (docs/architecture.md "Sharding").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/rule_file.h"
#include "model/error.h"

namespace herald::evaluator {

[[nodiscard]] uint64_t group_hash(std::string_view rule_file_path, std::string_view group);

struct Shard {
  uint32_t index = 0;  // 0-based, as StatefulSet ordinals
  uint32_t count = 1;

  [[nodiscard]] uint32_t of(std::string_view rule_file_path, std::string_view group) const {
    return static_cast<uint32_t>(group_hash(rule_file_path, group) % count);
  }
  [[nodiscard]] bool owns(std::string_view rule_file_path, std::string_view group) const {
    return of(rule_file_path, group) == index;
  }
  [[nodiscard]] bool sharded() const { return count > 1; }
  [[nodiscard]] std::string str() const;  // "i/n"
};

// `--cluster.shard`: "i/n" (0 <= i < n), or "auto" with `shards` = n, i being the number after
// the last '-' of `hostname` (a StatefulSet pod's name, e.g. herald-2). "" → unsharded.
[[nodiscard]] Result<Shard> parse_shard(std::string_view spec, uint32_t shards,
                                        std::string_view hostname);

// The groups of `rules` another shard evaluates (for /api/v1/rules), in file and group order.
struct GroupElsewhere {
  std::string file;
  std::string name;
  uint32_t shard = 0;
};
[[nodiscard]] std::vector<GroupElsewhere> groups_elsewhere(
    const std::vector<config::RuleFile>& rules, const Shard& shard);

}  // namespace herald::evaluator
