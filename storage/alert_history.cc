// AlertHistory over the `alert_history` table, and the row format AlertStore::write appends.
// Rows are written for people as much as for herald: labels are a JSON object and states are
// words, so `sqlite3 herald.db 'select * from alert_history'` is an audit trail.
#include "storage/alert_history.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>

#include "storage/connection.h"
#include "storage/history_rows.h"

namespace herald::storage {
namespace {

using nlohmann::json;

constexpr std::string_view kInsert = R"sql(
INSERT INTO alert_history (at, rule_file, rule_group, rule_name, rule_ordinal, fingerprint,
                           alertname, labels, from_state, to_state, value)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11))sql";

constexpr std::string_view kPrune = "DELETE FROM alert_history WHERE at < ?1";

// One statement per filter combination, so each can use its index. ?1 fingerprint, ?2 alertname,
// ?3 since, ?4 limit. Newest first here; query() reverses.
std::string select_sql(const HistoryQuery& q) {
  std::string where = q.fingerprint && q.alertname ? "fingerprint = ?1 AND alertname = ?2"
                      : q.fingerprint              ? "fingerprint = ?1"
                                                   : "alertname = ?2";
  return "SELECT at, rule_file, rule_group, rule_name, rule_ordinal, fingerprint, labels, "
         "from_state, to_state, value FROM alert_history WHERE " +
         where + " AND at >= ?3 ORDER BY at DESC, id DESC LIMIT ?4";
}

std::string labels_json(const LabelSet& labels) {
  json obj = json::object();
  for (const Label& l : labels)
    obj[l.name] = l.value;
  // Invalid UTF-8 (which Prometheus never produces) becomes U+FFFD rather than an exception.
  return obj.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<LabelSet> parse_labels_json(std::string_view text) {
  json obj = json::parse(text.begin(), text.end(), nullptr, false);
  if (!obj.is_object()) return std::nullopt;  // a parse error is "discarded", not an object
  LabelSet labels;
  for (const auto& [name, value] : obj.items()) {
    if (!value.is_string()) return std::nullopt;
    labels.set(name, value.get_ref<const std::string&>());
  }
  return labels;
}

std::optional<AlertState> parse_state(std::string_view s) {
  for (AlertState st : {AlertState::kInactive, AlertState::kPending, AlertState::kFiring}) {
    if (to_string(st) == s) return st;
  }
  return std::nullopt;
}

Result<TransitionRecord> read_transition(const Connection& conn, const Statement& row) {
  TransitionRecord t;
  t.at = from_unix_ms(row.int64(0));
  t.rule = {std::string(row.text(1)), std::string(row.text(2)), std::string(row.text(3)),
            static_cast<int>(row.int64(4))};
  t.fingerprint = static_cast<Fingerprint>(row.int64(5));
  auto labels = parse_labels_json(row.text(6));
  auto from = parse_state(row.text(7));
  auto to = parse_state(row.text(8));
  if (!labels || !from || !to) {
    return tl::unexpected(conn.error(
        ErrorCode::kInvalidInput, "history of rule \"" + t.rule.rule +
                                      "\": unreadable labels or state (the database is damaged)"));
  }
  t.labels = std::move(*labels);
  t.from = *from;
  t.to = *to;
  t.value = row.is_null(9) ? std::numeric_limits<double>::quiet_NaN() : row.real(9);
  return t;
}

}  // namespace

Status append_transition(Connection& conn, const TransitionRecord& t) {
  auto stmt = conn.prepare(kInsert);
  if (!stmt) return tl::unexpected(stmt.error());
  std::string_view alertname = t.labels.get("alertname");
  stmt->bind_int(1, to_unix_ms(t.at));
  stmt->bind_text(2, t.rule.file).bind_text(3, t.rule.group).bind_text(4, t.rule.rule);
  stmt->bind_int(5, t.rule.ordinal).bind_int(6, static_cast<int64_t>(t.fingerprint));
  stmt->bind_text(7, alertname.empty() ? std::string_view(t.rule.rule) : alertname);
  stmt->bind_text(8, labels_json(t.labels));
  stmt->bind_text(9, to_string(t.from)).bind_text(10, to_string(t.to));
  stmt->bind_real(11, t.value);
  return stmt->run();
}

Result<std::vector<TransitionRecord>> AlertHistory::query(const HistoryQuery& q) const {
  Connection& conn = db_.connection();
  if (!q.fingerprint && !q.alertname) {
    return tl::unexpected(
        conn.error(ErrorCode::kInvalidInput, "history query needs a fingerprint or an alertname"));
  }
  auto lock = conn.lock();
  auto stmt = conn.prepare(select_sql(q));
  if (!stmt) return tl::unexpected(stmt.error());
  if (q.fingerprint) stmt->bind_int(1, static_cast<int64_t>(*q.fingerprint));
  if (q.alertname) stmt->bind_text(2, *q.alertname);
  stmt->bind_int(3, q.since ? to_unix_ms(*q.since) : std::numeric_limits<int64_t>::min());
  auto limit = std::min<size_t>(q.limit, std::numeric_limits<int64_t>::max());
  stmt->bind_int(4, static_cast<int64_t>(limit));
  std::vector<TransitionRecord> out;
  for (;;) {
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    auto t = read_transition(conn, *stmt);
    if (!t) return tl::unexpected(t.error());
    out.push_back(std::move(*t));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

Result<size_t> AlertHistory::prune(WallTime before) {
  return delete_before(db_.connection(), kPrune, before);
}

}  // namespace herald::storage
