// AlertStore: every alerting rule's alerts, persisted (docs/architecture.md "Storage"). The
// evaluator writes one AlertWrite per group evaluation — the alerts that changed and the
// transitions — in one transaction; `herald run` loads everything back at start-up. A transition is
// also appended to the history (AlertHistory reads it). Thread-safe (the Database serialises).
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <vector>

#include "model/alert.h"
#include "model/error.h"
#include "storage/database.h"

namespace herald::storage {

// Which rule an alert belongs to: file and group as loaded, the rule's name, and its ordinal among
// the group's rules of that name (groups may repeat a name).
struct RuleKey {
  std::string file;
  std::string group;
  std::string rule;
  int ordinal = 0;
  auto operator<=>(const RuleKey&) const = default;
};

struct StoredAlert {
  RuleKey rule;
  RuleAlert alert;  // its fingerprint is alert.labels.fingerprint()
};

// An alert's new full state, or its deletion (alert == nullopt).
struct AlertChange {
  RuleKey rule;
  Fingerprint fingerprint = 0;
  std::optional<RuleAlert> alert;
};

struct TransitionRecord {
  WallTime at{};  // the evaluation timestamp
  RuleKey rule;
  Fingerprint fingerprint = 0;
  LabelSet labels;
  AlertState from = AlertState::kInactive;
  AlertState to = AlertState::kInactive;
  double value = 0;  // NaN and ±Inf round-trip
};

struct AlertWrite {
  std::vector<AlertChange> changes;
  std::vector<TransitionRecord> transitions;
  [[nodiscard]] bool empty() const { return changes.empty() && transitions.empty(); }
};

class AlertStore {
 public:
  explicit AlertStore(Database& db) : db_(db) {}

  // Every stored alert, in RuleKey then fingerprint order.
  [[nodiscard]] Result<std::vector<StoredAlert>> load() const;

  // Applies the write in one transaction and returns the rows written; an empty write touches
  // nothing and returns 0. A locked database, a full disk or an I/O error is kUnavailable (the
  // caller keeps its previous state and retries); nothing is half-applied.
  [[nodiscard]] Result<size_t> write(const AlertWrite& w);

  // Deletes every alert of these rules (rules and groups that no longer exist), in one transaction.
  [[nodiscard]] Result<size_t> forget(const std::vector<RuleKey>& rules);

  // When herald was last known to be running (a heartbeat; see `herald run`).
  [[nodiscard]] Result<std::optional<WallTime>> last_seen() const;
  [[nodiscard]] Status mark_seen(WallTime at);

 private:
  Database& db_;
};

}  // namespace herald::storage
