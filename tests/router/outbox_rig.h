// The OutboxDelivery tests' rig: a real SQLite file, a scripted Notifier, a fake clock, and
// another connection that can hold the database's write lock (as another process would), so the
// rig's own writes fail at once.
#pragma once

#include <stdlib.h>

#include <catch2/catch.hpp>
#include <deque>
#include <filesystem>

#include "router/notification_codec.h"
#include "router/outbox_delivery.h"
#include "storage/connection.h"

namespace herald::router::testing {

namespace rt = herald::router;
namespace st = herald::storage;
using herald::DeliveryOutcome;
using herald::DeliveryResult;
using herald::FakeClock;
using herald::Notification;
using herald::WallTime;
using namespace std::chrono_literals;

const WallTime kT0 = WallTime{} + std::chrono::seconds(1767571200);

// busy_timeout 0: a write that finds the database locked fails at once instead of waiting.
struct TempDb {
  TempDb() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "herald-outbox-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    dir = tmpl;
    st::OpenOptions options;
    options.busy_timeout = herald::Duration::zero();
    auto opened = st::Database::open(path(), options);
    REQUIRE(opened);
    db = std::move(*opened);
  }
  ~TempDb() {
    db.reset();
    std::filesystem::remove_all(dir);
  }
  [[nodiscard]] std::string path() const { return dir + "/herald.db"; }
  std::string dir;
  std::unique_ptr<st::Database> db;
};

// A second connection to the rig's file, as another process: while it holds the write lock every
// write of the rig's Database fails (kUnavailable, "database is locked"); reads go on (WAL).
class WriteLock {
 public:
  explicit WriteLock(const TempDb& t) {
    auto opened = st::Database::open(t.path());
    REQUIRE(opened);
    other_ = std::move(*opened);
  }
  ~WriteLock() {
    if (held_) release();
  }
  void take() {
    exec("BEGIN EXCLUSIVE");
    held_ = true;
  }
  void release() {
    exec("ROLLBACK");
    held_ = false;
  }

 private:
  void exec(const std::string& sql) {
    st::Connection& conn = other_->connection();
    auto lock = conn.lock();
    REQUIRE(conn.exec(sql));
  }
  std::unique_ptr<st::Database> other_;
  bool held_ = false;
};

// Answers each notify() with the next scripted result and records what it was handed; with a
// clock, each send takes `send_time` of it.
class ScriptedNotifier final : public herald::Notifier {
 public:
  std::string_view integration() const override { return "webhook"; }
  bool send_resolved() const override { return true; }
  DeliveryResult notify(const Notification& n, WallTime now) override {
    seen.push_back(n);
    seen_at.push_back(now);
    if (clock != nullptr) clock->advance(send_time);
    REQUIRE(!script.empty());
    DeliveryResult r = script.front();
    script.pop_front();
    return r;
  }
  std::deque<DeliveryResult> script;
  std::vector<Notification> seen;
  std::vector<WallTime> seen_at;
  FakeClock* clock = nullptr;
  herald::Duration send_time{};
};

inline st::OutboxItem item(const std::string& group_key) {
  Notification n{"team", group_key, {}, {}, {}, ""};
  herald::Alert a;
  a.labels = herald::LabelSet{{"alertname", "A"}};
  a.starts_at = kT0;
  n.firing.push_back(a);
  st::OutboxItem i;
  i.key = {group_key, "team", "webhook", 0};
  i.payload = rt::encode_notification(n);
  i.log.firing = {a.labels.fingerprint()};
  i.created_at = kT0;
  i.next_attempt_at = kT0;
  return i;
}

// One webhook integration of receiver "team" with a scripted notifier, and item "g1" queued.
struct OneIntegration {
  TempDb t;
  FakeClock clock{kT0};
  st::Outbox outbox{*t.db};
  st::NotificationLog nflog{*t.db};
  std::shared_ptr<ScriptedNotifier> notifier = std::make_shared<ScriptedNotifier>();
  rt::OutboxDelivery delivery;
  explicit OneIntegration(rt::BackoffPolicy policy = {}) : delivery(*t.db, policy, 1) {
    delivery.set_notifiers({{{"team", "webhook", 0}, notifier}});
    REQUIRE(outbox.enqueue(item("g1")));
  }
};

}  // namespace herald::router::testing
