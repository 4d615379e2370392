// GroupTimerStore over the `group_timers` table.
#include "storage/group_timer_store.h"

#include "storage/connection.h"

namespace herald::storage {
namespace {

constexpr std::string_view kSelect = R"sql(
SELECT group_key, route_id, next_flush, has_flushed FROM group_timers
ORDER BY group_key, route_id)sql";

constexpr std::string_view kUpsert = R"sql(
INSERT OR REPLACE INTO group_timers (group_key, route_id, next_flush, has_flushed)
VALUES (?1, ?2, ?3, ?4))sql";

constexpr std::string_view kDelete =
    "DELETE FROM group_timers WHERE group_key = ?1 AND route_id = ?2";

}  // namespace

Result<std::vector<GroupTimerRow>> GroupTimerStore::load() const {
  Connection& conn = db_.connection();
  auto lock = conn.lock();
  auto stmt = conn.prepare(kSelect);
  if (!stmt) return tl::unexpected(stmt.error());
  std::vector<GroupTimerRow> rows;
  for (;;) {
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return rows;
    rows.push_back({std::string(stmt->text(0)), std::string(stmt->text(1)),
                    from_unix_ms(stmt->int64(2)), stmt->int64(3) != 0});
  }
}

Status GroupTimerStore::put_all(const std::vector<GroupTimerRow>& rows) {
  if (rows.empty()) return {};
  Connection& conn = db_.connection();
  auto lock = conn.lock();
  Transaction tx(conn);
  if (auto s = tx.begin(); !s) return s;
  for (const GroupTimerRow& r : rows) {
    auto stmt = conn.prepare(kUpsert);
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind_text(1, r.group_key).bind_text(2, r.route_id);
    stmt->bind_int(3, to_unix_ms(r.next_flush)).bind_int(4, r.has_flushed ? 1 : 0);
    if (auto s = stmt->run(); !s) return s;
  }
  return tx.commit(rows.size());
}

Status GroupTimerStore::erase(const std::vector<std::pair<std::string, std::string>>& ids) {
  if (ids.empty()) return {};
  Connection& conn = db_.connection();
  auto lock = conn.lock();
  Transaction tx(conn);
  if (auto s = tx.begin(); !s) return s;
  size_t rows = 0;
  for (const auto& [group_key, route_id] : ids) {
    auto stmt = conn.prepare(kDelete);
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind_text(1, group_key).bind_text(2, route_id);
    if (auto s = stmt->run(); !s) return s;
    rows += conn.changes();
  }
  return tx.commit(rows);
}

}  // namespace herald::storage
