// Database::open: open or create the file, check its integrity (moving a corrupt one aside on
// request), set the connection's pragmas, refuse a newer schema, migrate forward.
#include "storage/database.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <system_error>

#include "storage/connection.h"
#include "storage/migrations.h"

namespace herald::storage {
namespace {

constexpr size_t kMaxDetail = 200;  // of a quick_check report quoted in an error

// nullopt when the file is a healthy SQLite database (or a new, empty one); otherwise what is
// wrong with it. A locked or unreadable file is an error (kUnavailable), not corruption.
Result<std::optional<std::string>> check_integrity(Connection& conn) {
  // Preparing reads the schema, so a foreign or damaged file may fail here already.
  auto damaged = [&](const Error& e) -> Result<std::optional<std::string>> {
    if (e.code != ErrorCode::kInvalidInput) return tl::unexpected(e);
    return conn.errmsg();  // SQLITE_NOTADB or SQLITE_CORRUPT
  };
  auto stmt = conn.prepare("PRAGMA quick_check");
  if (!stmt) return damaged(stmt.error());
  std::string report;
  for (;;) {
    auto row = stmt->step();
    if (!row) return damaged(row.error());
    if (!*row) break;
    if (!report.empty()) report += "; ";
    report += stmt->text(0);
  }
  if (report == "ok") return std::nullopt;
  if (report.size() > kMaxDetail) report = report.substr(0, kMaxDetail) + "…";
  return report;
}

// Renames `path` and its -wal and -shm files to "<path>.corrupt-<unix seconds>[...]".
Result<std::string> move_aside(const std::string& path) {
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
  std::string target = path + ".corrupt-" + std::to_string(secs);
  std::error_code ec;
  for (int n = 1; std::filesystem::exists(target, ec); ++n)
    target = path + ".corrupt-" + std::to_string(secs) + "." + std::to_string(n);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    if (!std::filesystem::exists(path + suffix, ec)) continue;
    std::filesystem::rename(path + suffix, target + suffix, ec);
    if (ec) {
      return unavailable("storage " + path + ": moving the corrupt database aside to " + target +
                         suffix + ": " + ec.message());
    }
  }
  return target;
}

// Pragmas that belong to the connection (or, for journal_mode, persist in the file).
Status configure(Connection& conn) {
  // WAL: readers never block the writer, and a commit is one append. With WAL, synchronous=NORMAL
  // fsyncs only at checkpoints: a process crash (even SIGKILL) loses nothing committed; a power
  // loss or OS crash may lose the last transactions. For alert state that means, at worst, a
  // transition derived again or a notification repeated — never one lost. (The router's outbox
  // may choose FULL for its own writes.)
  if (auto mode = conn.query_text("PRAGMA journal_mode = WAL"); !mode) {
    return tl::unexpected(mode.error());
  }  // "memory" for ":memory:"; a file system without shared memory keeps its mode
  if (auto s = conn.exec("PRAGMA synchronous = NORMAL"); !s) return s;
  return conn.exec("PRAGMA foreign_keys = ON");
}

Result<int> user_version(Connection& conn) {
  auto stmt = conn.prepare("PRAGMA user_version");
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return tl::unexpected(row.error());
  return *row ? static_cast<int>(stmt->int64(0)) : 0;
}

Status check_and_migrate(Connection& conn, const OpenOptions& options) {
  auto lock = conn.lock();
  if (auto s = configure(conn); !s) return s;
  auto version = user_version(conn);
  if (!version) return tl::unexpected(version.error());
  if (*version > kSchemaVersion) {
    return tl::unexpected(
        conn.error(ErrorCode::kInvalidInput, "database schema version " + std::to_string(*version) +
                                                 " is newer than this herald (" +
                                                 std::to_string(kSchemaVersion) + ")"));
  }
  int target = std::clamp(options.migrate_to.value_or(kSchemaVersion), *version, kSchemaVersion);
  return migrate(conn, *version, target);
}

// Opens `path` and checks it; a corrupt file is moved aside (when allowed) and replaced.
Result<std::unique_ptr<Connection>> open_checked(const std::string& path,
                                                 const OpenOptions& options,
                                                 std::optional<std::string>& moved_aside) {
  auto conn = Connection::open(path, options.busy_timeout);
  if (!conn) return conn;
  auto lock = (*conn)->lock();
  auto damage = check_integrity(**conn);
  if (!damage) return tl::unexpected(damage.error());
  if (!*damage) return conn;
  if (!options.move_corrupt_aside) {
    return invalid_input("storage " + path + ": not a valid herald database (" + **damage +
                         "); move it aside or start with --storage.move-corrupt-aside");
  }
  lock.unlock();
  conn->reset();  // closes the file before renaming it
  auto target = move_aside(path);
  if (!target) return tl::unexpected(target.error());
  moved_aside = *target;
  return Connection::open(path, options.busy_timeout);
}

}  // namespace

Database::Database(std::string path, std::unique_ptr<Connection> conn)
    : path_(std::move(path)), conn_(std::move(conn)) {}

Database::~Database() = default;

Result<std::unique_ptr<Database>> Database::open(const std::string& path,
                                                 const OpenOptions& options) {
  std::optional<std::string> moved_aside;
  auto conn = open_checked(path, options, moved_aside);
  if (!conn) return tl::unexpected(conn.error());
  if (auto s = check_and_migrate(**conn, options); !s) return tl::unexpected(s.error());
  (*conn)->reset_counters();  // the counters describe the stores' writes, not the schema's
  std::unique_ptr<Database> db(new Database(path, std::move(*conn)));
  db->moved_aside_ = std::move(moved_aside);
  return db;
}

int Database::schema_version() const {
  auto lock = conn_->lock();
  auto version = user_version(*conn_);
  return version ? *version : -1;
}

Database::Counters Database::counters() const {
  return conn_->counters();
}

}  // namespace herald::storage
