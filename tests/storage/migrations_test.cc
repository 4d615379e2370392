// Migrations: a database of every earlier schema version, holding that version's data, opens at
// the current version with its data intact and the same schema as a fresh database.
#include "storage/migrations.h"

#include <catch2/catch.hpp>

#include "storage/alert_history.h"
#include "storage/alert_store.h"
#include "storage/group_timer_store.h"
#include "storage/label_codec.h"
#include "storage/notification_log.h"
#include "storage/outbox.h"
#include "storage/router_alert_store.h"
#include "storage/silence_store.h"
#include "storage_test_util.h"

using namespace herald;
using namespace herald::storage;
using namespace herald::storage::testing;

namespace {

std::string hex(std::string_view bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xf]);
  }
  return out;
}

std::vector<std::string> schema(const std::string& path) {
  return RawDb(path).column(
      "SELECT type || ' ' || name || ': ' || sql FROM sqlite_master "
      "ORDER BY name");
}

const RuleAlert& old_alert() {
  static const RuleAlert a = [] {
    RuleAlert a = sample_alert("Old", "h1");
    a.annotations = {{"summary", "from an older herald"}};
    a.last_sent_at = a.valid_until = {};
    return a;
  }();
  return a;
}

// Rows as a herald of `version` wrote them, with plain SQL (not through today's code).
void insert_version_data(const std::string& path, int version) {
  RawDb raw(path);
  const RuleAlert& a = old_alert();
  auto fp = static_cast<int64_t>(a.labels.fingerprint());
  if (version >= 1) {
    raw.require("INSERT INTO alerts VALUES ('/r.yml', 'g', 'Old', 0, " + std::to_string(fp) +
                ", x'" + hex(encode_labels(a.labels)) + "', x'" +
                hex(encode_annotations(a.annotations)) +
                "', 2, 0.25, 1700000000123, 1700000300123, NULL, NULL, NULL, NULL)");
  }
  if (version >= 2) {
    raw.require(
        "INSERT INTO alert_history (at, rule_file, rule_group, rule_name, rule_ordinal, "
        "fingerprint, alertname, labels, from_state, to_state, value) VALUES "
        "(1700000300123, '/r.yml', 'g', 'Old', 0, " +
        std::to_string(fp) +
        ", 'Old', '{\"alertname\":\"Old\",\"instance\":\"h1\",\"severity\":\"page\"}', "
        "'pending', 'firing', 0.25)");
  }
  if (version >= 3) raw.require("INSERT INTO herald_meta VALUES ('last_seen', 1700000400123)");
}

// The router's tables (schema 4) are there and usable after a migration.
void check_router_tables(Database& db) {
  CHECK(RouterAlertStore(db).load().value().empty());
  CHECK(SilenceStore(db).load().value().empty());
  CHECK(GroupTimerStore(db).load().value().empty());
  Outbox outbox(db);
  CHECK(outbox.pending().value().empty());
  OutboxItem item;
  item.key = {"{}:{}", "team-a", "webhook", 0};
  item.log.firing = {1};
  auto id = outbox.enqueue(item);
  REQUIRE(id);
  CHECK(outbox.delivered(*id, kT0, "") == true);
  CHECK(NotificationLog(db).get(item.key).value().value().firing == std::vector<uint64_t>{1});
}

}  // namespace

TEST_CASE("migrations: every earlier version migrates to the current one, keeping its data",
          "[storage]") {
  TempDir dir;
  std::string fresh = dir.file("fresh.db");
  { open_db(fresh); }
  int version = GENERATE(range(0, kSchemaVersion));
  INFO("from version " << version);
  std::string path = dir.file("v" + std::to_string(version) + ".db");
  {
    auto db = open_db(path, with_migrate_to(version));
    REQUIRE(db->schema_version() == version);
  }
  insert_version_data(path, version);

  auto db = open_db(path);
  CHECK(db->schema_version() == kSchemaVersion);
  auto alerts = AlertStore(*db).load();
  REQUIRE(alerts);
  REQUIRE(alerts->size() == (version >= 1 ? 1u : 0u));
  if (version >= 1) {
    CHECK(alerts->front().rule == RuleKey{"/r.yml", "g", "Old", 0});
    check_same(alerts->front().alert, old_alert());
  }
  auto history = AlertHistory(*db).query(by_alertname("Old"));
  REQUIRE(history);
  REQUIRE(history->size() == (version >= 2 ? 1u : 0u));
  if (version >= 2) CHECK(history->front().labels == old_alert().labels);
  auto last_seen = AlertStore(*db).last_seen();
  REQUIRE(last_seen);
  if (version >= 3) {
    CHECK(*last_seen == kT0 + 400s);
  } else {
    CHECK(*last_seen == std::nullopt);
  }
  check_router_tables(*db);
  CHECK(schema(path) == schema(fresh));
}

TEST_CASE("migrations: migrate_to stops at that version", "[storage]") {
  TempDir dir;
  auto [version, tables] = GENERATE(table<int, std::vector<std::string>>({
      {0, {}},
      {1, {"alerts"}},
      {2, {"alert_history", "alerts"}},
      {3, {"alert_history", "alerts", "herald_meta"}},
      {4,
       {"alert_history", "alerts", "group_timers", "herald_meta", "notification_log", "outbox",
        "router_alerts", "silences", "sqlite_sequence"}},
  }));
  std::string path = dir.file("herald.db");
  { open_db(path, with_migrate_to(version)); }
  CHECK(RawDb(path).column("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") ==
        tables);
}

TEST_CASE("migrations: a failed migration leaves the database at the previous version",
          "[storage]") {
  TempDir dir;
  std::string path = dir.file("herald.db");
  { open_db(path, with_migrate_to(1)); }
  insert_version_data(path, 1);
  RawDb(path).require("CREATE TABLE alert_history (x)");  // in migration 2's way
  auto db = Database::open(path);
  REQUIRE_FALSE(db);
  CHECK_THAT(db.error().message, Catch::Contains("migrating to schema 2") &&
                                     Catch::Contains("alert_history already exists"));
  CHECK(RawDb(path).column("PRAGMA user_version") == std::vector<std::string>{"1"});
  CHECK(RawDb(path).column("SELECT rule_name FROM alerts") == std::vector<std::string>{"Old"});
}

TEST_CASE("migrations: a failed migration 4 leaves schema 3 and its data, with no router table",
          "[storage]") {
  TempDir dir;
  std::string path = dir.file("herald.db");
  { open_db(path, with_migrate_to(3)); }
  insert_version_data(path, 3);
  RawDb(path).require("CREATE TABLE silences (x)");  // in migration 4's way, after its first table
  auto db = Database::open(path);
  REQUIRE_FALSE(db);
  CHECK_THAT(db.error().message, Catch::Contains("migrating to schema 4") &&
                                     Catch::Contains("silences already exists"));
  RawDb raw(path);
  CHECK(raw.column("PRAGMA user_version") == std::vector<std::string>{"3"});
  CHECK(raw.column("SELECT name FROM sqlite_master WHERE name IN ('notification_log', 'outbox')")
            .empty());
  CHECK(raw.column("SELECT value FROM herald_meta") == std::vector<std::string>{"1700000400123"});
  CHECK(raw.column("SELECT rule_name FROM alert_history") == std::vector<std::string>{"Old"});
}
