// AlertStore: what is written is loaded back exactly, writes are whole transactions, and damaged
// rows make load() fail with the rule's name instead of crashing.
#include "storage/alert_store.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <thread>

#include "storage_test_util.h"

using namespace herald;
using namespace herald::storage;
using namespace herald::storage::testing;
using namespace std::string_literals;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<StoredAlert> load_all(AlertStore& store) {
  auto alerts = store.load();
  INFO((alerts ? "" : alerts.error().message));
  REQUIRE(alerts);
  return std::move(*alerts);
}

}  // namespace

TEST_CASE("alert store: every field round-trips, through a reopen", "[storage]") {
  TempDir dir;
  std::string path = dir.file("herald.db");
  auto state = GENERATE(AlertState::kInactive, AlertState::kPending, AlertState::kFiring);
  auto value = GENERATE(0.0, -1.5, 1e300, kInf, -kInf, kNaN);
  bool optionals = GENERATE(true, false);

  RuleAlert a = sample_alert("디스크부족", "host-\"1\"");
  a.labels.set("nul", "a\0b"s);
  a.labels.set("quote", "it's \"quoted\"");
  a.annotations["description"] = "";
  a.state = state;
  a.value = value;
  a.active_at = WallTime{} - 1500ms;  // before the epoch, still to the millisecond
  if (optionals) {
    a.resolved_at = kT0 + 20min;
    a.keep_firing_since = kT0 + 15min;
  } else {
    a.fired_at = a.resolved_at = a.last_sent_at = a.valid_until = a.keep_firing_since = {};
  }
  RuleKey key{"rules/한국.yml", "group \"g\"", "디스크부족", 2};
  {
    auto db = open_db(path);
    AlertStore store(*db);
    REQUIRE(store.write({{upsert(key, a)}, {}}) == 1);
  }
  auto db = open_db(path);
  AlertStore store(*db);
  auto loaded = load_all(store);
  REQUIRE(loaded.size() == 1);
  CHECK(loaded[0].rule == key);
  check_same(loaded[0].alert, a);
}

TEST_CASE("alert store: a change replaces the alert, a deletion removes it", "[storage]") {
  auto db = open_db(":memory:");
  AlertStore store(*db);
  RuleAlert a = sample_alert("A", "h1");
  RuleAlert b = sample_alert("A", "h2");
  REQUIRE(store.write({{upsert(rule_key("A"), a), upsert(rule_key("A"), b)}, {}}) == 2);
  a.state = AlertState::kInactive;
  a.resolved_at = kT0 + 1h;
  REQUIRE(store.write({{upsert(rule_key("A"), a), erase(rule_key("A"), b.labels)}, {}}) == 2);
  auto loaded = load_all(store);
  REQUIRE(loaded.size() == 1);
  check_same(loaded[0].alert, a);
  // Deleting what is not there writes nothing, and is no error.
  CHECK(store.write({{erase(rule_key("A"), b.labels)}, {}}) == 0);
}

TEST_CASE("alert store: the same labels under two rules are two alerts", "[storage]") {
  auto db = open_db(":memory:");
  AlertStore store(*db);
  RuleAlert a = sample_alert("A", "h1");
  REQUIRE(store.write({{upsert(rule_key("A", 0), a), upsert(rule_key("A", 1), a)}, {}}) == 2);
  auto loaded = load_all(store);
  REQUIRE(loaded.size() == 2);
  CHECK(loaded[0].rule.ordinal == 0);
  CHECK(loaded[1].rule.ordinal == 1);
}

TEST_CASE("alert store: load returns rule then (unsigned) fingerprint order", "[storage]") {
  auto db = open_db(":memory:");
  AlertStore store(*db);
  AlertWrite w;
  for (const char* rule : {"B", "A", "C"}) {
    for (int i = 0; i < 40; ++i)  // about half the fingerprints are >= 2^63
      w.changes.push_back(upsert(rule_key(rule), sample_alert(rule, "h" + std::to_string(i))));
  }
  REQUIRE(store.write(w) == 120);
  auto loaded = load_all(store);
  REQUIRE(loaded.size() == 120);
  auto key = [](const StoredAlert& s) { return std::pair(s.rule, s.alert.labels.fingerprint()); };
  CHECK(std::is_sorted(loaded.begin(), loaded.end(),
                       [&](const auto& x, const auto& y) { return key(x) < key(y); }));
}

