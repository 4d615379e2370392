// AlertHistory: the append-only log of alert transitions that AlertStore::write records, read
// back for herald's history API and audits, and pruned by age. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/error.h"
#include "storage/alert_store.h"
#include "storage/database.h"

namespace herald::storage {

struct HistoryQuery {
  std::optional<Fingerprint> fingerprint;  // at least one of fingerprint / alertname
  std::optional<std::string> alertname;
  std::optional<WallTime> since;  // transitions at or after this time
  size_t limit = 1000;            // the most recent `limit` matching transitions
};

class AlertHistory {
 public:
  explicit AlertHistory(Database& db) : db_(db) {}

  // Matching transitions, oldest first (ties in insertion order).
  [[nodiscard]] Result<std::vector<TransitionRecord>> query(const HistoryQuery& q) const;

  // Deletes transitions older than `before`; returns how many.
  [[nodiscard]] Result<size_t> prune(WallTime before);

 private:
  Database& db_;
};

}  // namespace herald::storage
