// Outbox over the `outbox` table; delivered() also writes `notification_log`.
#include "storage/outbox.h"

#include <algorithm>

#include "storage/connection.h"
#include "storage/notification_log_rows.h"

namespace herald::storage {
namespace {

constexpr std::string_view kInsert = R"sql(
INSERT INTO outbox (group_key, receiver, integration, integration_index, payload, log_firing,
                    log_resolved, log_expires_at, created_at, next_attempt_at, attempts,
                    last_error)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12))sql";

constexpr std::string_view kDeleteKey = R"sql(
DELETE FROM outbox
WHERE group_key = ?1 AND receiver = ?2 AND integration = ?3 AND integration_index = ?4)sql";

// The kSelect* statements share their columns, in read_item's order.
// Without a LIMIT: a filter may pass over any number of rows.
constexpr std::string_view kSelectDue = R"sql(
SELECT id, group_key, receiver, integration, integration_index, payload, log_firing,
       log_resolved, log_expires_at, created_at, next_attempt_at, attempts, last_error
FROM outbox WHERE next_attempt_at <= ?1 ORDER BY next_attempt_at, id)sql";

constexpr std::string_view kSelectAll = R"sql(
SELECT id, group_key, receiver, integration, integration_index, payload, log_firing,
       log_resolved, log_expires_at, created_at, next_attempt_at, attempts, last_error
FROM outbox ORDER BY id)sql";

constexpr std::string_view kSelectById = R"sql(
SELECT id, group_key, receiver, integration, integration_index, payload, log_firing,
       log_resolved, log_expires_at, created_at, next_attempt_at, attempts, last_error
FROM outbox WHERE id = ?1)sql";

constexpr std::string_view kSelectByKey = R"sql(
SELECT id, group_key, receiver, integration, integration_index, payload, log_firing,
       log_resolved, log_expires_at, created_at, next_attempt_at, attempts, last_error
FROM outbox
WHERE group_key = ?1 AND receiver = ?2 AND integration = ?3 AND integration_index = ?4)sql";

constexpr std::string_view kSelectByAttempt = R"sql(
SELECT id, next_attempt_at, group_key, receiver, integration, integration_index
FROM outbox ORDER BY next_attempt_at, id)sql";

constexpr std::string_view kRetry = R"sql(
UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2, last_error = ?3
WHERE id = ?1)sql";

constexpr std::string_view kDelete = "DELETE FROM outbox WHERE id = ?1";

// The key of the current row, from its columns first, first + 1, … (group, receiver, integration,
// index).
NotificationLogKey key_at(const Statement& row, int first) {
  return {std::string(row.text(first)), std::string(row.text(first + 1)),
          std::string(row.text(first + 2)), static_cast<int>(row.int64(first + 3))};
}

// Decodes the current row of a kSelect* statement.
Result<OutboxItem> read_item(const Connection& conn, const Statement& row) {
  OutboxItem item;
  item.id = row.int64(0);
  item.key = key_at(row, 1);
  item.payload = std::string(row.text(5));
  auto firing = decode_hashes(row.blob(6));
  auto resolved = decode_hashes(row.blob(7));
  if (!firing || !resolved) {
    const Error& e = firing ? resolved.error() : firing.error();
    return tl::unexpected(
        conn.error(ErrorCode::kInvalidInput, "outbox item " + std::to_string(item.id) + ": " +
                                                 e.message + " (the database is damaged)"));
  }
  item.log.firing = std::move(*firing);
  item.log.resolved = std::move(*resolved);
  item.log.expires_at = column_expiry(row, 8);
  item.created_at = from_unix_ms(row.int64(9));
  item.next_attempt_at = from_unix_ms(row.int64(10));
  item.attempts = static_cast<int>(row.int64(11));
  item.last_error = std::string(row.text(12));
  return item;
}

Result<std::vector<OutboxItem>> read_items(const Connection& conn, Statement& stmt) {
  std::vector<OutboxItem> items;
  for (;;) {
    auto row = stmt.step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return items;
    auto item = read_item(conn, stmt);
    if (!item) return tl::unexpected(item.error());
    items.push_back(std::move(*item));
  }
}

// Deletes the key's item, if any, then inserts this one; adds the rows written to `rows`.
// REQUIRES: conn's lock held, inside a Transaction.
Result<int64_t> insert_item(Connection& conn, const OutboxItem& item, size_t& rows) {
  {
    auto del = conn.prepare(kDeleteKey);
    if (!del) return tl::unexpected(del.error());
    bind_log_key(*del, 1, item.key);
    if (auto s = del->run(); !s) return tl::unexpected(s.error());
    rows += conn.changes();
  }
  auto stmt = conn.prepare(kInsert);
  if (!stmt) return tl::unexpected(stmt.error());
  bind_log_key(*stmt, 1, item.key);
  stmt->bind_text(5, item.payload);
  stmt->bind_blob(6, encode_hashes(item.log.firing));
  stmt->bind_blob(7, encode_hashes(item.log.resolved));
  bind_expiry(*stmt, 8, item.log.expires_at);
  stmt->bind_int(9, to_unix_ms(item.created_at)).bind_int(10, to_unix_ms(item.next_attempt_at));
  stmt->bind_int(11, item.attempts).bind_text(12, item.last_error);
  if (auto s = stmt->run(); !s) return tl::unexpected(s.error());
  rows += 1;
  return conn.last_insert_rowid();
}

// Rows deleted: 1, or 0 when the item is gone. REQUIRES: conn's lock held, inside a Transaction.
Result<size_t> delete_item(Connection& conn, int64_t id) {
  auto stmt = conn.prepare(kDelete);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, id);
  if (auto s = stmt->run(); !s) return tl::unexpected(s.error());
  return conn.changes();
}

