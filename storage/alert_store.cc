// AlertStore over the `alerts` and `herald_meta` tables. Labels and annotations are label_codec
// blobs rather than JSON: start-up loads every alert (100,000 in well under half a second), and a
// length-prefixed decode is a few copies where JSON is a parse and a DOM per row.
#include "storage/alert_store.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "storage/connection.h"
#include "storage/history_rows.h"
#include "storage/label_codec.h"

namespace herald::storage {
namespace {

constexpr std::string_view kSelectAlerts = R"sql(
SELECT rule_file, rule_group, rule_name, rule_ordinal, fingerprint, labels, annotations, state,
       value, active_at, fired_at, resolved_at, last_sent_at, valid_until, keep_firing_since
FROM alerts ORDER BY rule_file, rule_group, rule_name, rule_ordinal, fingerprint)sql";

constexpr std::string_view kUpsertAlert = R"sql(
INSERT OR REPLACE INTO alerts (
  rule_file, rule_group, rule_name, rule_ordinal, fingerprint, labels, annotations, state,
  value, active_at, fired_at, resolved_at, last_sent_at, valid_until, keep_firing_since)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15))sql";

constexpr std::string_view kDeleteAlert = R"sql(
DELETE FROM alerts WHERE rule_file = ?1 AND rule_group = ?2 AND rule_name = ?3
  AND rule_ordinal = ?4 AND fingerprint = ?5)sql";

constexpr std::string_view kDeleteRule = R"sql(
DELETE FROM alerts WHERE rule_file = ?1 AND rule_group = ?2 AND rule_name = ?3
  AND rule_ordinal = ?4)sql";

constexpr std::string_view kSelectLastSeen =
    "SELECT value FROM herald_meta WHERE key = 'last_seen'";
constexpr std::string_view kUpsertLastSeen =
    "INSERT OR REPLACE INTO herald_meta (key, value) VALUES ('last_seen', ?1)";

// The state column's codes. Stored data: never renumber.
int64_t state_code(AlertState s) {
  switch (s) {
    case AlertState::kInactive:
      return 0;
    case AlertState::kPending:
      return 1;
    case AlertState::kFiring:
      return 2;
  }
  return 0;
}

std::optional<AlertState> state_from_code(int64_t code) {
  switch (code) {
    case 0:
      return AlertState::kInactive;
    case 1:
      return AlertState::kPending;
    case 2:
      return AlertState::kFiring;
    default:
      return std::nullopt;
  }
}

std::string describe(const RuleKey& rule) {
  return "alert of rule \"" + rule.rule + "\" (group \"" + rule.group + "\", file \"" + rule.file +
         "\")";
}

// An unreadable row: the database was damaged or written by something else.
Error corrupt_row(const Connection& conn, const RuleKey& rule, std::string_view detail) {
  return conn.error(ErrorCode::kInvalidInput,
                    describe(rule) + ": " + std::string(detail) + " (the database is damaged)");
}

void bind_rule(Statement& stmt, const RuleKey& rule) {
  stmt.bind_text(1, rule.file).bind_text(2, rule.group).bind_text(3, rule.rule);
  stmt.bind_int(4, rule.ordinal);
}

void bind_time(Statement& stmt, int index, const std::optional<WallTime>& t) {
  if (t) {
    stmt.bind_int(index, to_unix_ms(*t));
  } else {
    stmt.bind_null(index);
  }
}

std::optional<WallTime> column_time(const Statement& stmt, int col) {
  if (stmt.is_null(col)) return std::nullopt;
  return from_unix_ms(stmt.int64(col));
}

// Decodes the current row of kSelectAlerts; `stored` receives its fingerprint column.
Result<StoredAlert> read_alert(const Connection& conn, const Statement& row, Fingerprint& stored) {
  StoredAlert a;
  a.rule = {std::string(row.text(0)), std::string(row.text(1)), std::string(row.text(2)),
            static_cast<int>(row.int64(3))};
  stored = static_cast<Fingerprint>(row.int64(4));  // the bit pattern back
  auto labels = decode_labels(row.blob(5));
  if (!labels)
    return tl::unexpected(corrupt_row(conn, a.rule, "labels: " + labels.error().message));
  auto annotations = decode_annotations(row.blob(6));
  if (!annotations) {
    return tl::unexpected(corrupt_row(conn, a.rule, "annotations: " + annotations.error().message));
  }
  auto state = state_from_code(row.int64(7));
  if (!state) return tl::unexpected(corrupt_row(conn, a.rule, "unknown state code"));
  RuleAlert& r = a.alert;
  r.labels = std::move(*labels);
  r.annotations = std::move(*annotations);
  r.state = *state;
  r.value = row.is_null(8) ? std::numeric_limits<double>::quiet_NaN() : row.real(8);
  r.active_at = from_unix_ms(row.int64(9));
  r.fired_at = column_time(row, 10);
  r.resolved_at = column_time(row, 11);
  r.last_sent_at = column_time(row, 12);
  r.valid_until = column_time(row, 13);
  r.keep_firing_since = column_time(row, 14);
  if (r.labels.fingerprint() != stored) {
    return tl::unexpected(
        corrupt_row(conn, a.rule, "stored fingerprint does not match its labels"));
  }
  return a;
}

