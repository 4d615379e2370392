// RouterAlertStore over the `router_alerts` table. Labels and annotations are label_codec blobs,
// as in `alerts`; ends_at 0 is WallTime{} ("no end").
#include "storage/router_alert_store.h"

#include <algorithm>

#include "storage/connection.h"
#include "storage/label_codec.h"

namespace herald::storage {
namespace {

constexpr std::string_view kSelect = R"sql(
SELECT fingerprint, labels, annotations, starts_at, ends_at, generator_url, updated_at, timeout
FROM router_alerts ORDER BY fingerprint)sql";

constexpr std::string_view kUpsert = R"sql(
INSERT OR REPLACE INTO router_alerts (
  fingerprint, labels, annotations, starts_at, ends_at, generator_url, updated_at, timeout)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8))sql";

constexpr std::string_view kDelete = "DELETE FROM router_alerts WHERE fingerprint = ?1";

// An unreadable row: the database was damaged or written by something else.
Error corrupt_row(const Connection& conn, Fingerprint fp, std::string_view detail) {
  return conn.error(ErrorCode::kInvalidInput, "router alert " + fingerprint_hex(fp) + ": " +
                                                  std::string(detail) +
                                                  " (the database is damaged)");
}

Result<Alert> read_alert(const Connection& conn, const Statement& row) {
  auto fp = static_cast<Fingerprint>(row.int64(0));  // the bit pattern back
  auto labels = decode_labels(row.blob(1));
  if (!labels) return tl::unexpected(corrupt_row(conn, fp, "labels: " + labels.error().message));
  auto annotations = decode_annotations(row.blob(2));
  if (!annotations) {
    return tl::unexpected(corrupt_row(conn, fp, "annotations: " + annotations.error().message));
  }
  if (labels->fingerprint() != fp) {
    return tl::unexpected(corrupt_row(conn, fp, "stored fingerprint does not match its labels"));
  }
  Alert a;
  a.labels = std::move(*labels);
  a.annotations = std::move(*annotations);
  a.starts_at = from_unix_ms(row.int64(3));
  a.ends_at = from_unix_ms(row.int64(4));
  a.generator_url = std::string(row.text(5));
  a.updated_at = from_unix_ms(row.int64(6));
  a.timeout = row.int64(7) != 0;
  return a;
}

}  // namespace

Result<std::vector<Alert>> RouterAlertStore::load() const {
  Connection& conn = db_.connection();
  auto lock = conn.lock();
  auto stmt = conn.prepare(kSelect);
  if (!stmt) return tl::unexpected(stmt.error());
  std::vector<Alert> alerts;
  for (;;) {
    auto row = stmt->step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    auto alert = read_alert(conn, *stmt);
    if (!alert) return tl::unexpected(alert.error());
    alerts.push_back(std::move(*alert));
  }
  // SQLite orders the column as signed int64: fingerprints of 2^63 and above come first.
  auto high = std::find_if(alerts.begin(), alerts.end(),
                           [](const Alert& a) { return (a.labels.fingerprint() >> 63) == 0; });
  std::rotate(alerts.begin(), high, alerts.end());
  return alerts;
}

Status RouterAlertStore::put_all(const std::vector<Alert>& alerts) {
  if (alerts.empty()) return {};
  Connection& conn = db_.connection();
  auto lock = conn.lock();
  Transaction tx(conn);
  if (auto s = tx.begin(); !s) return s;
  for (const Alert& a : alerts) {
    auto stmt = conn.prepare(kUpsert);
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind_int(1, static_cast<int64_t>(a.labels.fingerprint()));
    stmt->bind_blob(2, encode_labels(a.labels)).bind_blob(3, encode_annotations(a.annotations));
    stmt->bind_int(4, to_unix_ms(a.starts_at)).bind_int(5, to_unix_ms(a.ends_at));
    stmt->bind_text(6, a.generator_url).bind_int(7, to_unix_ms(a.updated_at));
    stmt->bind_int(8, a.timeout ? 1 : 0);
    if (auto s = stmt->run(); !s) return s;
  }
  return tx.commit(alerts.size());
}

Status RouterAlertStore::erase(const std::vector<Fingerprint>& fingerprints) {
  if (fingerprints.empty()) return {};
  Connection& conn = db_.connection();
  auto lock = conn.lock();
  Transaction tx(conn);
  if (auto s = tx.begin(); !s) return s;
  size_t rows = 0;
  for (Fingerprint fp : fingerprints) {
    auto stmt = conn.prepare(kDelete);
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind_int(1, static_cast<int64_t>(fp));
    if (auto s = stmt->run(); !s) return s;
    rows += conn.changes();
  }
  return tx.commit(rows);
}

}  // namespace herald::storage
