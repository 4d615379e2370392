// GroupTimerStore: aggregation groups' next-flush deadlines, so a restart keeps each group's
// schedule (and whether it has flushed, which decides group_wait vs group_interval) instead of
// starting every group afresh. Thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "model/clock.h"
#include "model/error.h"
#include "storage/database.h"

namespace herald::storage {

struct GroupTimerRow {
  std::string group_key;
  std::string route_id;  // the route's position in the tree, e.g. "0.2.1" (siblings may share
                         // group keys)
  WallTime next_flush{};
  bool has_flushed = false;
  friend bool operator==(const GroupTimerRow&, const GroupTimerRow&) = default;
};

class GroupTimerStore {
 public:
  explicit GroupTimerStore(Database& db) : db_(db) {}

  // Every row, by (group_key, route_id).
  [[nodiscard]] Result<std::vector<GroupTimerRow>> load() const;
  // Upserts by (group_key, route_id), in one transaction. Empty: touches nothing.
  [[nodiscard]] Status put_all(const std::vector<GroupTimerRow>& rows);
  // Deletes these (group_key, route_id) rows (absent ones are no error), in one transaction.
  [[nodiscard]] Status erase(
      const std::vector<std::pair<std::string, std::string>>& group_route_ids);

  // Writes are one transaction: a locked database, a full disk or an I/O error is kUnavailable
  // and changes nothing.

 private:
  Database& db_;
};

}  // namespace herald::storage
