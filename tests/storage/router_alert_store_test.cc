// RouterAlertStore: the router's alerts round-trip (to the millisecond), load in unsigned
// fingerprint order, put_all upserts by fingerprint and erase deletes, each in one transaction.
#include "storage/router_alert_store.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "storage_test_util.h"

using namespace herald;
using namespace herald::storage;
using namespace herald::storage::testing;

namespace {

Alert router_alert(const std::string& name, const std::string& instance) {
  Alert a;
  a.labels = LabelSet{{"alertname", name}, {"instance", instance}};
  a.annotations = {{"summary", name + " on " + instance}, {"empty", ""}};
  a.starts_at = kT0;
  a.generator_url = "http://prometheus:9090/graph?g0.expr=up%3D%3D0";
  a.updated_at = kT0 + 30s;
  return a;
}

std::vector<Alert> load_all(const RouterAlertStore& store) {
  auto alerts = store.load();
  INFO((alerts ? "" : alerts.error().message));
  REQUIRE(alerts);
  return std::move(*alerts);
}

}  // namespace

TEST_CASE("router alert store: every field round-trips, through a reopen", "[storage]") {
  TempDir dir;
  std::string path = dir.file("herald.db");
  Alert firing = router_alert("디스크부족", "host-\"1\"");
  firing.timeout = true;
  firing.ends_at = kT0 + 5min;  // receipt + resolve_timeout
  Alert resolved = router_alert("B", "h2");
  resolved.ends_at = kT0 + 1min;
  Alert no_end = router_alert("C", "h3");  // ends_at WallTime{}: "no end"
  no_end.annotations.clear();
  no_end.generator_url.clear();
  no_end.starts_at = WallTime{} - 1500ms;
  {
    auto db = open_db(path);
    REQUIRE(RouterAlertStore(*db).put_all({firing, resolved, no_end}));
  }
  auto db = open_db(path);
  auto loaded = load_all(RouterAlertStore(*db));
  REQUIRE(loaded.size() == 3);
  for (const Alert& want : {firing, resolved, no_end}) {
    auto it = std::find_if(loaded.begin(), loaded.end(),
                           [&](const Alert& a) { return a.labels == want.labels; });
    REQUIRE(it != loaded.end());
    CHECK(*it == want);
  }
}

TEST_CASE("router alert store: load returns unsigned fingerprint order", "[storage]") {
  auto db = open_db(":memory:");
  RouterAlertStore store(*db);
  std::vector<Alert> alerts;
  for (int i = 0; i < 40; ++i) {  // about half the fingerprints are >= 2^63
    alerts.push_back(router_alert("A", "h" + std::to_string(i)));
    alerts.back().labels.set("severity", "page");
  }
  REQUIRE(store.put_all(alerts));
  auto loaded = load_all(store);
  REQUIRE(loaded.size() == 40);
  CHECK(std::is_sorted(loaded.begin(), loaded.end(), [](const Alert& x, const Alert& y) {
    return x.labels.fingerprint() < y.labels.fingerprint();
  }));
  CHECK((loaded.front().labels.fingerprint() >> 63) == 0);
  CHECK((loaded.back().labels.fingerprint() >> 63) == 1);
}

TEST_CASE("router alert store: put_all upserts by fingerprint, erase deletes", "[storage]") {
  auto db = open_db(":memory:");
  RouterAlertStore store(*db);
  Alert a = router_alert("A", "h1");
  Alert b = router_alert("A", "h2");
  Alert c = router_alert("A", "h3");
  REQUIRE(store.put_all({a, b, c}));
  a.ends_at = kT0 + 2min;
  a.updated_at = kT0 + 2min;
  a.annotations["summary"] = "resolved";
  REQUIRE(store.put_all({a}));
  auto loaded = load_all(store);
  REQUIRE(loaded.size() == 3);
  CHECK(std::count(loaded.begin(), loaded.end(), a) == 1);

  auto before = db->counters();
  REQUIRE(store.erase({b.labels.fingerprint(), 12345, c.labels.fingerprint()}));
  CHECK(db->counters().transactions == before.transactions + 1);
  CHECK(db->counters().rows == before.rows + 2);
  CHECK(load_all(store) == std::vector<Alert>{a});

  // A later alert with the same labels wins within one batch.
  Alert a2 = a;
  a2.generator_url = "second";
  REQUIRE(store.put_all({a, a2}));
  CHECK(load_all(store) == std::vector<Alert>{a2});
}

TEST_CASE("router alert store: empty writes touch nothing", "[storage]") {
  auto db = open_db(":memory:");
  RouterAlertStore store(*db);
  REQUIRE(store.put_all({}));
  REQUIRE(store.erase({}));
  CHECK(db->counters().transactions == 0);
  CHECK(db->counters().failures == 0);
}

TEST_CASE("router alert store: damaged rows make load fail, never crash", "[storage]") {
  TempDir dir;
  std::string path = dir.file("herald.db");
  {
    auto db = open_db(path);
    REQUIRE(RouterAlertStore(*db).put_all({router_alert("Damaged", "h")}));
  }
  auto [damage, expected] = GENERATE(table<std::string, std::string>({
      {"labels = x'01ff'", "labels: malformed label blob"},
      {"annotations = x''", "annotations: malformed label blob"},
      {"fingerprint = fingerprint + 1", "stored fingerprint does not match its labels"},
  }));
  RawDb(path).require("UPDATE router_alerts SET " + damage);
  auto db = open_db(path);
  auto r = RouterAlertStore(*db).load();
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::kInvalidInput);
  CHECK_THAT(r.error().message, Catch::Contains(path) && Catch::Contains("router alert ") &&
                                    Catch::Contains(expected));
}
