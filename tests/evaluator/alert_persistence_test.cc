// What the evaluator persists (rows ∝ changes) and how stored alerts come back at start-up.
#include "evaluator/alert_persistence.h"

#include <algorithm>
#include <catch2/catch.hpp>

namespace ev = herald::evaluator;
namespace st = herald::storage;
using herald::AlertState;
using herald::LabelSet;
using herald::RuleAlert;
using herald::WallTime;
using namespace std::chrono_literals;

namespace {

const WallTime kT0 = WallTime{} + 1'700'000'000s;
const st::RuleKey kRule{"rules.yml", "llm", "HighErrorRate", 0};

RuleAlert alert(const char* model, AlertState state, WallTime active_at) {
  RuleAlert a;
  a.labels = LabelSet{{"alertname", "HighErrorRate"}, {"model", model}};
  a.state = state;
  a.active_at = active_at;
  a.value = 0.1;
  if (state == AlertState::kFiring) a.fired_at = active_at + 1min;
  return a;
}

ev::AlertMap map_of(std::vector<RuleAlert> alerts) {
  ev::AlertMap m;
  for (RuleAlert& a : alerts)
    m.emplace(a.labels.fingerprint(), std::move(a));
  return m;
}

}  // namespace

TEST_CASE("persistence: a new value or annotation alone writes nothing", "[evaluator]") {
  const ev::AlertMap before = map_of({alert("a", AlertState::kFiring, kT0)});
  ev::AlertMap after = before;
  after.begin()->second.value = 0.7;
  after.begin()->second.annotations["summary"] = "now 70%";
  CHECK(ev::alert_changes(kRule, before, after).empty());
}

TEST_CASE("persistence: state, timestamps, sends and deletions are written", "[evaluator]") {
  const RuleAlert a = alert("a", AlertState::kPending, kT0);
  const RuleAlert b = alert("b", AlertState::kFiring, kT0);
  const ev::AlertMap before = map_of({a, b});

  SECTION("a transition writes the alert with its current value") {
    ev::AlertMap after = before;
    RuleAlert& x = after.at(a.labels.fingerprint());
    x.state = AlertState::kFiring;
    x.fired_at = kT0 + 1min;
    x.value = 0.9;
    auto rows = ev::alert_changes(kRule, before, after);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].rule == kRule);
    CHECK(rows[0].fingerprint == a.labels.fingerprint());
    REQUIRE(rows[0].alert);
    CHECK(rows[0].alert->value == 0.9);
  }
  SECTION("a send (LastSentAt, ValidUntil) is written") {
    ev::AlertMap after = before;
    after.at(b.labels.fingerprint()).last_sent_at = kT0 + 2min;
    CHECK(ev::alert_changes(kRule, before, after).size() == 1);
  }
  SECTION("keep_firing_since is written") {
    ev::AlertMap after = before;
    after.at(b.labels.fingerprint()).keep_firing_since = kT0 + 2min;
    CHECK(ev::alert_changes(kRule, before, after).size() == 1);
  }
  SECTION("a vanished alert is deleted, a new one inserted") {
    ev::AlertMap after = map_of({b, alert("c", AlertState::kPending, kT0 + 1min)});
    auto rows = ev::alert_changes(kRule, before, after);
    REQUIRE(rows.size() == 2);
    const auto deleted = std::find_if(rows.begin(), rows.end(), [](auto& r) { return !r.alert; });
    REQUIRE(deleted != rows.end());
    CHECK(deleted->fingerprint == a.labels.fingerprint());
  }
}

TEST_CASE("restore: firing stays firing and pending keeps ActiveAt after a short outage",
          "[evaluator]") {
  const RuleAlert firing = alert("a", AlertState::kFiring, kT0 - 10min);
  RuleAlert sent = firing;
  sent.last_sent_at = kT0 - 30s;
  const RuleAlert pending = alert("b", AlertState::kPending, kT0 - 2min);
  std::vector<st::StoredAlert> stored{{kRule, sent}, {kRule, pending}};
  auto plan = ev::plan_restore(stored, {kRule}, kT0 - 20s, kT0, 1h);
  CHECK(plan.firing == 1);
  CHECK(plan.pending == 1);
  CHECK(plan.restarted.empty());
  REQUIRE(plan.downtime);
  CHECK(*plan.downtime == 20s);
  const ev::AlertMap& m = plan.groups.at({"rules.yml", "llm"}).at({"HighErrorRate", 0});
  CHECK(m.at(firing.labels.fingerprint()).state == AlertState::kFiring);
  CHECK(m.at(firing.labels.fingerprint()).last_sent_at == kT0 - 30s);  // no repeated page
  CHECK(m.at(pending.labels.fingerprint()).active_at == kT0 - 2min);
}

TEST_CASE("restore: after an outage longer than the tolerance pending alerts restart `for`",
          "[evaluator]") {
  const RuleAlert firing = alert("a", AlertState::kFiring, kT0 - 3h);
  const RuleAlert pending = alert("b", AlertState::kPending, kT0 - 2h);
  auto plan = ev::plan_restore({{kRule, firing}, {kRule, pending}}, {kRule}, kT0 - 90min, kT0, 1h);
  const ev::AlertMap& m = plan.groups.at({"rules.yml", "llm"}).at({"HighErrorRate", 0});
  CHECK(m.at(pending.labels.fingerprint()).active_at == kT0);
  CHECK(m.at(firing.labels.fingerprint()).state == AlertState::kFiring);
  CHECK(m.at(firing.labels.fingerprint()).active_at == kT0 - 3h);
  REQUIRE(plan.restarted.size() == 1);  // persisted, so a second restart keeps the new clock
  CHECK(plan.restarted[0].alert->active_at == kT0);

  SECTION("exactly at the tolerance is not longer than it") {
    auto p = ev::plan_restore({{kRule, pending}}, {kRule}, kT0 - 1h, kT0, 1h);
    CHECK(p.restarted.empty());
  }
}

TEST_CASE("restore: alerts of rules that no longer exist are dropped", "[evaluator]") {
  const st::RuleKey gone{"rules.yml", "llm", "Removed", 0};
  const st::RuleKey renumbered{"rules.yml", "llm", "HighErrorRate", 1};
  auto plan = ev::plan_restore({{kRule, alert("a", AlertState::kFiring, kT0)},
                                {gone, alert("b", AlertState::kFiring, kT0)},
                                {renumbered, alert("c", AlertState::kPending, kT0)}},
                               {kRule}, std::nullopt, kT0, 1h);
  CHECK(plan.firing == 1);
  CHECK(plan.dropped_alerts == 2);
  CHECK(plan.dropped == std::vector<st::RuleKey>{renumbered, gone});  // RuleKey order
  CHECK_FALSE(plan.downtime);
}
