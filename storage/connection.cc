// Connection, Statement and Transaction over the SQLite C API, and SQLite → herald error codes.
#include "storage/connection.h"

#include <cmath>
#include <utility>

namespace herald::storage {

ErrorCode error_code_for(int sqlite_rc) {
  switch (sqlite_rc & 0xff) {  // the primary code of an extended one
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
      return ErrorCode::kUnavailable;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return ErrorCode::kInvalidInput;
    default:
      return ErrorCode::kInternal;
  }
}

// --- Statement ---

Statement::Statement(Connection& conn, sqlite3_stmt* stmt, bool* in_use)
    : conn_(&conn), stmt_(stmt), in_use_(in_use) {
  *in_use_ = true;
}

Statement::Statement(Statement&& other) noexcept
    : conn_(other.conn_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      in_use_(std::exchange(other.in_use_, nullptr)),
      bind_rc_(other.bind_rc_) {}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);  // repeats the last step's error, already reported
  sqlite3_clear_bindings(stmt_);
  *in_use_ = false;
}

void Statement::note_bind(int rc) {
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

Statement& Statement::bind_int(int index, int64_t v) {
  note_bind(sqlite3_bind_int64(stmt_, index, v));
  return *this;
}

Statement& Statement::bind_real(int index, double v) {
  note_bind(std::isnan(v) ? sqlite3_bind_null(stmt_, index) : sqlite3_bind_double(stmt_, index, v));
  return *this;
}

Statement& Statement::bind_text(int index, std::string_view v) {
  note_bind(sqlite3_bind_text64(stmt_, index, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
  note_bind(sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::bind_null(int index) {
  note_bind(sqlite3_bind_null(stmt_, index));
  return *this;
}

Result<bool> Statement::step() {
  if (bind_rc_ != SQLITE_OK) {  // later successful binds have cleared sqlite3_errmsg
    return tl::unexpected(conn_->error(error_code_for(bind_rc_), sqlite3_errstr(bind_rc_)));
  }
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return tl::unexpected(conn_->error(rc));
}

Status Statement::run() {
  for (;;) {
    auto row = step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return {};
  }
}

bool Statement::is_null(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

bool Statement::is_integer(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_INTEGER;
}

int64_t Statement::int64(int col) const {
  return sqlite3_column_int64(stmt_, col);
}

double Statement::real(int col) const {
  return sqlite3_column_double(stmt_, col);
}

std::string_view Statement::text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  int n = sqlite3_column_bytes(stmt_, col);  // after the pointer: it may convert
  return p == nullptr ? std::string_view() : std::string_view(p, static_cast<size_t>(n));
}

std::string_view Statement::blob(int col) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
  int n = sqlite3_column_bytes(stmt_, col);
  return p == nullptr ? std::string_view() : std::string_view(p, static_cast<size_t>(n));
}

// --- Connection ---

Result<std::unique_ptr<Connection>> Connection::open(const std::string& path,
                                                     Duration busy_timeout) {
  sqlite3* db = nullptr;
  // NOMUTEX: SQLite's own locking is redundant, Connection's mutex serialises every use.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return make_error(error_code_for(rc), "storage " + path + ": " + msg);
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, static_cast<int>(busy_timeout.count()));
  return std::unique_ptr<Connection>(new Connection(db, path));
}

Connection::~Connection() {
  for (auto& [sql, cached] : cache_)
    sqlite3_finalize(cached.stmt);
  sqlite3_close(db_);  // the last connection's close checkpoints and removes the WAL
}

Result<Statement> Connection::prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return tl::unexpected(error(rc));
    it = cache_.emplace(std::string(sql), Cached{stmt, false}).first;
  }
  if (it->second.in_use) {
    return tl::unexpected(error(ErrorCode::kInternal, "statement already in use: " + it->first));
  }
  return Statement(*this, it->second.stmt, &it->second.in_use);
}

Status Connection::exec(const std::string& sql) {
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return tl::unexpected(error(rc));
  return {};
}

Result<std::string> Connection::query_text(std::string_view sql) {
  auto stmt = prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return tl::unexpected(row.error());
  return *row ? std::string(stmt->text(0)) : std::string();
}

size_t Connection::changes() const {
  return static_cast<size_t>(sqlite3_changes64(db_));
}

int64_t Connection::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_);
}

bool Connection::in_transaction() const {
  return sqlite3_get_autocommit(db_) == 0;
}

Error Connection::error(int sqlite_rc) const {
  // sqlite3_errmsg describes the last failed call on this handle (we hold the lock); it names
  // tables and columns, never bound values.
  return Error{error_code_for(sqlite_rc), "storage " + path_ + ": " + sqlite3_errmsg(db_)};
}

std::string Connection::errmsg() const {
  return sqlite3_errmsg(db_);
}

Error Connection::error(ErrorCode code, std::string_view message) const {
  return Error{code, "storage " + path_ + ": " + std::string(message)};
}

Database::Counters Connection::counters() const {
  return {transactions_.load(), rows_.load(), failures_.load()};
}

void Connection::count_commit(size_t rows) {
  transactions_.fetch_add(1);
  rows_.fetch_add(rows);
}

void Connection::count_failure() {
  failures_.fetch_add(1);
}

void Connection::reset_counters() {
  transactions_.store(0);
  rows_.store(0);
  failures_.store(0);
}

// --- Transaction ---

Transaction::~Transaction() {
  if (state_ != State::kActive) return;
  // SQLite may already have rolled back on its own (SQLITE_FULL, SQLITE_IOERR): then there is
  // nothing to undo.
  if (conn_.in_transaction()) (void)conn_.exec("ROLLBACK");
  conn_.count_failure();
}

Status Transaction::begin() {
  auto stmt = conn_.prepare("BEGIN IMMEDIATE");
  Status s = stmt ? stmt->run() : Status(tl::unexpected(stmt.error()));
  if (!s) {
    conn_.count_failure();
    state_ = State::kDone;
    return s;
  }
  state_ = State::kActive;
  return {};
}

Status Transaction::commit(size_t rows) {
  auto stmt = conn_.prepare("COMMIT");
  Status s = stmt ? stmt->run() : Status(tl::unexpected(stmt.error()));
  if (!s) return s;  // still active: the destructor rolls back
  state_ = State::kDone;
  conn_.count_commit(rows);
  return {};
}

Result<size_t> delete_before(Connection& conn, std::string_view sql, WallTime cutoff) {
  auto lock = conn.lock();
  Transaction tx(conn);
  if (auto s = tx.begin(); !s) return tl::unexpected(s.error());
  size_t rows = 0;
  {
    auto stmt = conn.prepare(sql);
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind_int(1, to_unix_ms(cutoff));
    if (auto s = stmt->run(); !s) return tl::unexpected(s.error());
    rows = conn.changes();
  }
  if (auto s = tx.commit(rows); !s) return tl::unexpected(s.error());
  return rows;
}

}  // namespace herald::storage
