// Storage under faults: a database locked by another process and a full disk are retryable
// (kUnavailable) failures that leave the store exactly as it was.
#include <catch2/catch.hpp>

#include "storage/alert_history.h"
#include "storage/alert_store.h"
#include "storage/connection.h"
#include "storage/notification_log.h"
#include "storage/outbox.h"
#include "storage_test_util.h"

using namespace herald;
using namespace herald::storage;
using namespace herald::storage::testing;

namespace {

AlertWrite big_write(int n, const std::string& rule) {
  AlertWrite w;
  for (int i = 0; i < n; ++i) {
    RuleAlert a = sample_alert(rule, "host-" + std::to_string(i));
    a.annotations["description"] = std::string(500, 'd');
    w.changes.push_back(upsert(rule_key(rule), a));
    w.transitions.push_back({kT0, rule_key(rule), a.labels.fingerprint(), a.labels,
                             AlertState::kPending, AlertState::kFiring, 1});
  }
  return w;
}

// One flush's items: an integration per index, each with a large payload.
std::vector<OutboxItem> flush_items(int n, const std::string& group) {
  std::vector<OutboxItem> items;
  for (int i = 0; i < n; ++i) {
    OutboxItem it;
    it.key = {group, "team-a", "webhook", i};
    it.payload = "secret-payload-" + std::string(500, 'p');
    it.log.firing = {static_cast<uint64_t>(i)};
    it.created_at = it.next_attempt_at = kT0;
    items.push_back(std::move(it));
  }
  return items;
}

std::vector<int64_t> pending_ids(Outbox& outbox) {
  auto items = outbox.pending();
  REQUIRE(items);
  std::vector<int64_t> ids;
  for (const OutboxItem& it : *items)
    ids.push_back(it.id);
  return ids;
}

size_t count_alerts(AlertStore& store) {
  auto alerts = store.load();
  REQUIRE(alerts);
  return alerts->size();
}

}  // namespace

TEST_CASE("alert store: a locked database is unavailable and unchanged, then writable",
          "[storage]") {
  TempDir dir;
  std::string path = dir.file("herald.db");
  auto db = open_db(path, with_busy_timeout(std::chrono::milliseconds(50)));
  AlertStore store(*db);
  REQUIRE(store.write(big_write(3, "Before")) == 6);

  RawDb other(path);
  other.require("BEGIN EXCLUSIVE");
  auto r = store.write(big_write(2, "During"));
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::kUnavailable);
  CHECK_THAT(r.error().message, Catch::StartsWith("storage " + path + ": ") &&
                                    (Catch::Contains("locked") || Catch::Contains("busy")));
  CHECK(db->counters().failures == 1);
  CHECK(count_alerts(store) == 3);  // WAL: reading is not blocked by the writer

  other.require("COMMIT");
  CHECK(store.write(big_write(2, "During")) == 4);
  CHECK(count_alerts(store) == 5);
}

TEST_CASE("alert store: a full disk fails the write whole, and the store keeps its state",
          "[storage]") {
  TempDir dir;
  std::string name = GENERATE(as<std::string>{}, ":memory:", "herald.db");
  std::string path = name == ":memory:" ? name : dir.file(name);
  auto db = open_db(path);
  AlertStore store(*db);
  REQUIRE(store.write(big_write(3, "Before")) == 6);
  auto before = store.load();
  REQUIRE(before);
  {
    // The disk is "full" a few pages past the current size (max_page_count is per connection,
    // so this goes through the Database's own).
    Connection& conn = db->connection();
    auto lock = conn.lock();
    auto pages = conn.query_text("PRAGMA page_count");
    REQUIRE(pages);
    REQUIRE(conn.exec("PRAGMA max_page_count = " + std::to_string(std::stoi(*pages) + 3)));
  }
  auto r = store.write(big_write(2000, "Big"));
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::kUnavailable);
  CHECK_THAT(r.error().message, Catch::Contains("full") && !Catch::Contains("host-"));  // no values
  CHECK(db->counters().failures == 1);
  auto after = store.load();
  REQUIRE(after);
  REQUIRE(after->size() == before->size());
  for (size_t i = 0; i < after->size(); ++i)
    check_same((*after)[i].alert, (*before)[i].alert);
  CHECK(AlertHistory(*db).query(by_alertname("Big"))->empty());

  {
    Connection& conn = db->connection();
    auto lock = conn.lock();
    REQUIRE(conn.exec("PRAGMA max_page_count = 1073741823"));
  }
  CHECK(store.write(big_write(2000, "Big")) == 4000);
  CHECK(count_alerts(store) == 2003);
}