TEST_CASE("alert store: forget removes every alert of the given rules only", "[storage]") {
  auto db = open_db(":memory:");
  AlertStore store(*db);
  AlertWrite w;
  for (const char* rule : {"A", "B", "C"}) {
    for (const char* host : {"h1", "h2"})
      w.changes.push_back(upsert(rule_key(rule), sample_alert(rule, host)));
  }
  REQUIRE(store.write(w) == 6);
  CHECK(store.forget({rule_key("A"), rule_key("C"), rule_key("gone")}) == 4);
  auto loaded = load_all(store);
  REQUIRE(loaded.size() == 2);
  CHECK(loaded[0].rule.rule == "B");
  CHECK(store.forget({}) == 0);
}

TEST_CASE("alert store: last_seen is absent until marked, then the latest mark", "[storage]") {
  TempDir dir;
  {
    auto db = open_db(dir.file("herald.db"));
    AlertStore store(*db);
    REQUIRE(store.last_seen().value() == std::nullopt);
    REQUIRE(store.mark_seen(kT0));
    REQUIRE(store.mark_seen(kT0 + 30s));
  }
  auto db = open_db(dir.file("herald.db"));
  CHECK(AlertStore(*db).last_seen().value() == kT0 + 30s);
}

TEST_CASE("alert store: an empty write touches nothing", "[storage]") {
  auto db = open_db(":memory:");
  AlertStore store(*db);
  auto before = db->counters();
  CHECK(store.write({}) == 0);
  CHECK(store.forget({}) == 0);
  auto after = db->counters();
  CHECK(after.transactions == before.transactions);
  CHECK(after.rows == before.rows);
  CHECK(after.failures == before.failures);
}

TEST_CASE("alert store: counters count committed transactions and their rows", "[storage]") {
  auto db = open_db(":memory:");
  CHECK(db->counters().transactions == 0);  // the schema's own transactions are not counted
  AlertStore store(*db);
  RuleAlert a = sample_alert("A", "h1");
  TransitionRecord t{kT0,      rule_key("A"),        a.labels.fingerprint(),
                     a.labels, AlertState::kPending, AlertState::kFiring,
                     1};
  REQUIRE(store.write({{upsert(rule_key("A"), a), upsert(rule_key("A"), sample_alert("A", "h2"))},
                       {t}}) == 3);
  REQUIRE(store.mark_seen(kT0));
  auto c = db->counters();
  CHECK(c.transactions == 2);
  CHECK(c.rows == 4);
  CHECK(c.failures == 0);
}

TEST_CASE("alert store: a write whose fingerprint does not match its labels is refused whole",
          "[storage]") {
  auto db = open_db(":memory:");
  AlertStore store(*db);
  AlertChange bad = upsert(rule_key("Bad"), sample_alert("Bad", "h1"));
  bad.fingerprint ^= 1;
  auto r = store.write({{upsert(rule_key("A"), sample_alert("A", "h1")), bad}, {}});
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::kInvalidInput);
  CHECK_THAT(r.error().message, Catch::Contains("\"Bad\""));
  CHECK(load_all(store).empty());
}

TEST_CASE("alert store: damaged rows make load fail, naming the rule, never crash", "[storage]") {
  TempDir dir;
  std::string path = dir.file("herald.db");
  {
    auto db = open_db(path);
    REQUIRE(
        AlertStore(*db).write({{upsert(rule_key("Damaged"), sample_alert("Damaged", "h"))}, {}}));
  }
  auto [damage, expected] = GENERATE(table<std::string, std::string>({
      {"labels = x'01ff'", "labels: malformed label blob"},
      {"labels = x''", "labels: malformed label blob"},
      {"annotations = x'0102016101'", "annotations: malformed label blob"},
      {"fingerprint = fingerprint + 1", "stored fingerprint does not match its labels"},
      {"state = 7", "unknown state code"},
  }));
  RawDb(path).require("UPDATE alerts SET " + damage);
  auto db = open_db(path);
  auto r = AlertStore(*db).load();
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::kInvalidInput);
  CHECK_THAT(r.error().message, Catch::Contains(path) && Catch::Contains("rule \"Damaged\"") &&
                                    Catch::Contains(expected));
}

TEST_CASE("alert store: concurrent writers and readers are serialised", "[storage]") {
  TempDir dir;
  auto db = open_db(dir.file("herald.db"));
  AlertStore store(*db);
  std::atomic<int> errors{0};  // Catch2's assertions are not thread-safe
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&store, &errors, t] {
      std::string rule = "R" + std::to_string(t);
      for (int i = 0; i < 25; ++i) {
        if (!store.write({{upsert(rule_key(rule), sample_alert(rule, std::to_string(i)))}, {}}))
          ++errors;
        if (!store.load()) ++errors;
      }
    });
  }
  for (auto& th : threads)
    th.join();
  CHECK(errors == 0);
  CHECK(load_all(store).size() == 100);
  CHECK(db->counters().transactions == 100);
}
