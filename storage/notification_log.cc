// NotificationLog over the `notification_log` table, the hash-set codec, and the row upsert that
// Outbox::delivered shares.
#include "storage/notification_log.h"

#include <algorithm>

#include "storage/connection.h"
#include "storage/notification_log_rows.h"

namespace herald::storage {
namespace {

constexpr std::string_view kSelect = R"sql(
SELECT at, firing, resolved, expires_at, data FROM notification_log
WHERE group_key = ?1 AND receiver = ?2 AND integration = ?3 AND integration_index = ?4)sql";

constexpr std::string_view kUpsert = R"sql(
INSERT OR REPLACE INTO notification_log (
  group_key, receiver, integration, integration_index, at, firing, resolved, expires_at, data)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9))sql";

constexpr std::string_view kPrune = "DELETE FROM notification_log WHERE expires_at <= ?1";

constexpr size_t kHashBytes = 8;

std::string describe(const NotificationLogKey& key) {
  // Not the group key: it holds label values.
  return "notification log of receiver \"" + key.receiver + "\" (" + key.integration + "[" +
         std::to_string(key.index) + "])";
}

}  // namespace

std::string encode_hashes(std::vector<uint64_t> hashes) {
  std::sort(hashes.begin(), hashes.end());
  hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
  std::string out;
  out.reserve(hashes.size() * kHashBytes);
  for (uint64_t h : hashes) {
    for (size_t i = 0; i < kHashBytes; ++i)
      out.push_back(static_cast<char>((h >> (8 * i)) & 0xff));
  }
  return out;
}

Result<std::vector<uint64_t>> decode_hashes(std::string_view blob) {
  if (blob.size() % kHashBytes != 0) {
    return invalid_input("malformed hash set: " + std::to_string(blob.size()) + " bytes");
  }
  std::vector<uint64_t> out;
  out.reserve(blob.size() / kHashBytes);
  for (size_t pos = 0; pos < blob.size(); pos += kHashBytes) {
    uint64_t h = 0;
    for (size_t i = 0; i < kHashBytes; ++i)
      h |= static_cast<uint64_t>(static_cast<unsigned char>(blob[pos + i])) << (8 * i);
    if (!out.empty() && h <= out.back()) return invalid_input("malformed hash set: not ascending");
    out.push_back(h);
  }
  return out;
}

void bind_expiry(Statement& stmt, int index, WallTime expires_at) {
  if (expires_at == WallTime::max()) {
    stmt.bind_null(index);
  } else {
    stmt.bind_int(index, to_unix_ms(expires_at));
  }
}

WallTime column_expiry(const Statement& stmt, int col) {
  return stmt.is_null(col) ? WallTime::max() : from_unix_ms(stmt.int64(col));
}

void bind_log_key(Statement& stmt, int first, const NotificationLogKey& key) {
  stmt.bind_text(first, key.group_key).bind_text(first + 1, key.receiver);
  stmt.bind_text(first + 2, key.integration).bind_int(first + 3, key.index);
}

Status upsert_log_row(Connection& conn, const NotificationLogKey& key,
                      const NotificationLogRow& row) {
  auto stmt = conn.prepare(kUpsert);
  if (!stmt) return tl::unexpected(stmt.error());
  bind_log_key(*stmt, 1, key);
  stmt->bind_int(5, to_unix_ms(row.at));
  stmt->bind_blob(6, encode_hashes(row.firing)).bind_blob(7, encode_hashes(row.resolved));
  bind_expiry(*stmt, 8, row.expires_at);
  stmt->bind_text(9, row.data);
  return stmt->run();
}

Result<std::optional<NotificationLogRow>> NotificationLog::get(
    const NotificationLogKey& key) const {
  Connection& conn = db_.connection();
  auto lock = conn.lock();
  auto stmt = conn.prepare(kSelect);
  if (!stmt) return tl::unexpected(stmt.error());
  bind_log_key(*stmt, 1, key);
  auto found = stmt->step();
  if (!found) return tl::unexpected(found.error());
  if (!*found) return std::nullopt;
  NotificationLogRow row;
  row.at = from_unix_ms(stmt->int64(0));
  auto firing = decode_hashes(stmt->blob(1));
  auto resolved = decode_hashes(stmt->blob(2));
  if (!firing || !resolved) {
    const Error& e = firing ? resolved.error() : firing.error();
    return tl::unexpected(conn.error(
        ErrorCode::kInvalidInput, describe(key) + ": " + e.message + " (the database is damaged)"));
  }
  row.firing = std::move(*firing);
  row.resolved = std::move(*resolved);
  row.expires_at = column_expiry(*stmt, 3);
  row.data = std::string(stmt->text(4));
  return row;
}

Status NotificationLog::put(const NotificationLogKey& key, const NotificationLogRow& row) {
  Connection& conn = db_.connection();
  auto lock = conn.lock();
  Transaction tx(conn);
  if (auto s = tx.begin(); !s) return s;
  if (auto s = upsert_log_row(conn, key, row); !s) return s;
  return tx.commit(1);
}

Result<size_t> NotificationLog::prune(WallTime now) {
  return delete_before(db_.connection(), kPrune, now);
}

}  // namespace herald::storage
