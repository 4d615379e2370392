// Outbox: items round-trip, a newer item for the same key supersedes an older one, due() and
// next_attempt() order by next attempt, and delivered() writes the notification log only when the
// item still exists — all in one transaction per call.
#include "storage/outbox.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "storage/notification_log.h"
#include "storage_test_util.h"

using namespace herald;
using namespace herald::storage;
using namespace herald::storage::testing;

namespace {

NotificationLogKey key(const std::string& group, int index = 0) {
  return {group, "team-a", "webhook", index};
}

OutboxItem item(const std::string& group, WallTime next_attempt_at = kT0, int index = 0) {
  OutboxItem it;
  it.id = 999;  // ignored by enqueue
  it.key = key(group, index);
  it.payload = R"({"receiver":"team-a","group":")" + group + R"("})";
  it.log.firing = {7, 0x9000'0000'0000'0000ULL};
  it.log.resolved = {2};
  it.log.expires_at = kT0 + 8h;
  it.created_at = kT0;
  it.next_attempt_at = next_attempt_at;
  return it;
}

std::vector<OutboxItem> pending(Outbox& outbox) {
  auto items = outbox.pending();
  INFO((items ? "" : items.error().message));
  REQUIRE(items);
  return std::move(*items);
}

std::vector<int64_t> ids_of(const std::vector<OutboxItem>& items) {
  std::vector<int64_t> ids;
  for (const OutboxItem& it : items)
    ids.push_back(it.id);
  return ids;
}

int64_t enqueue(Outbox& outbox, const OutboxItem& it) {
  auto id = outbox.enqueue(it);
  INFO((id ? "" : id.error().message));
  REQUIRE(id);
  return *id;
}

}  // namespace

TEST_CASE("outbox: an item round-trips through a reopen", "[storage]") {
  TempDir dir;
  std::string path = dir.file("herald.db");
  OutboxItem it = item("g1", kT0 + 30s);
  it.log.at = kT0 + 1h;  // not stored: delivered() sets at and data
  it.log.data = "ignored";
  it.attempts = 2;
  it.last_error = "http 503";
  int64_t id = 0;
  {
    auto db = open_db(path);
    Outbox outbox(*db);
    id = enqueue(outbox, it);
  }
  auto db = open_db(path);
  Outbox outbox(*db);
  auto items = pending(outbox);
  REQUIRE(items.size() == 1);
  const OutboxItem& got = items[0];
  CHECK(got.id == id);
  CHECK(got.key == it.key);
  CHECK(got.payload == it.payload);
  CHECK(got.log.firing == it.log.firing);
  CHECK(got.log.resolved == it.log.resolved);
  CHECK(got.log.expires_at == it.log.expires_at);
  CHECK(got.log.at == WallTime{});
  CHECK(got.log.data.empty());
  CHECK(got.created_at == it.created_at);
  CHECK(got.next_attempt_at == it.next_attempt_at);
  CHECK(got.attempts == 2);
  CHECK(got.last_error == "http 503");
}

TEST_CASE("outbox: a newer item for the same key supersedes the undelivered older one",
          "[storage]") {
  auto db = open_db(":memory:");
  Outbox outbox(*db);
  int64_t a = enqueue(outbox, item("g1"));
  int64_t b = enqueue(outbox, item("g2"));
  int64_t c = enqueue(outbox, item("g1", kT0, 1));  // another integration of the same kind
  OutboxItem newer = item("g1", kT0 + 1min);
  newer.payload = "newer";
  int64_t d = enqueue(outbox, newer);
  CHECK(d > c);
  auto items = pending(outbox);
  CHECK(ids_of(items) == std::vector<int64_t>{b, c, d});
  CHECK(items.back().payload == "newer");
  CHECK(a < b);
}

TEST_CASE("outbox: find returns the key's one undelivered item", "[storage]") {
  auto db = open_db(":memory:");
  Outbox outbox(*db);
  CHECK(outbox.find(key("g1")).value() == std::nullopt);
  enqueue(outbox, item("g1"));
  const int64_t other = enqueue(outbox, item("g1", kT0, 1));
  OutboxItem newer = item("g1", kT0 + 1min);
  newer.payload = "newer";
  const int64_t id = enqueue(outbox, newer);
  auto found = outbox.find(key("g1"));
  REQUIRE(found);
  REQUIRE(*found);
  CHECK((*found)->id == id);
  CHECK((*found)->payload == "newer");
  CHECK(outbox.find(key("g1", 1)).value()->id == other);
  REQUIRE(outbox.delivered(id, kT0 + 2min, ""));
  CHECK(outbox.find(key("g1")).value() == std::nullopt);
}

TEST_CASE("outbox: ids are never reused, even after the newest item is superseded", "[storage]") {
  TempDir dir;
  std::string path = dir.file("herald.db");
  int64_t first = 0, second = 0;
  {
    auto db = open_db(path);
    Outbox outbox(*db);
    first = enqueue(outbox, item("g1"));
    second = enqueue(outbox, item("g1"));  // deletes `first`, the highest id
    REQUIRE(outbox.give_up(second));
  }
  auto db = open_db(path);
  Outbox outbox(*db);
  int64_t third = enqueue(outbox, item("g1"));
  CHECK(first < second);
  CHECK(second < third);
}

TEST_CASE("outbox: enqueue_all writes one flush's items in one transaction, ids in order",
          "[storage]") {
  auto db = open_db(":memory:");
  Outbox outbox(*db);
  int64_t old = enqueue(outbox, item("g1", kT0, 1));
  auto before = db->counters();
  auto ids = outbox.enqueue_all({item("g1", kT0, 0), item("g1", kT0, 1), item("g1", kT0, 2)});
  REQUIRE(ids);
  REQUIRE(ids->size() == 3);
  CHECK(std::is_sorted(ids->begin(), ids->end()));
  CHECK(ids->front() > old);
  CHECK(ids_of(pending(outbox)) == *ids);  // `old` was superseded
  auto after = db->counters();
  CHECK(after.transactions == before.transactions + 1);
  CHECK(after.rows == before.rows + 4);  // three inserts and one supersede

  SECTION("items sharing a key supersede in order") {
    OutboxItem last = item("g9");
    last.payload = "last";
    auto dup = outbox.enqueue_all({item("g9"), last});
    REQUIRE(dup);
    auto items = pending(outbox);
    CHECK(items.back().id == dup->back());
    CHECK(items.back().payload == "last");
    CHECK(items.size() == 4);
  }
  SECTION("an empty batch touches nothing") {
    CHECK(outbox.enqueue_all({})->empty());
    CHECK(db->counters().transactions == after.transactions);
  }
}

TEST_CASE("outbox: due and next_attempt order by next attempt, then id", "[storage]") {
  auto db = open_db(":memory:");
  Outbox outbox(*db);
  CHECK(outbox.next_attempt().value() == std::nullopt);
  CHECK(outbox.due(kT0 + 1h, 10)->empty());
  int64_t late = enqueue(outbox, item("late", kT0 + 2min));
  int64_t b = enqueue(outbox, item("b", kT0 + 1min));
  int64_t a = enqueue(outbox, item("a", kT0 + 1min));
  int64_t early = enqueue(outbox, item("early", kT0 - 1min));
  CHECK(outbox.next_attempt().value() == kT0 - 1min);
  // Items the caller holds apart (delivered, not yet recorded) do not count.
  const auto except = [](std::set<int64_t> ids) -> OutboxFilter {
    return [ids](int64_t id, const NotificationLogKey&) { return !ids.contains(id); };
  };
  CHECK(outbox.next_attempt(except({early})).value() == kT0 + 1min);
  CHECK(outbox.next_attempt(except({early, a, b})).value() == kT0 + 2min);
  CHECK(outbox.next_attempt(except({early, a, b, late})).value() == std::nullopt);

  auto due = outbox.due(kT0 + 1min, 10);
  REQUIRE(due);
  CHECK(ids_of(*due) == std::vector<int64_t>{early, b, a});  // not `late`; a tie goes by id
  CHECK(ids_of(outbox.due(kT0 + 1min, 2).value()) == std::vector<int64_t>{early, b});
  CHECK(outbox.due(kT0 + 1min, 0)->empty());
  CHECK(outbox.due(kT0 - 2min, 10)->empty());
  CHECK(ids_of(outbox.due(kT0 + 2min, 10).value()) == std::vector<int64_t>{early, b, a, late});
  CHECK(ids_of(pending(outbox)) == std::vector<int64_t>{late, b, a, early});
}

TEST_CASE("outbox: retry_later counts the attempt and moves the next one", "[storage]") {
  auto db = open_db(":memory:");
  Outbox outbox(*db);
  int64_t first = enqueue(outbox, item("first", kT0));
  int64_t second = enqueue(outbox, item("second", kT0 + 10s));
  REQUIRE(outbox.retry_later(first, kT0 + 1min, "http 503: unavailable"));
  REQUIRE(outbox.retry_later(first, kT0 + 3min, "timeout"));
  auto items = pending(outbox);
  REQUIRE(items.size() == 2);
  CHECK(items[0].attempts == 2);
  CHECK(items[0].next_attempt_at == kT0 + 3min);
  CHECK(items[0].last_error == "timeout");
  CHECK(items[1].attempts == 0);
  CHECK(outbox.next_attempt().value() == kT0 + 10s);
  CHECK(ids_of(outbox.due(kT0 + 5min, 10).value()) == std::vector<int64_t>{second, first});

  // A superseded (missing) id is no error, and changes nothing.
  CHECK(outbox.retry_later(12345, kT0, "x"));
  CHECK(pending(outbox).size() == 2);
}

TEST_CASE("outbox: delivered deletes the item and writes its notification-log row", "[storage]") {
  TempDir dir;
  std::string path = dir.file("herald.db");
  OutboxItem it = item("g1");
  {
    auto db = open_db(path);
    Outbox outbox(*db);
    int64_t id = enqueue(outbox, it);
    REQUIRE(outbox.retry_later(id, kT0 + 1min, "http 500"));
    auto before = db->counters();
    CHECK(outbox.delivered(id, kT0 + 2min, R"({"ts":"1.2"})") == true);
    CHECK(db->counters().transactions == before.transactions + 1);
    CHECK(pending(outbox).empty());
    CHECK(outbox.delivered(id, kT0 + 3min, "again") == false);  // already delivered
  }
  auto db = open_db(path);
  auto row = NotificationLog(*db).get(it.key);
  REQUIRE(row);
  REQUIRE(*row);
  CHECK((*row)->at == kT0 + 2min);
  CHECK((*row)->data == R"({"ts":"1.2"})");
  CHECK((*row)->firing == it.log.firing);
  CHECK((*row)->resolved == it.log.resolved);
  CHECK((*row)->expires_at == it.log.expires_at);
}

TEST_CASE("outbox: delivering a superseded item writes no notification log", "[storage]") {
  auto db = open_db(":memory:");
  Outbox outbox(*db);
  NotificationLog log(*db);
  NotificationLogRow earlier;
  earlier.at = kT0 - 1h;
  earlier.firing = {1};
  earlier.expires_at = kT0 + 1h;
  earlier.data = "earlier";
  bool logged_before = GENERATE(false, true);
  if (logged_before) REQUIRE(log.put(key("g1"), earlier));

  int64_t old_id = enqueue(outbox, item("g1"));
  OutboxItem newer = item("g1");
  newer.log.firing = {42};
  int64_t new_id = enqueue(outbox, newer);

  auto before = db->counters();
  CHECK(outbox.delivered(old_id, kT0 + 1min, "stale") == false);
  CHECK(db->counters().failures == before.failures);  // not an error
  auto row = log.get(key("g1"));
  REQUIRE(row);
  if (logged_before) {
    REQUIRE(*row);
    CHECK(**row == earlier);
  } else {
    CHECK(*row == std::nullopt);
  }
  CHECK(ids_of(pending(outbox)) == std::vector<int64_t>{new_id});

  CHECK(outbox.delivered(new_id, kT0 + 2min, "fresh") == true);
  CHECK(log.get(key("g1")).value()->firing == std::vector<uint64_t>{42});
}

TEST_CASE("outbox: give_up deletes the item, and a missing id is no error", "[storage]") {
  auto db = open_db(":memory:");
  Outbox outbox(*db);
  int64_t a = enqueue(outbox, item("a"));
  int64_t b = enqueue(outbox, item("b"));
  REQUIRE(outbox.give_up(a));
  CHECK(ids_of(pending(outbox)) == std::vector<int64_t>{b});
  CHECK(outbox.give_up(a));
  CHECK(NotificationLog(*db).get(key("a")).value() == std::nullopt);
}

TEST_CASE("outbox: a damaged hash set fails the read, naming the item", "[storage]") {
  TempDir dir;
  std::string path = dir.file("herald.db");
  int64_t id = 0;
  {
    auto db = open_db(path);
    Outbox outbox(*db);
    id = enqueue(outbox, item("g1"));
  }
  RawDb(path).require("UPDATE outbox SET log_resolved = x'01'");
  auto db = open_db(path);
  Outbox outbox(*db);
  auto r = outbox.pending();
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::kInvalidInput);
  CHECK_THAT(r.error().message, Catch::Contains("outbox item " + std::to_string(id)));
  auto d = outbox.delivered(id, kT0, "");
  REQUIRE_FALSE(d);
  CHECK(d.error().code == ErrorCode::kInvalidInput);
  CHECK(RawDb(path).column("SELECT count(*) FROM outbox") == std::vector<std::string>{"1"});
}

TEST_CASE("outbox: due and next_attempt pass over the items a filter refuses", "[storage]") {
  auto db = open_db(":memory:");
  Outbox outbox(*db);
  std::vector<int64_t> ids;
  for (const char* g : {"a", "b", "c", "d"})
    ids.push_back(enqueue(outbox, item(g)));
  std::vector<std::string> offered;
  auto due = outbox.due(kT0, 2, [&](int64_t, const NotificationLogKey& k) {
    offered.push_back(k.group_key);
    return k.group_key != "a" && k.group_key != "c";
  });
  REQUIRE(due);
  CHECK(ids_of(*due) == std::vector<int64_t>{ids[1], ids[3]});
  CHECK(offered == std::vector<std::string>{"a", "b", "c", "d"});
  CHECK(due->front().payload == item("b").payload);
  CHECK(due->front().key == key("b"));

  auto first_of = [&](const std::string& group) {
    return outbox.next_attempt(
        [&](int64_t, const NotificationLogKey& k) { return k.group_key == group; });
  };
  CHECK(first_of("c").value() == kT0);
  CHECK(first_of("z").value() == std::nullopt);
}
