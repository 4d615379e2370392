// Helpers for the storage tests: a temporary directory removed afterwards, a raw sqlite3
// connection (to play another process or to damage a file), and sample alerts.
#pragma once

#include <sqlite3.h>
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "storage/alert_history.h"
#include "storage/alert_store.h"
#include "storage/database.h"

namespace herald::storage::testing {

using namespace std::chrono_literals;

inline const WallTime kT0 = WallTime{} + 1'700'000'000'123ms;  // millisecond-aligned

class TempDir {
 public:
  TempDir() {
    std::string tmpl = "/tmp/herald-storage-test-XXXXXX";
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A second, plain connection to the same file, as another process would hold.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    REQUIRE(sqlite3_open(path.c_str(), &db_) == SQLITE_OK);
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  int exec(const std::string& sql) {
    return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  }
  void require(const std::string& sql) {
    INFO(sql << ": " << sqlite3_errmsg(db_));
    REQUIRE(exec(sql) == SQLITE_OK);
  }
  // The first column of every row, as text ("NULL" for NULL).
  std::vector<std::string> column(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
    std::vector<std::string> out;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      out.emplace_back(p == nullptr ? "NULL" : std::string(p, sqlite3_column_bytes(stmt, 0)));
    }
    sqlite3_finalize(stmt);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

inline std::unique_ptr<Database> open_db(const std::string& path, const OpenOptions& opts = {}) {
  auto db = Database::open(path, opts);
  INFO((db ? std::string() : db.error().message));
  REQUIRE(db);
  return std::move(*db);
}

// OpenOptions one field at a time (GCC warns on partial designated initializers).
inline OpenOptions with_move_aside() {
  OpenOptions o;
  o.move_corrupt_aside = true;
  return o;
}
inline OpenOptions with_migrate_to(int version) {
  OpenOptions o;
  o.migrate_to = version;
  return o;
}
inline OpenOptions with_busy_timeout(Duration d) {
  OpenOptions o;
  o.busy_timeout = d;
  return o;
}

inline HistoryQuery by_alertname(const std::string& name, std::optional<WallTime> since = {},
                                 size_t limit = 1000) {
  HistoryQuery q;
  q.alertname = name;
  q.since = since;
  q.limit = limit;
  return q;
}
inline HistoryQuery by_fingerprint(Fingerprint fp) {
  HistoryQuery q;
  q.fingerprint = fp;
  return q;
}
inline HistoryQuery both(Fingerprint fp, const std::string& name) {
  HistoryQuery q = by_fingerprint(fp);
  q.alertname = name;
  return q;
}

inline void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  REQUIRE(out.good());
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline RuleKey rule_key(const std::string& name, int ordinal = 0) {
  return RuleKey{"/etc/herald/rules/app.yml", "app", name, ordinal};
}

// A firing alert of `rule` on `instance`, with every optional set.
inline RuleAlert sample_alert(const std::string& rule, const std::string& instance) {
  RuleAlert a;
  a.labels = LabelSet{{"alertname", rule}, {"instance", instance}, {"severity", "page"}};
  a.annotations = {{"summary", rule + " on " + instance}, {"runbook", ""}};
  a.state = AlertState::kFiring;
  a.value = 0.25;
  a.active_at = kT0;
  a.fired_at = kT0 + 5min;
  a.last_sent_at = kT0 + 6min;
  a.valid_until = kT0 + 10min;
  return a;
}

inline AlertChange upsert(const RuleKey& rule, const RuleAlert& a) {
  return AlertChange{rule, a.labels.fingerprint(), a};
}
inline AlertChange erase(const RuleKey& rule, const LabelSet& labels) {
  return AlertChange{rule, labels.fingerprint(), std::nullopt};
}

inline void check_same(const RuleAlert& got, const RuleAlert& want) {
  CHECK(got.labels == want.labels);
  CHECK(got.annotations == want.annotations);
  CHECK(got.state == want.state);
  if (std::isnan(want.value)) {
    CHECK(std::isnan(got.value));
  } else {
    CHECK(got.value == want.value);
  }
  CHECK(got.active_at == want.active_at);
  CHECK(got.fired_at == want.fired_at);
  CHECK(got.resolved_at == want.resolved_at);
  CHECK(got.last_sent_at == want.last_sent_at);
  CHECK(got.valid_until == want.valid_until);
  CHECK(got.keep_firing_since == want.keep_firing_since);
}

}  // namespace herald::storage::testing