TEST_CASE("outbox: a locked database fails enqueue_all and delivered whole, then they succeed",
          "[storage]") {
  TempDir dir;
  std::string path = dir.file("herald.db");
  auto db = open_db(path, with_busy_timeout(std::chrono::milliseconds(50)));
  Outbox outbox(*db);
  NotificationLog log(*db);
  auto first = outbox.enqueue_all(flush_items(2, "g1"));
  REQUIRE(first);
  auto before = pending_ids(outbox);

  RawDb other(path);
  other.require("BEGIN EXCLUSIVE");
  // The newer flush of g1 would supersede both items and add a third: none of it happens.
  auto r = outbox.enqueue_all(flush_items(3, "g1"));
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::kUnavailable);
  CHECK_THAT(r.error().message, Catch::StartsWith("storage " + path + ": ") &&
                                    (Catch::Contains("locked") || Catch::Contains("busy")));
  auto d = outbox.delivered(first->front(), kT0 + 1s, "data");
  REQUIRE_FALSE(d);
  CHECK(d.error().code == ErrorCode::kUnavailable);
  CHECK(db->counters().failures == 2);
  CHECK(pending_ids(outbox) == before);  // WAL: reading is not blocked by the writer
  CHECK(log.get(flush_items(1, "g1")[0].key).value() == std::nullopt);

  other.require("COMMIT");
  CHECK(outbox.delivered(first->front(), kT0 + 1s, "data") == true);
  CHECK(log.get(flush_items(1, "g1")[0].key).value()->data == "data");
  auto retry = outbox.enqueue_all(flush_items(3, "g1"));
  REQUIRE(retry);
  CHECK(pending_ids(outbox) == *retry);
}

TEST_CASE("outbox: a full disk fails enqueue_all whole, and the outbox keeps its items",
          "[storage]") {
  TempDir dir;
  std::string name = GENERATE(as<std::string>{}, ":memory:", "herald.db");
  std::string path = name == ":memory:" ? name : dir.file(name);
  auto db = open_db(path);
  Outbox outbox(*db);
  REQUIRE(outbox.enqueue_all(flush_items(3, "g1")));
  auto before = pending_ids(outbox);
  {
    Connection& conn = db->connection();
    auto lock = conn.lock();
    auto pages = conn.query_text("PRAGMA page_count");
    REQUIRE(pages);
    REQUIRE(conn.exec("PRAGMA max_page_count = " + std::to_string(std::stoi(*pages) + 3)));
  }
  // Supersedes g1's three items first, then runs out of space.
  auto r = outbox.enqueue_all(flush_items(2000, "g1"));
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::kUnavailable);
  CHECK_THAT(r.error().message, Catch::Contains("full") && !Catch::Contains("secret-payload"));
  CHECK(db->counters().failures == 1);
  CHECK(pending_ids(outbox) == before);

  {
    Connection& conn = db->connection();
    auto lock = conn.lock();
    REQUIRE(conn.exec("PRAGMA max_page_count = 1073741823"));
  }
  auto ids = outbox.enqueue_all(flush_items(2000, "g1"));
  REQUIRE(ids);
  CHECK(pending_ids(outbox) == *ids);
}
