// Database: herald's one SQLite file (or ":memory:"), opened in WAL mode and migrated forward to
// the current schema (PRAGMA user_version). One connection, serialised by a mutex: herald has one
// writer by design (docs/architecture.md "Storage") and its reads are few and short. Thread-safe.
// This folder is the only code that includes sqlite3.h; other modules use the domain-named stores
// (AlertStore, AlertHistory, NotificationLog, Outbox, RouterAlertStore, SilenceStore,
// GroupTimerStore) built on a Database.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "model/duration.h"
#include "model/error.h"

namespace herald::storage {

// The schema version this build writes; migrations run forward from any earlier one.
inline constexpr int kSchemaVersion = 4;

struct OpenOptions {
  // How long a statement waits for a lock held by another process before failing (retryable).
  Duration busy_timeout = std::chrono::seconds(5);
  // A corrupt or non-SQLite file is renamed to "<path>.corrupt-<unix seconds>" and an empty
  // database is created, instead of failing the open.
  bool move_corrupt_aside = false;
  // Tests: stop migrating at this version (to build databases of earlier versions).
  std::optional<int> migrate_to;
};

class Connection;  // storage-internal: the sqlite3 handle and its statement cache

class Database {
 public:
  // Opens (creating if absent), checks integrity (PRAGMA quick_check), migrates. Errors name the
  // file: kInvalidInput for a corrupt/foreign file or a schema newer than this build,
  // kUnavailable for a locked or unreadable one.
  [[nodiscard]] static Result<std::unique_ptr<Database>> open(const std::string& path,
                                                              const OpenOptions& options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] int schema_version() const;
  // Where a corrupt file was moved by `move_corrupt_aside`, if it was.
  [[nodiscard]] const std::optional<std::string>& moved_aside() const { return moved_aside_; }

  // Totals since open, for self-metrics: committed write transactions, rows they wrote, and
  // writes that failed (and were rolled back).
  struct Counters {
    uint64_t transactions = 0;
    uint64_t rows = 0;
    uint64_t failures = 0;
  };
  [[nodiscard]] Counters counters() const;

  // storage-internal.
  [[nodiscard]] Connection& connection() { return *conn_; }

 private:
  Database(std::string path, std::unique_ptr<Connection> conn);
  std::string path_;
  std::optional<std::string> moved_aside_;
  std::unique_ptr<Connection> conn_;
};

}  // namespace herald::storage