// SQLite orders the fingerprint column as signed int64, so within one rule the fingerprints of
// 2^63 and above come first. Rotates each rule's run into unsigned order; high[i]: alert i's
// fingerprint is >= 2^63.
void to_unsigned_order(std::vector<StoredAlert>& alerts, const std::vector<bool>& high) {
  size_t start = 0;
  while (start < alerts.size()) {
    size_t end = start + 1;
    while (end < alerts.size() && alerts[end].rule == alerts[start].rule)
      ++end;
    size_t mid = start;
    while (mid < end && high[mid])
      ++mid;
    std::rotate(alerts.begin() + start, alerts.begin() + mid, alerts.begin() + end);
    start = end;
  }
}

Result<size_t> upsert_alert(Connection& conn, const AlertChange& c) {
  const RuleAlert& a = *c.alert;
  auto stmt = conn.prepare(kUpsertAlert);
  if (!stmt) return tl::unexpected(stmt.error());
  bind_rule(*stmt, c.rule);
  stmt->bind_int(5, static_cast<int64_t>(c.fingerprint));
  stmt->bind_blob(6, encode_labels(a.labels)).bind_blob(7, encode_annotations(a.annotations));
  stmt->bind_int(8, state_code(a.state)).bind_real(9, a.value);
  stmt->bind_int(10, to_unix_ms(a.active_at));
  bind_time(*stmt, 11, a.fired_at);
  bind_time(*stmt, 12, a.resolved_at);
  bind_time(*stmt, 13, a.last_sent_at);
  bind_time(*stmt, 14, a.valid_until);
  bind_time(*stmt, 15, a.keep_firing_since);
  if (auto s = stmt->run(); !s) return tl::unexpected(s.error());
  return conn.changes();
}

Result<size_t> delete_alert(Connection& conn, const AlertChange& c) {
  auto stmt = conn.prepare(kDeleteAlert);
  if (!stmt) return tl::unexpected(stmt.error());
  bind_rule(*stmt, c.rule);
  stmt->bind_int(5, static_cast<int64_t>(c.fingerprint));
  if (auto s = stmt->run(); !s) return tl::unexpected(s.error());
  return conn.changes();
}

// Rows written by the changes and transitions. REQUIRES: conn's lock held, inside a Transaction.
Result<size_t> apply(Connection& conn, const AlertWrite& w) {
  size_t rows = 0;
  for (const AlertChange& c : w.changes) {
    auto n = c.alert ? upsert_alert(conn, c) : delete_alert(conn, c);
    if (!n) return n;
    rows += *n;
  }
  for (const TransitionRecord& t : w.transitions) {
    if (auto s = append_transition(conn, t); !s) return tl::unexpected(s.error());
    ++rows;
  }
  return rows;
}

}  // namespace

Result<std::vector<StoredAlert>> AlertStore::load() const {
  Connection& conn = db_.connection();
  auto lock = conn.lock();
  auto stmt = conn.prepare(kSelectAlerts);
  if (!stmt) return tl::unexpected(stmt.error());
  std::vector<StoredAlert> alerts;
  std::vector<bool> high;
  for (;;) {
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    Fingerprint fp = 0;
    auto alert = read_alert(conn, *stmt, fp);
    if (!alert) return tl::unexpected(alert.error());
    alerts.push_back(std::move(*alert));
    high.push_back((fp >> 63) != 0);
  }
  to_unsigned_order(alerts, high);
  return alerts;
}

Result<size_t> AlertStore::write(const AlertWrite& w) {
  if (w.empty()) return 0;
  Connection& conn = db_.connection();
  for (const AlertChange& c : w.changes) {  // a caller's bug would poison the next load()
    if (c.alert && c.alert->labels.fingerprint() != c.fingerprint) {
      return tl::unexpected(conn.error(ErrorCode::kInvalidInput, describe(c.rule) +
                                                                     ": fingerprint does not match "
                                                                     "its labels"));
    }
  }
  auto lock = conn.lock();
  Transaction tx(conn);
  if (auto s = tx.begin(); !s) return tl::unexpected(s.error());
  auto rows = apply(conn, w);
  if (!rows) return rows;
  if (auto s = tx.commit(*rows); !s) return tl::unexpected(s.error());
  return rows;
}

Result<size_t> AlertStore::forget(const std::vector<RuleKey>& rules) {
  if (rules.empty()) return 0;
  Connection& conn = db_.connection();
  auto lock = conn.lock();
  Transaction tx(conn);
  if (auto s = tx.begin(); !s) return tl::unexpected(s.error());
  size_t rows = 0;
  for (const RuleKey& rule : rules) {
    auto stmt = conn.prepare(kDeleteRule);
    if (!stmt) return tl::unexpected(stmt.error());
    bind_rule(*stmt, rule);
    if (auto s = stmt->run(); !s) return tl::unexpected(s.error());
    rows += conn.changes();
  }
  if (auto s = tx.commit(rows); !s) return tl::unexpected(s.error());
  return rows;
}

Result<std::optional<WallTime>> AlertStore::last_seen() const {
  Connection& conn = db_.connection();
  auto lock = conn.lock();
  auto stmt = conn.prepare(kSelectLastSeen);
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::nullopt;
  if (!stmt->is_integer(0)) {
    return tl::unexpected(conn.error(ErrorCode::kInvalidInput,
                                     "last_seen is not a timestamp (the database is damaged)"));
  }
  return from_unix_ms(stmt->int64(0));
}

Status AlertStore::mark_seen(WallTime at) {
  Connection& conn = db_.connection();
  auto lock = conn.lock();
  Transaction tx(conn);
  if (auto s = tx.begin(); !s) return s;
  {
    auto stmt = conn.prepare(kUpsertLastSeen);
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind_int(1, to_unix_ms(at));
    if (auto s = stmt->run(); !s) return s;
  }
  return tx.commit(1);
}

}  // namespace herald::storage
