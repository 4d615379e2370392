// Connection internals: which SQLite results are retryable, the statement cache's reuse rules,
// and a Transaction that is never committed.
#include "storage/connection.h"

#include <catch2/catch.hpp>

#include "storage_test_util.h"

using namespace herald;
using namespace herald::storage;
using namespace herald::storage::testing;

TEST_CASE("connection: SQLite results map to retryable or permanent errors", "[storage]") {
  auto [rc, code] = GENERATE(table<int, ErrorCode>({
      {SQLITE_BUSY, ErrorCode::kUnavailable},
      {SQLITE_BUSY_SNAPSHOT, ErrorCode::kUnavailable},
      {SQLITE_LOCKED, ErrorCode::kUnavailable},
      {SQLITE_FULL, ErrorCode::kUnavailable},
      {SQLITE_IOERR, ErrorCode::kUnavailable},
      {SQLITE_IOERR_WRITE, ErrorCode::kUnavailable},
      {SQLITE_IOERR_FSYNC, ErrorCode::kUnavailable},
      {SQLITE_CANTOPEN, ErrorCode::kUnavailable},
      {SQLITE_READONLY, ErrorCode::kUnavailable},
      {SQLITE_CORRUPT, ErrorCode::kInvalidInput},
      {SQLITE_NOTADB, ErrorCode::kInvalidInput},
      {SQLITE_CONSTRAINT, ErrorCode::kInternal},
      {SQLITE_CONSTRAINT_PRIMARYKEY, ErrorCode::kInternal},
      {SQLITE_ERROR, ErrorCode::kInternal},
      {SQLITE_MISUSE, ErrorCode::kInternal},
      {SQLITE_RANGE, ErrorCode::kInternal},
  }));
  INFO(sqlite3_errstr(rc));
  CHECK(error_code_for(rc) == code);
}

TEST_CASE("connection: a cached statement comes back reset, its bindings cleared", "[storage]") {
  auto db = open_db(":memory:");
  Connection& conn = db->connection();
  auto lock = conn.lock();
  {
    auto stmt = conn.prepare("SELECT ?1");
    REQUIRE(stmt);
    stmt->bind_int(1, 42);
    REQUIRE(stmt->step() == true);
    CHECK(stmt->int64(0) == 42);
  }  // not stepped to the end: the Statement resets it
  auto again = conn.prepare("SELECT ?1");
  REQUIRE(again);
  REQUIRE(again->step() == true);
  CHECK(again->is_null(0));
}

TEST_CASE("connection: a statement cannot be borrowed twice at once", "[storage]") {
  auto db = open_db(":memory:");
  Connection& conn = db->connection();
  auto lock = conn.lock();
  auto first = conn.prepare("SELECT 1");
  REQUIRE(first);
  auto second = conn.prepare("SELECT 1");
  REQUIRE_FALSE(second);
  CHECK(second.error().code == ErrorCode::kInternal);
}

TEST_CASE("connection: a bad binding is reported by step, without the value", "[storage]") {
  auto db = open_db(":memory:");
  Connection& conn = db->connection();
  auto lock = conn.lock();
  auto stmt = conn.prepare("SELECT ?1");
  REQUIRE(stmt);
  stmt->bind_text(2, "s3cret-value").bind_int(1, 1);
  auto row = stmt->step();
  REQUIRE_FALSE(row);
  CHECK_THAT(row.error().message,
             Catch::StartsWith("storage :memory:: ") && !Catch::Contains("s3cret"));
}

TEST_CASE("connection: a transaction destroyed uncommitted rolls back and counts a failure",
          "[storage]") {
  auto db = open_db(":memory:");
  Connection& conn = db->connection();
  auto lock = conn.lock();
  REQUIRE(conn.exec("CREATE TABLE t (x)"));
  {
    Transaction tx(conn);
    REQUIRE(tx.begin());
    REQUIRE(conn.exec("INSERT INTO t VALUES (1)"));
  }
  CHECK_FALSE(conn.in_transaction());
  CHECK(conn.query_text("SELECT count(*) FROM t") == std::string("0"));
  CHECK(db->counters().failures == 1);
  {
    Transaction tx(conn);
    REQUIRE(tx.begin());
    REQUIRE(conn.exec("INSERT INTO t VALUES (1)"));
    REQUIRE(tx.commit(1));
  }
  CHECK(conn.query_text("SELECT count(*) FROM t") == std::string("1"));
  CHECK(db->counters().transactions == 1);
  CHECK(db->counters().rows == 1);
}
