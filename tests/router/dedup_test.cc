// needs_notify as a table (Alertmanager's DedupStage.needsUpdate), and decide()'s send_resolved
// filtering and log entry.
#include "router/dedup.h"

#include <catch2/catch.hpp>

#include "router/route.h"
#include "tests/router/route_builders.h"

namespace rt = herald::router;
using herald::Alert;
using herald::LabelSet;
using herald::WallTime;
using rt::NotifyReason;
using namespace std::chrono_literals;

namespace {

const WallTime kNow = WallTime{} + std::chrono::hours(24 * 365 * 56);

struct Row {
  const char* what;
  bool has_entry;
  std::set<rt::AlertHash> logged_firing, logged_resolved;
  std::set<rt::AlertHash> firing, resolved;
  bool send_resolved;
  herald::Duration entry_age;
  NotifyReason want;
};

Alert alert(const char* instance, WallTime ends = WallTime{}) {
  Alert a;
  a.labels = LabelSet{{"alertname", "A"}, {"instance", instance}};
  a.starts_at = kNow - 1h;
  a.ends_at = ends;
  return a;
}

}  // namespace

TEST_CASE("dedup: needs_notify follows DedupStage.needsUpdate", "[router][dedup]") {
  using R = NotifyReason;
  const Row row = GENERATE(values<Row>({
      {"no entry, firing", false, {}, {}, {1}, {}, false, 0s, R::kFirstNotification},
      {"no entry, only resolved", false, {}, {}, {}, {1}, true, 0s, R::kNone},
      {"no entry, nothing", false, {}, {}, {}, {}, true, 0s, R::kNone},
      {"new firing alert", true, {1}, {}, {1, 2}, {}, false, 1min, R::kNewAlertsAdded},
      {"firing after an all-resolved entry",
       true,
       {},
       {1},
       {1},
       {},
       false,
       1min,
       R::kFirstNotification},
      {"same firing, recent", true, {1, 2}, {}, {1, 2}, {}, true, 1min, R::kNone},
      {"fewer firing is a subset", true, {1, 2}, {}, {1}, {}, false, 1min, R::kNone},
      {"all resolved, send_resolved", true, {1}, {}, {}, {1}, true, 1min, R::kAllAlertsResolved},
      {"all resolved, no send_resolved",
       true,
       {1},
       {},
       {},
       {1},
       false,
       1min,
       R::kAllAlertsResolved},
      {"nothing firing, nothing logged firing", true, {}, {1}, {}, {1, 2}, true, 1min, R::kNone},
      {"some resolved, send_resolved",
       true,
       {1, 2},
       {},
       {1},
       {2},
       true,
       1min,
       R::kSomeAlertsResolved},
      {"some resolved, no send_resolved", true, {1, 2}, {}, {1}, {2}, false, 1min, R::kNone},
      {"resolved already logged", true, {1}, {2}, {1}, {2}, true, 1min, R::kNone},
      {"repeat interval passed",
       true,
       {1},
       {},
       {1},
       {},
       false,
       4h + 1ms,
       R::kRepeatIntervalElapsed},
      {"exactly repeat interval old", true, {1}, {}, {1}, {}, false, 4h, R::kNone},
      {"new alerts beat repeat", true, {1}, {}, {1, 2}, {}, false, 5h, R::kNewAlertsAdded},
  }));
  INFO(row.what);
  std::optional<rt::NotificationLogEntry> entry;
  if (row.has_entry) {
    entry = rt::NotificationLogEntry{kNow - row.entry_age, row.logged_firing, row.logged_resolved};
  }
  CHECK(rt::needs_notify(entry, row.firing, row.resolved, row.send_resolved, 4h, kNow) == row.want);
}

TEST_CASE("dedup: reasons read as Alertmanager's", "[router][dedup]") {
  CHECK(to_string(NotifyReason::kNone) == "none");
  CHECK(to_string(NotifyReason::kFirstNotification) == "first notification");
  CHECK(to_string(NotifyReason::kNewAlertsAdded) == "new alerts added");
  CHECK(to_string(NotifyReason::kSomeAlertsResolved) == "some alerts resolved");
  CHECK(to_string(NotifyReason::kAllAlertsResolved) == "all alerts resolved");
  CHECK(to_string(NotifyReason::kRepeatIntervalElapsed) == "repeat interval elapsed");
}

TEST_CASE("dedup: decide sends resolved alerts only with send_resolved", "[router][dedup]") {
  auto root = rt::Route::build(herald::router::testing::route("team"));
  rt::Flush flush{root.get(), "{}:{}", {}, kNow, {alert("a")}, {alert("b", kNow - 1min)}};
  const std::optional<rt::NotificationLogEntry> none;

  const rt::FlushDecision with = rt::decide(flush, none, true, kNow);
  CHECK(with.reason == NotifyReason::kFirstNotification);
  CHECK(with.firing.size() == 1);
  CHECK(with.resolved.size() == 1);

  const rt::FlushDecision without = rt::decide(flush, none, false, kNow);
  CHECK(without.deliver());
  CHECK(without.resolved.empty());
  // The log records the resolved alert all the same, as SetNotifiesStage does.
  const rt::NotificationLogEntry logged = without.log_entry(kNow);
  CHECK(logged.firing == std::set<rt::AlertHash>{rt::alert_hash(alert("a").labels)});
  CHECK(logged.resolved == std::set<rt::AlertHash>{rt::alert_hash(alert("b").labels)});
}

TEST_CASE("dedup: all resolved without send_resolved logs without delivering", "[router][dedup]") {
  auto root = rt::Route::build(herald::router::testing::route("team"));
  rt::Flush flush{root.get(), "{}:{}", {}, kNow, {}, {alert("a", kNow - 1min)}};
  const rt::NotificationLogEntry before{kNow - 5min, {rt::alert_hash(alert("a").labels)}, {}};
  const rt::FlushDecision d = rt::decide(flush, before, false, kNow);
  CHECK(d.reason == NotifyReason::kAllAlertsResolved);
  CHECK(d.notify());
  CHECK_FALSE(d.deliver());
  CHECK(d.log_entry(kNow).firing.empty());
}

TEST_CASE("dedup: log entries expire after twice the repeat interval, at most 120h",
          "[router][dedup]") {
  rt::FlushDecision d;
  d.repeat_interval = 4h;
  CHECK(d.log_entry(kNow).expires_at == kNow + 8h);
  d.repeat_interval = 7 * 24h;
  CHECK(d.log_entry(kNow).expires_at == kNow + 120h);
}
