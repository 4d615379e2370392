// Storage-internal, the only header with sqlite3.h: Connection (the sqlite3 handle, its statement
// cache and the mutex serialising its use) and the RAII Statement and Transaction the stores use.
// SQLite errors become herald Errors naming the file, never the values bound to a statement.
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "model/clock.h"
#include "model/duration.h"
#include "model/error.h"
#include "storage/database.h"

namespace herald::storage {

// Retryable conditions (busy, locked, full, I/O, read-only, cannot open) are kUnavailable; a
// corrupt or foreign file is kInvalidInput; anything else is kInternal.
[[nodiscard]] ErrorCode error_code_for(int sqlite_rc);

// Times are stored as unix milliseconds (sub-millisecond precision is dropped).
[[nodiscard]] inline int64_t to_unix_ms(WallTime t) {
  return std::chrono::floor<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
[[nodiscard]] inline WallTime from_unix_ms(int64_t ms) {
  return WallTime{} + std::chrono::milliseconds(ms);
}

class Connection;

// A cached prepared statement, borrowed for one use: reset and its bindings cleared when the
// Statement is destroyed. Binding failures are remembered and reported by step(). Text and blob
// views returned by the column getters are valid until the next step() or the destruction.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  // Parameter indexes are 1-based, as ?NNN in the SQL. Text and blobs are copied.
  Statement& bind_int(int index, int64_t v);
  Statement& bind_real(int index, double v);  // NaN is stored as NULL (SQLite's own rule)
  Statement& bind_text(int index, std::string_view v);
  Statement& bind_blob(int index, std::string_view bytes);
  Statement& bind_null(int index);

  // true: a row is available; false: the statement is done.
  [[nodiscard]] Result<bool> step();
  // Steps to completion, ignoring rows.
  [[nodiscard]] Status run();

  [[nodiscard]] bool is_null(int col) const;
  [[nodiscard]] bool is_integer(int col) const;
  [[nodiscard]] int64_t int64(int col) const;
  [[nodiscard]] double real(int col) const;
  [[nodiscard]] std::string_view text(int col) const;
  [[nodiscard]] std::string_view blob(int col) const;

 private:
  friend class Connection;
  Statement(Connection& conn, sqlite3_stmt* stmt, bool* in_use);
  void note_bind(int rc);

  Connection* conn_;
  sqlite3_stmt* stmt_;
  bool* in_use_;     // the cache entry's flag; cleared on destruction
  int bind_rc_ = 0;  // first failed sqlite3_bind_* result, SQLITE_OK if none
};

class Connection {
 public:
  // Opens (creating if absent) `path` read-write; ":memory:" is a private in-memory database.
  [[nodiscard]] static Result<std::unique_ptr<Connection>> open(const std::string& path,
                                                                Duration busy_timeout);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Every call below REQUIRES the lock held (one user at a time: statements, transactions and
  // sqlite3_errmsg are per connection).
  [[nodiscard]] std::unique_lock<std::mutex> lock() { return std::unique_lock(mu_); }

  // The cached statement for `sql`, prepared on first use. A statement is not re-entrant: the
  // same SQL may not be borrowed twice at once (kInternal).
  [[nodiscard]] Result<Statement> prepare(std::string_view sql);
  // Runs one or more statements without caching them (schema changes, pragmas).
  [[nodiscard]] Status exec(const std::string& sql);
  // The first column of the first row of `sql` as text ("" if there is no row).
  [[nodiscard]] Result<std::string> query_text(std::string_view sql);

  // Rows changed by the last INSERT/UPDATE/DELETE.
  [[nodiscard]] size_t changes() const;
  // The rowid of the last successful INSERT on this connection.
  [[nodiscard]] int64_t last_insert_rowid() const;
  [[nodiscard]] bool in_transaction() const;

  // "storage <path>: <sqlite message>" with the code mapped by error_code_for.
  [[nodiscard]] Error error(int sqlite_rc) const;
  // "storage <path>: <message>".
  [[nodiscard]] Error error(ErrorCode code, std::string_view message) const;
  // SQLite's message for the last failed call, without the path.
  [[nodiscard]] std::string errmsg() const;
  [[nodiscard]] const std::string& path() const { return path_; }

  // Counters (atomics: readable without the lock).
  [[nodiscard]] Database::Counters counters() const;
  void count_commit(size_t rows);
  void count_failure();
  void reset_counters();

 private:
  Connection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  sqlite3* db_;
  const std::string path_;
  std::mutex mu_;
  std::unordered_map<std::string, Cached, SqlHash, std::equal_to<>> cache_;  // GUARDED_BY(mu_)
  std::atomic<uint64_t> transactions_{0};
  std::atomic<uint64_t> rows_{0};
  std::atomic<uint64_t> failures_{0};
};

// A write transaction: BEGIN IMMEDIATE takes the write lock up front, so a busy database fails at
// begin(), before any work. Destroyed uncommitted (an error path), it rolls back and counts a
// failure. REQUIRES: the connection's lock held for the transaction's whole life; Statements used
// inside it are destroyed before it (declare the Transaction first).
class Transaction {
 public:
  explicit Transaction(Connection& conn) : conn_(conn) {}
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  [[nodiscard]] Status begin();
  // Commits and counts one transaction of `rows` rows.
  [[nodiscard]] Status commit(size_t rows);

 private:
  enum class State { kIdle, kActive, kDone };
  Connection& conn_;
  State state_ = State::kIdle;
};

// Runs one DELETE statement `sql` with a single integer parameter (a unix-ms cut-off) in its own
// transaction and returns the rows it deleted: the retention pruning of every store.
[[nodiscard]] Result<size_t> delete_before(Connection& conn, std::string_view sql, WallTime cutoff);

}  // namespace herald::storage
