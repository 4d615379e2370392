// SilenceStore: rows round-trip by id, put replaces, prune deletes silences that ended before the
// cutoff; the matchers column holds storage/matcher_codec.h's JSON, and a row it cannot decode is
// skipped.
#include "storage/silence_store.h"

#include <catch2/catch.hpp>

#include "storage_test_util.h"

using namespace herald;
using namespace herald::storage;
using namespace herald::storage::testing;

namespace {

SilenceRow silence(const std::string& id, WallTime ends_at = kT0 + 2h) {
  SilenceRow r;
  r.id = id;
  r.matchers = {Matcher::create("alertname", MatchType::kEqual, "HighErrorRate").value()};
  r.starts_at = kT0;
  r.ends_at = ends_at;
  r.updated_at = kT0 + 1s;
  r.created_by = "김 on-call";
  r.comment = "deploy of \"api\"";
  return r;
}

std::vector<SilenceRow> load_all(const SilenceStore& store) {
  auto rows = store.load();
  INFO((rows ? "" : rows.error().message));
  REQUIRE(rows);
  return std::move(*rows);
}

}  // namespace

TEST_CASE("silence store: rows round-trip through a reopen, by id", "[storage]") {
  TempDir dir;
  std::string path = dir.file("herald.db");
  SilenceRow b = silence("b7c2e8f0-0000-4000-8000-000000000002");
  SilenceRow a = silence("a1c2e8f0-0000-4000-8000-000000000001", kT0 + 1h);
  a.comment.clear();
  a.matchers.push_back(Matcher::create("instance", MatchType::kNotRegex, "db-.*").value());
  {
    auto db = open_db(path);
    SilenceStore store(*db);
    CHECK(load_all(store).empty());
    REQUIRE(store.put(b));
    REQUIRE(store.put(a));
  }
  auto db = open_db(path);
  CHECK(load_all(SilenceStore(*db)) == std::vector<SilenceRow>{a, b});
}

TEST_CASE("silence store: put replaces the silence with the same id", "[storage]") {
  auto db = open_db(":memory:");
  SilenceStore store(*db);
  REQUIRE(store.put(silence("s1")));
  SilenceRow expired = silence("s1", kT0 + 10min);
  expired.updated_at = kT0 + 10min;
  REQUIRE(store.put(expired));
  CHECK(load_all(store) == std::vector<SilenceRow>{expired});
}

TEST_CASE("silence store: prune deletes silences that ended before the cutoff", "[storage]") {
  auto db = open_db(":memory:");
  SilenceStore store(*db);
  REQUIRE(store.put(silence("ended-earlier", kT0 - 1ms)));
  REQUIRE(store.put(silence("ends-at-cutoff", kT0)));
  REQUIRE(store.put(silence("ends-later", kT0 + 1h)));
  CHECK(store.prune(kT0) == 1);
  auto rows = load_all(store);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].id == "ends-at-cutoff");
  CHECK(rows[1].id == "ends-later");
  CHECK(store.prune(kT0) == 0);
}

TEST_CASE("silence store: matchers are stored as JSON; a row that does not decode is skipped",
          "[storage]") {
  TempDir dir;
  std::string path = dir.file("herald.db");
  {
    auto db = open_db(path);
    REQUIRE(SilenceStore(*db).put(silence("good")));
  }
  RawDb raw(path);
  CHECK(raw.column("SELECT matchers FROM silences") ==
        std::vector<std::string>{R"([{"name":"alertname","type":"=","value":"HighErrorRate"}])"});
  raw.require(
      "INSERT INTO silences (id, matchers, starts_at, ends_at, updated_at, created_by, comment) "
      "VALUES ('bad', '[{\"name\":\"a\",\"type\":\"=~\",\"value\":\"(\"}]', 0, 0, 0, "
      "'', '')");
  auto db = open_db(path);
  CHECK(load_all(SilenceStore(*db)) == std::vector<SilenceRow>{silence("good")});
}
