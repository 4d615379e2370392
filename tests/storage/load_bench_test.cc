// Start-up cost: how long AlertStore::load takes for 100,000 alerts (hidden: run with
// `test_storage "[.bench]"`, in an optimised, unsanitised build).
#include <catch2/catch.hpp>
#include <chrono>

#include "storage/alert_store.h"
#include "storage_test_util.h"

using namespace herald;
using namespace herald::storage;
using namespace herald::storage::testing;

namespace {

constexpr int kAlerts = 100'000;
constexpr int kRules = 100;

// Alerts shaped like bench/seed_alerts.cc's: seven labels, one annotation, half firing.
AlertWrite seed() {
  AlertWrite w;
  for (int i = 0; i < kAlerts; ++i) {
    std::string rule = "BenchAlert" + std::to_string(i % kRules);
    std::string instance = "host-" + std::to_string(i);
    RuleAlert a = sample_alert(rule, instance);
    a.labels = LabelSet{{"alertname", rule},
                        {"instance", instance},
                        {"job", "node-exporter"},
                        {"cluster", "prod-eu-west-1"},
                        {"namespace", "payments-backend"},
                        {"severity", "warning"},
                        {"team", "platform-sre"}};
    a.annotations = {{"summary", rule + " on " + instance + " for more than 5 minutes"}};
    if (i % 2 == 1) {
      a.state = AlertState::kPending;
      a.fired_at = a.last_sent_at = a.valid_until = {};
    }
    RuleKey key{"/etc/herald/rules/bench.yml", "bench-" + std::to_string(i % 10), rule, 0};
    w.changes.push_back(upsert(key, a));
  }
  return w;
}

}  // namespace

TEST_CASE("alert store: 100,000 alerts load in well under half a second", "[storage][.bench]") {
  using Clock = std::chrono::steady_clock;
  auto ms = [](Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
  TempDir dir;
  std::string path = dir.file("herald.db");
  {
    auto db = open_db(path);
    AlertWrite w = seed();
    auto start = Clock::now();
    REQUIRE(AlertStore(*db).write(w) == kAlerts);
    WARN("write: " << ms(Clock::now() - start) << " ms");
  }
  auto start = Clock::now();
  auto db = open_db(path);
  auto opened = Clock::now();
  auto alerts = AlertStore(*db).load();
  auto loaded = Clock::now();
  REQUIRE(alerts);
  REQUIRE(alerts->size() == kAlerts);
  WARN("open (with quick_check): " << ms(opened - start) << " ms; load: " << ms(loaded - opened)
                                   << " ms");
  CHECK(ms(loaded - opened) < 500);
}
