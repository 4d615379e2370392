// SilenceStore over the `silences` table.
#include "storage/silence_store.h"

#include "storage/connection.h"
#include "storage/matcher_codec.h"

namespace herald::storage {
namespace {

constexpr std::string_view kSelect = R"sql(
SELECT id, matchers, starts_at, ends_at, updated_at, created_by, comment
FROM silences ORDER BY id)sql";

constexpr std::string_view kUpsert = R"sql(
INSERT OR REPLACE INTO silences (id, matchers, starts_at, ends_at, updated_at, created_by, comment)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7))sql";

constexpr std::string_view kPrune = "DELETE FROM silences WHERE ends_at < ?1";

}  // namespace

Result<std::vector<SilenceRow>> SilenceStore::load() const {
  Connection& conn = db_.connection();
  auto lock = conn.lock();
  auto stmt = conn.prepare(kSelect);
  if (!stmt) return tl::unexpected(stmt.error());
  std::vector<SilenceRow> rows;
  for (;;) {
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return rows;
    Result<Matchers> matchers = decode_matchers(stmt->text(1));
    if (!matchers) continue;
    SilenceRow r;
    r.id = std::string(stmt->text(0));
    r.matchers = std::move(*matchers);
    r.starts_at = from_unix_ms(stmt->int64(2));
    r.ends_at = from_unix_ms(stmt->int64(3));
    r.updated_at = from_unix_ms(stmt->int64(4));
    r.created_by = std::string(stmt->text(5));
    r.comment = std::string(stmt->text(6));
    rows.push_back(std::move(r));
  }
}

Status SilenceStore::put(const SilenceRow& row) {
  Connection& conn = db_.connection();
  auto lock = conn.lock();
  Transaction tx(conn);
  if (auto s = tx.begin(); !s) return s;
  {
    auto stmt = conn.prepare(kUpsert);
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind_text(1, row.id).bind_text(2, encode_matchers(row.matchers));
    stmt->bind_int(3, to_unix_ms(row.starts_at)).bind_int(4, to_unix_ms(row.ends_at));
    stmt->bind_int(5, to_unix_ms(row.updated_at));
    stmt->bind_text(6, row.created_by).bind_text(7, row.comment);
    if (auto s = stmt->run(); !s) return s;
  }
  return tx.commit(1);
}

Result<size_t> SilenceStore::prune(WallTime expired_before) {
  return delete_before(db_.connection(), kPrune, expired_before);
}

}  // namespace herald::storage