// The item, or nullopt. REQUIRES: conn's lock held.
Result<std::optional<OutboxItem>> find_item(Connection& conn, int64_t id) {
  auto stmt = conn.prepare(kSelectById);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, id);
  auto items = read_items(conn, *stmt);
  if (!items) return tl::unexpected(items.error());
  if (items->empty()) return std::nullopt;
  return std::move(items->front());
}

}  // namespace

Result<int64_t> Outbox::enqueue(const OutboxItem& item) {
  auto ids = enqueue_all({item});
  if (!ids) return tl::unexpected(ids.error());
  return ids->front();
}

Result<std::vector<int64_t>> Outbox::enqueue_all(const std::vector<OutboxItem>& items) {
  if (items.empty()) return std::vector<int64_t>{};
  Connection& conn = db_.connection();
  auto lock = conn.lock();
  Transaction tx(conn);
  if (auto s = tx.begin(); !s) return tl::unexpected(s.error());
  std::vector<int64_t> ids;
  ids.reserve(items.size());
  size_t rows = 0;
  for (const OutboxItem& item : items) {
    auto id = insert_item(conn, item, rows);
    if (!id) return tl::unexpected(id.error());
    ids.push_back(*id);
  }
  if (auto s = tx.commit(rows); !s) return tl::unexpected(s.error());
  return ids;
}

Result<std::vector<OutboxItem>> Outbox::due(WallTime now, size_t limit,
                                            const OutboxFilter& take) const {
  std::vector<OutboxItem> items;
  if (limit == 0) return items;
  Connection& conn = db_.connection();
  auto lock = conn.lock();
  auto stmt = conn.prepare(kSelectDue);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, to_unix_ms(now));
  while (items.size() < limit) {
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    if (take && !take(stmt->int64(0), key_at(*stmt, 1))) continue;
    auto item = read_item(conn, *stmt);
    if (!item) return tl::unexpected(item.error());
    items.push_back(std::move(*item));
  }
  return items;
}

Result<std::optional<WallTime>> Outbox::next_attempt(const OutboxFilter& take) const {
  Connection& conn = db_.connection();
  auto lock = conn.lock();
  auto stmt = conn.prepare(kSelectByAttempt);
  if (!stmt) return tl::unexpected(stmt.error());
  for (;;) {  // by the (next_attempt_at, id) index: past the refused items only
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return std::nullopt;
    if (!take || take(stmt->int64(0), key_at(*stmt, 2))) return from_unix_ms(stmt->int64(1));
  }
}

Result<Outbox::Stats> Outbox::stats() const {
  Connection& conn = db_.connection();
  auto lock = conn.lock();
  auto stmt = conn.prepare("SELECT COUNT(*), MIN(created_at) FROM outbox");
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return tl::unexpected(row.error());
  Stats out;
  out.items = stmt->int64(0);
  if (out.items > 0) out.oldest_created_at = from_unix_ms(stmt->int64(1));
  return out;
}

Result<std::optional<OutboxItem>> Outbox::find(const NotificationLogKey& key) const {
  Connection& conn = db_.connection();
  auto lock = conn.lock();
  auto stmt = conn.prepare(kSelectByKey);
  if (!stmt) return tl::unexpected(stmt.error());
  bind_log_key(*stmt, 1, key);
  auto items = read_items(conn, *stmt);
  if (!items) return tl::unexpected(items.error());
  if (items->empty()) return std::nullopt;
  return std::move(items->front());
}

Result<std::vector<OutboxItem>> Outbox::pending() const {
  Connection& conn = db_.connection();
  auto lock = conn.lock();
  auto stmt = conn.prepare(kSelectAll);
  if (!stmt) return tl::unexpected(stmt.error());
  return read_items(conn, *stmt);
}

Status Outbox::retry_later(int64_t id, WallTime next_attempt_at, std::string_view error) {
  Connection& conn = db_.connection();
  auto lock = conn.lock();
  Transaction tx(conn);
  if (auto s = tx.begin(); !s) return s;
  size_t rows = 0;
  {
    auto stmt = conn.prepare(kRetry);
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind_int(1, id).bind_int(2, to_unix_ms(next_attempt_at)).bind_text(3, error);
    if (auto s = stmt->run(); !s) return s;
    rows = conn.changes();
  }
  return tx.commit(rows);
}

Result<bool> Outbox::delivered(int64_t id, WallTime delivered_at, std::string_view data) {
  Connection& conn = db_.connection();
  auto lock = conn.lock();
  Transaction tx(conn);
  if (auto s = tx.begin(); !s) return tl::unexpected(s.error());
  auto item = find_item(conn, id);
  if (!item) return tl::unexpected(item.error());
  if (!*item) {
    if (auto s = tx.commit(0); !s) return tl::unexpected(s.error());
    return false;
  }
  if (auto n = delete_item(conn, id); !n) return tl::unexpected(n.error());
  NotificationLogRow row = std::move((*item)->log);
  row.at = delivered_at;
  row.data = std::string(data);
  if (auto s = upsert_log_row(conn, (*item)->key, row); !s) return tl::unexpected(s.error());
  if (auto s = tx.commit(2); !s) return tl::unexpected(s.error());
  return true;
}

Status Outbox::give_up(int64_t id) {
  Connection& conn = db_.connection();
  auto lock = conn.lock();
  Transaction tx(conn);
  if (auto s = tx.begin(); !s) return s;
  auto rows = delete_item(conn, id);
  if (!rows) return tl::unexpected(rows.error());
  return tx.commit(*rows);
}

}  // namespace herald::storage
