// Database::open: creates a WAL database at the current schema; refuses foreign, damaged and
// newer files with a message naming the file (or moves a damaged one aside when asked).
#include "storage/database.h"

#include <catch2/catch.hpp>
#include <random>

#include "storage/alert_store.h"
#include "storage_test_util.h"

using namespace herald;
using namespace herald::storage;
using namespace herald::storage::testing;

namespace {

std::string random_bytes(size_t n) {
  std::mt19937 rng(42);
  std::string out(n, '\0');
  for (char& c : out)
    c = static_cast<char>(rng() & 0xff);
  return out;
}

// A real herald database of a few hundred KB, closed (its WAL checkpointed into the file).
void make_database(const std::string& path) {
  auto db = open_db(path);
  AlertWrite w;
  for (int i = 0; i < 1000; ++i) {
    RuleAlert a = sample_alert("Big", "host-" + std::to_string(i));
    a.annotations["description"] = std::string(200, 'd');
    w.changes.push_back(upsert(rule_key("Big"), a));
  }
  REQUIRE(AlertStore(*db).write(w) == 1000);
}

}  // namespace

TEST_CASE("database: a new file is created in WAL mode at the current schema", "[storage]") {
  TempDir dir;
  std::string path = dir.file("herald.db");
  auto db = open_db(path);
  CHECK(db->path() == path);
  CHECK(db->schema_version() == kSchemaVersion);
  CHECK_FALSE(db->moved_aside());
  RawDb raw(path);
  CHECK(raw.column("PRAGMA journal_mode") == std::vector<std::string>{"wal"});
  CHECK(raw.column("PRAGMA user_version") ==
        std::vector<std::string>{std::to_string(kSchemaVersion)});
}

TEST_CASE("database: :memory: works", "[storage]") {
  auto db = open_db(":memory:");
  CHECK(db->schema_version() == kSchemaVersion);
  CHECK(AlertStore(*db).load()->empty());
}

TEST_CASE("database: reopening an existing database keeps its data", "[storage]") {
  TempDir dir;
  make_database(dir.file("herald.db"));
  auto db = open_db(dir.file("herald.db"));
  CHECK(AlertStore(*db).load()->size() == 1000);
}

TEST_CASE("database: a file that is not a database is refused, naming it", "[storage]") {
  TempDir dir;
  std::string path = dir.file("herald.db");
  write_file(path, random_bytes(8192));
  auto db = Database::open(path);
  REQUIRE_FALSE(db);
  CHECK(db.error().code == ErrorCode::kInvalidInput);
  CHECK(db.error().message == "storage " + path +
                                  ": not a valid herald database (file is not a database); move "
                                  "it aside or start with --storage.move-corrupt-aside");
  CHECK(read_file(path) == random_bytes(8192));  // untouched
}

TEST_CASE("database: a damaged database is refused, naming it", "[storage]") {
  TempDir dir;
  std::string path = dir.file("herald.db");
  make_database(path);
  std::string bytes = read_file(path);
  REQUIRE(bytes.size() > 100'000);
  auto damage = GENERATE(as<std::string>{}, "truncated", "overwritten");
  if (damage == "truncated") {
    write_file(path, bytes.substr(0, bytes.size() / 2));
  } else {
    std::string garbage = random_bytes(3 * 4096);
    write_file(path, bytes.replace(3 * 4096, garbage.size(), garbage));
  }
  INFO(damage);
  auto db = Database::open(path);
  REQUIRE_FALSE(db);
  CHECK(db.error().code == ErrorCode::kInvalidInput);
  CHECK_THAT(db.error().message, Catch::StartsWith("storage " + path +
                                                   ": not a valid herald "
                                                   "database (") &&
                                     Catch::Contains("--storage.move-corrupt-aside"));
}

TEST_CASE("database: move_corrupt_aside renames a bad file and starts empty", "[storage]") {
  TempDir dir;
  std::string path = dir.file("herald.db");
  write_file(path, random_bytes(8192));
  write_file(path + "-wal", "not a wal");
  auto db = open_db(path, with_move_aside());
  REQUIRE(db->moved_aside());
  const std::string& moved = *db->moved_aside();
  CHECK_THAT(moved, Catch::StartsWith(path + ".corrupt-"));
  CHECK(read_file(moved) == random_bytes(8192));
  // SQLite itself deletes a WAL it cannot use when it closes the file; a stale one must not
  // end up beside the new database.
  CHECK(read_file(path + "-wal") != "not a wal");
  CHECK(db->schema_version() == kSchemaVersion);
  CHECK(AlertStore(*db).load()->empty());
}

TEST_CASE("database: move_corrupt_aside leaves a healthy file where it is", "[storage]") {
  TempDir dir;
  make_database(dir.file("herald.db"));
  auto db = open_db(dir.file("herald.db"), with_move_aside());
  CHECK_FALSE(db->moved_aside());
  CHECK(AlertStore(*db).load()->size() == 1000);
}

TEST_CASE("database: a schema newer than this herald is refused, and never moved aside",
          "[storage]") {
  TempDir dir;
  std::string path = dir.file("herald.db");
  { open_db(path); }
  RawDb(path).require("PRAGMA user_version = 99");
  auto db = Database::open(path, with_move_aside());
  REQUIRE_FALSE(db);
  CHECK(db.error().code == ErrorCode::kInvalidInput);
  CHECK(db.error().message == "storage " + path +
                                  ": database schema version 99 is newer than this herald (" +
                                  std::to_string(kSchemaVersion) + ")");
  CHECK(std::filesystem::exists(path));
}

TEST_CASE("database: a path that cannot be opened is unavailable", "[storage]") {
  TempDir dir;
  std::string path = dir.file("no/such/dir/herald.db");
  auto db = Database::open(path);
  REQUIRE_FALSE(db);
  CHECK(db.error().code == ErrorCode::kUnavailable);
  CHECK_THAT(db.error().message, Catch::StartsWith("storage " + path + ": "));
}
