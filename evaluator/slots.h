// Evaluation slot arithmetic, pure (docs/architecture.md "Pure cores"). A group with interval I and
// offset O is evaluated at the wall times t with (t − O) mod I == 0, like Prometheus's rule groups,
// so that groups spread their load and every replica evaluates a group at the same timestamps.
#pragma once

#include <string_view>

#include "model/clock.h"
#include "model/duration.h"

namespace herald::evaluator {

// offset = hash(file, group) mod interval (FNV-1a; stable across restarts and versions).
[[nodiscard]] Duration group_offset(std::string_view file, std::string_view group,
                                    Duration interval);

// The first slot at or after `now`.
[[nodiscard]] WallTime first_slot(WallTime now, Duration interval, Duration offset);

struct NextSlot {
  WallTime at{};
  int missed = 0;  // slots skipped because the previous evaluation overran
};

// After evaluating slot `last` and finishing at `finished`: the next slot to evaluate. When the
// evaluation overran one or more slots, the latest slot not after `finished` runs at once and the
// ones before it are skipped (Prometheus: missed = elapsed/interval − 1).
[[nodiscard]] NextSlot next_slot(WallTime last, WallTime finished, Duration interval);

}  // namespace herald::evaluator
