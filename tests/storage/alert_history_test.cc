// AlertHistory: the transitions AlertStore::write appends, queried by fingerprint, alertname and
// time, limited to the most recent, oldest first; pruned by age; readable by people in the file.
#include "storage/alert_history.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "storage_test_util.h"

using namespace herald;
using namespace herald::storage;
using namespace herald::storage::testing;
using namespace std::string_literals;

namespace {

TransitionRecord transition(const std::string& rule, const std::string& instance, WallTime at,
                            AlertState from, AlertState to, double value = 1) {
  LabelSet labels{{"alertname", rule}, {"instance", instance}};
  return TransitionRecord{at, rule_key(rule), labels.fingerprint(), labels, from, to, value};
}

// Rules A and B on hosts h1 and h2; A/h1 goes pending → firing → inactive; the rest go pending.
std::vector<TransitionRecord> seed(AlertStore& store) {
  using S = AlertState;
  std::vector<TransitionRecord> all = {
      transition("A", "h1", kT0, S::kInactive, S::kPending),
      transition("A", "h2", kT0, S::kInactive, S::kPending),
      transition("B", "h1", kT0, S::kInactive, S::kPending),
      transition("A", "h1", kT0 + 1min, S::kPending, S::kFiring),
      transition("A", "h1", kT0 + 2min, S::kFiring, S::kInactive),
  };
  for (const auto& t : all)
    REQUIRE(store.write({{}, {t}}) == 1);
  return all;
}

std::vector<TransitionRecord> query(AlertHistory& history, const HistoryQuery& q) {
  auto r = history.query(q);
  INFO((r ? "" : r.error().message));
  REQUIRE(r);
  return std::move(*r);
}

std::vector<std::string> describe(const std::vector<TransitionRecord>& ts) {
  std::vector<std::string> out;
  for (const auto& t : ts) {
    out.push_back(std::string(t.labels.get("alertname")) + "/" +
                  std::string(t.labels.get("instance")) + " " + std::string(to_string(t.to)));
  }
  return out;
}

}  // namespace

TEST_CASE("alert history: a transition's fields round-trip", "[storage]") {
  auto db = open_db(":memory:");
  AlertStore store(*db);
  auto value = GENERATE(std::numeric_limits<double>::quiet_NaN(),
                        std::numeric_limits<double>::infinity(), -2.5);
  TransitionRecord t =
      transition("디스크부족", "h\"1\"", kT0, AlertState::kPending, AlertState::kFiring, value);
  t.labels.set("nul", "a\0b"s);
  t.fingerprint = t.labels.fingerprint();
  t.rule.ordinal = 3;
  REQUIRE(store.write({{}, {t}}) == 1);
  AlertHistory history(*db);
  auto got = query(history, by_fingerprint(t.fingerprint));
  REQUIRE(got.size() == 1);
  CHECK(got[0].at == t.at);
  CHECK(got[0].rule == t.rule);
  CHECK(got[0].fingerprint == t.fingerprint);
  CHECK(got[0].labels == t.labels);
  CHECK(got[0].from == t.from);
  CHECK(got[0].to == t.to);
  CHECK((std::isnan(value) ? std::isnan(got[0].value) : got[0].value == value));
}

TEST_CASE("alert history: filters by fingerprint, alertname and since", "[storage]") {
  auto db = open_db(":memory:");
  AlertStore store(*db);
  auto all = seed(store);
  AlertHistory history(*db);
  Fingerprint a_h1 = all[0].fingerprint;

  CHECK(describe(query(history, by_fingerprint(a_h1))) ==
        std::vector<std::string>{"A/h1 pending", "A/h1 firing", "A/h1 inactive"});
  CHECK(describe(query(history, by_alertname("A"))) ==
        std::vector<std::string>{"A/h1 pending", "A/h2 pending", "A/h1 firing", "A/h1 inactive"});
  CHECK(describe(query(history, by_alertname("B"))) == std::vector<std::string>{"B/h1 pending"});
  CHECK(describe(query(history, both(a_h1, "B"))).empty());
  CHECK(describe(query(history, by_alertname("A", kT0 + 1min))) ==
        std::vector<std::string>{"A/h1 firing", "A/h1 inactive"});
  CHECK(query(history, by_alertname("Nope")).empty());
}

TEST_CASE("alert history: limit keeps the most recent, oldest first, ties in insertion order",
          "[storage]") {
  auto db = open_db(":memory:");
  AlertStore store(*db);
  seed(store);
  AlertHistory history(*db);
  CHECK(describe(query(history, by_alertname("A", std::nullopt, 3))) ==
        std::vector<std::string>{"A/h2 pending", "A/h1 firing", "A/h1 inactive"});
  CHECK(describe(query(history, by_alertname("A", std::nullopt, 4))).front() == "A/h1 pending");
  CHECK(query(history, by_alertname("A", std::nullopt, 0)).empty());
}

TEST_CASE("alert history: a query needs a fingerprint or an alertname", "[storage]") {
  auto db = open_db(":memory:");
  auto r = AlertHistory(*db).query([] {
    HistoryQuery q;
    q.since = kT0;
    return q;
  }());
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::kInvalidInput);
}

TEST_CASE("alert history: prune deletes only transitions older than the cutoff", "[storage]") {
  auto db = open_db(":memory:");
  AlertStore store(*db);
  seed(store);
  AlertHistory history(*db);
  CHECK(history.prune(kT0) == 0);
  CHECK(history.prune(kT0 + 2min) == 4);
  CHECK(describe(query(history, by_alertname("A"))) == std::vector<std::string>{"A/h1 inactive"});
  CHECK(history.prune(kT0 + 1h) == 1);
}

TEST_CASE("alert history: rows are readable in the file: JSON labels, states as words",
          "[storage]") {
  TempDir dir;
  {
    auto db = open_db(dir.file("herald.db"));
    AlertStore store(*db);
    REQUIRE(
        store.write(
            {{}, {transition("A", "디스크", kT0, AlertState::kPending, AlertState::kFiring)}}) ==
        1);
  }
  RawDb raw(dir.file("herald.db"));
  CHECK(raw.column("SELECT labels FROM alert_history") ==
        std::vector<std::string>{R"({"alertname":"A","instance":"디스크"})"});
  CHECK(raw.column("SELECT alertname || ' ' || from_state || ' ' || to_state FROM alert_history") ==
        std::vector<std::string>{"A pending firing"});
  CHECK(raw.column("SELECT at FROM alert_history") == std::vector<std::string>{"1700000000123"});
}
