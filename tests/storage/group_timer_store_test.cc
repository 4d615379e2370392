// GroupTimerStore: rows round-trip, are keyed by (group key, route id), upsert and erase in one
// transaction.
#include "storage/group_timer_store.h"

#include <catch2/catch.hpp>

#include "storage_test_util.h"

using namespace herald;
using namespace herald::storage;
using namespace herald::storage::testing;

namespace {

const std::string kGroup = R"({}/{env="prod"}:{alertname="HighErrorRate"})";

std::vector<GroupTimerRow> load_all(const GroupTimerStore& store) {
  auto rows = store.load();
  INFO((rows ? "" : rows.error().message));
  REQUIRE(rows);
  return std::move(*rows);
}

}  // namespace

TEST_CASE("group timer store: rows round-trip through a reopen", "[storage]") {
  TempDir dir;
  std::string path = dir.file("herald.db");
  // Sibling routes may share a group key: two rows.
  std::vector<GroupTimerRow> rows = {
      {"{}:{}", "0", kT0 - 1s, true},
      {kGroup, "0.2.1", kT0 + 5min, true},
      {kGroup, "0.1", kT0 + 30s, false},
  };
  {
    auto db = open_db(path);
    GroupTimerStore store(*db);
    CHECK(load_all(store).empty());
    REQUIRE(store.put_all(rows));
    CHECK(db->counters().transactions == 1);
  }
  auto db = open_db(path);
  // By (group_key, route_id), bytewise: '/' sorts before ':'.
  CHECK(load_all(GroupTimerStore(*db)) == std::vector<GroupTimerRow>{rows[2], rows[1], rows[0]});
}

TEST_CASE("group timer store: put_all upserts, erase deletes the given rows only", "[storage]") {
  auto db = open_db(":memory:");
  GroupTimerStore store(*db);
  REQUIRE(store.put_all({{kGroup, "0.1", kT0, false}, {kGroup, "0.2", kT0, false}}));
  REQUIRE(store.put_all({{kGroup, "0.1", kT0 + 5min, true}, {"{}:{}", "0", kT0, false}}));
  CHECK(load_all(store) == std::vector<GroupTimerRow>{{kGroup, "0.1", kT0 + 5min, true},
                                                      {kGroup, "0.2", kT0, false},
                                                      {"{}:{}", "0", kT0, false}});
  auto before = db->counters();
  REQUIRE(store.erase({{kGroup, "0.2"}, {kGroup, "0.9"}, {"{}:{}", "0"}}));
  CHECK(db->counters().transactions == before.transactions + 1);
  CHECK(db->counters().rows == before.rows + 2);
  CHECK(load_all(store) == std::vector<GroupTimerRow>{{kGroup, "0.1", kT0 + 5min, true}});

  REQUIRE(store.put_all({}));
  REQUIRE(store.erase({}));
  CHECK(db->counters().transactions == before.transactions + 1);
}
