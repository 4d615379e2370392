// The schema, as the migrations that build it. Never edit a shipped migration: add a version.
#include "storage/migrations.h"

#include <array>
#include <string>

namespace herald::storage {
namespace {

// kMigrations[k - 1] takes the schema from version k-1 to k.
constexpr std::array<const char*, kSchemaVersion> kMigrations = {
    // 1: each rule's alerts. The fingerprint is the uint64 bit pattern as an int64; labels and
    // annotations are label_codec blobs; times are unix ms, NULL when absent; a NULL value is NaN.
    R"sql(
CREATE TABLE alerts (
  rule_file TEXT NOT NULL,
  rule_group TEXT NOT NULL,
  rule_name TEXT NOT NULL,
  rule_ordinal INTEGER NOT NULL,
  fingerprint INTEGER NOT NULL,
  labels BLOB NOT NULL,
  annotations BLOB NOT NULL,
  state INTEGER NOT NULL,
  value REAL,
  active_at INTEGER NOT NULL,
  fired_at INTEGER,
  resolved_at INTEGER,
  last_sent_at INTEGER,
  valid_until INTEGER,
  keep_firing_since INTEGER,
  PRIMARY KEY (rule_file, rule_group, rule_name, rule_ordinal, fingerprint)
) WITHOUT ROWID;
)sql",
    // 2: every transition, audit-readable (labels as a JSON object, states as words).
    R"sql(
CREATE TABLE alert_history (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  rule_file TEXT NOT NULL,
  rule_group TEXT NOT NULL,
  rule_name TEXT NOT NULL,
  rule_ordinal INTEGER NOT NULL,
  fingerprint INTEGER NOT NULL,
  alertname TEXT NOT NULL,
  labels TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  value REAL
);
CREATE INDEX alert_history_fingerprint_at ON alert_history (fingerprint, at);
CREATE INDEX alert_history_alertname_at ON alert_history (alertname, at);
CREATE INDEX alert_history_at ON alert_history (at);
)sql",
    // 3: small facts about the database itself, such as the last_seen heartbeat.
    R"sql(
CREATE TABLE herald_meta (
  key TEXT PRIMARY KEY NOT NULL,
  value
) WITHOUT ROWID;
)sql",
    // 4: the router's durable state. Fingerprints are uint64 bit patterns as int64 (as in alerts);
    // labels and annotations are label_codec blobs; times are unix ms. A set of alert hashes is a
    // BLOB of little-endian uint64s, ascending and unique (8 bytes each; empty set: x'').
    // notification_log: Alertmanager's nflog, one row per (group key, receiver integration);
    //   expires_at NULL means never.
    // outbox: notifications written before their first attempt; at most one per log key (a newer
    //   flush supersedes), with the log row to write on delivery. AUTOINCREMENT: an id is never
    //   reused, so a late delivered(id) of a superseded item cannot hit its successor.
    // router_alerts: the router's alerts; ends_at 0 is "no end" (WallTime{}); timeout is 0 or 1.
    // silences: matchers are JSON (storage/matcher_codec.h).
    // group_timers: aggregation groups' next flush; route_id is the route's tree position.
    R"sql(
CREATE TABLE notification_log (
  group_key TEXT NOT NULL,
  receiver TEXT NOT NULL,
  integration TEXT NOT NULL,
  integration_index INTEGER NOT NULL,
  at INTEGER NOT NULL,
  firing BLOB NOT NULL,
  resolved BLOB NOT NULL,
  expires_at INTEGER,
  data TEXT NOT NULL,
  PRIMARY KEY (group_key, receiver, integration, integration_index)
) WITHOUT ROWID;
CREATE INDEX notification_log_expires_at ON notification_log (expires_at);
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  group_key TEXT NOT NULL,
  receiver TEXT NOT NULL,
  integration TEXT NOT NULL,
  integration_index INTEGER NOT NULL,
  payload TEXT NOT NULL,
  log_firing BLOB NOT NULL,
  log_resolved BLOB NOT NULL,
  log_expires_at INTEGER,
  created_at INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  last_error TEXT NOT NULL
);
CREATE UNIQUE INDEX outbox_key ON outbox (group_key, receiver, integration, integration_index);
CREATE INDEX outbox_next_attempt_at ON outbox (next_attempt_at, id);
CREATE TABLE router_alerts (
  fingerprint INTEGER PRIMARY KEY NOT NULL,
  labels BLOB NOT NULL,
  annotations BLOB NOT NULL,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  generator_url TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  timeout INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE silences (
  id TEXT PRIMARY KEY NOT NULL,
  matchers TEXT NOT NULL,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  comment TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX silences_ends_at ON silences (ends_at);
CREATE TABLE group_timers (
  group_key TEXT NOT NULL,
  route_id TEXT NOT NULL,
  next_flush INTEGER NOT NULL,
  has_flushed INTEGER NOT NULL,
  PRIMARY KEY (group_key, route_id)
) WITHOUT ROWID;
)sql",
};

Status apply(Connection& conn, int version) {
  Transaction tx(conn);
  if (auto s = tx.begin(); !s) return s;
  if (auto s = conn.exec(kMigrations[version - 1]); !s) return s;
  // PRAGMA takes no parameters; `version` is ours.
  if (auto s = conn.exec("PRAGMA user_version = " + std::to_string(version)); !s) return s;
  return tx.commit(0);
}

}  // namespace

Status migrate(Connection& conn, int from, int to) {
  for (int version = from + 1; version <= to; ++version) {
    if (auto s = apply(conn, version); !s) {
      return tl::unexpected(
          s.error().with_context("migrating to schema " + std::to_string(version)));
    }
  }
  return {};
}

}  // namespace herald::storage
