// NotificationLog: rows round-trip exactly (hash sets normalised to sorted and unique), put
// replaces, prune deletes by expiry, and a damaged row is an error rather than a crash.
#include "storage/notification_log.h"

#include <catch2/catch.hpp>

#include "storage_test_util.h"

using namespace herald;
using namespace herald::storage;
using namespace herald::storage::testing;

namespace {

NotificationLogKey key(const std::string& integration = "slack", int index = 0) {
  return {"{}/{env=\"prod\"}:{alertname=\"HighErrorRate\"}", "team-a", integration, index};
}

NotificationLogRow sample_row() {
  NotificationLogRow r;
  r.at = kT0;
  r.firing = {3, 1, 0xffff'ffff'ffff'fffeULL, 1};  // unsorted, repeated, above 2^63
  r.resolved = {0x8000'0000'0000'0000ULL};
  r.expires_at = kT0 + 10h;
  r.data = R"({"channel":"C1","ts":"1700000000.000100"})";
  return r;
}

std::optional<NotificationLogRow> get(NotificationLog& log, const NotificationLogKey& k) {
  auto r = log.get(k);
  INFO((r ? "" : r.error().message));
  REQUIRE(r);
  return *r;
}

}  // namespace

TEST_CASE("notification log: a row round-trips through a reopen, hash sets normalised",
          "[storage]") {
  TempDir dir;
  std::string path = dir.file("herald.db");
  NotificationLogRow row = sample_row();
  bool never = GENERATE(false, true);
  if (never) row.expires_at = WallTime::max();
  {
    auto db = open_db(path);
    NotificationLog log(*db);
    CHECK(get(log, key()) == std::nullopt);
    REQUIRE(log.put(key(), row));
  }
  auto db = open_db(path);
  NotificationLog log(*db);
  auto got = get(log, key());
  REQUIRE(got);
  CHECK(got->at == row.at);
  CHECK(got->firing == std::vector<uint64_t>{1, 3, 0xffff'ffff'ffff'fffeULL});
  CHECK(got->resolved == row.resolved);
  CHECK(got->expires_at == row.expires_at);
  CHECK(got->data == row.data);
}

TEST_CASE("notification log: every part of the key tells rows apart", "[storage]") {
  auto db = open_db(":memory:");
  NotificationLog log(*db);
  NotificationLogKey base = key();
  NotificationLogKey other_group = base, other_receiver = base, other_integration = base,
                     other_index = base;
  other_group.group_key = "{}:{}";
  other_receiver.receiver = "team-b";
  other_integration.integration = "webhook";
  other_index.index = 1;
  NotificationLogRow row = sample_row();
  REQUIRE(log.put(base, row));
  for (const auto& k : {other_group, other_receiver, other_integration, other_index})
    CHECK(get(log, k) == std::nullopt);
  row.data = "other";
  REQUIRE(log.put(other_index, row));
  CHECK(get(log, base)->data == sample_row().data);
  CHECK(get(log, other_index)->data == "other");
}

TEST_CASE("notification log: put replaces the key's row", "[storage]") {
  auto db = open_db(":memory:");
  NotificationLog log(*db);
  REQUIRE(log.put(key(), sample_row()));
  NotificationLogRow next;
  next.at = kT0 + 5min;
  next.resolved = {1, 3};
  next.expires_at = kT0 + 20h;
  REQUIRE(log.put(key(), next));
  auto got = get(log, key());
  REQUIRE(got);
  CHECK(*got == next);
  CHECK(db->counters().transactions == 2);
  CHECK(db->counters().rows == 2);
}

TEST_CASE("notification log: prune deletes rows expired at or before now", "[storage]") {
  auto db = open_db(":memory:");
  NotificationLog log(*db);
  NotificationLogRow row = sample_row();
  row.expires_at = kT0;
  REQUIRE(log.put(key("slack", 0), row));
  row.expires_at = kT0 + 1ms;
  REQUIRE(log.put(key("slack", 1), row));
  row.expires_at = WallTime::max();
  REQUIRE(log.put(key("slack", 2), row));
  row.expires_at = kT0 - 1h;
  REQUIRE(log.put(key("slack", 3), row));

  CHECK(log.prune(kT0) == 2);
  CHECK(get(log, key("slack", 0)) == std::nullopt);
  CHECK(get(log, key("slack", 1)));
  CHECK(get(log, key("slack", 2)));
  CHECK(get(log, key("slack", 3)) == std::nullopt);
  CHECK(log.prune(kT0 + 1000 * 24h) == 1);  // "never" is never pruned
  CHECK(get(log, key("slack", 2)));
}

TEST_CASE("notification log: a damaged hash set fails get, naming the receiver", "[storage]") {
  TempDir dir;
  std::string path = dir.file("herald.db");
  {
    auto db = open_db(path);
    REQUIRE(NotificationLog(*db).put(key(), sample_row()));
  }
  auto [damage, expected] = GENERATE(table<std::string, std::string>({
      {"firing = x'0102'", "2 bytes"},
      {"resolved = x'02000000000000000100000000000000'", "not ascending"},
      {"firing = x'01000000000000000100000000000000'", "not ascending"},
  }));
  RawDb(path).require("UPDATE notification_log SET " + damage);
  auto db = open_db(path);
  auto r = NotificationLog(*db).get(key());
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::kInvalidInput);
  CHECK_THAT(r.error().message, Catch::Contains(path) && Catch::Contains("receiver \"team-a\"") &&
                                    Catch::Contains(expected) && !Catch::Contains("HighErrorRate"));
}
