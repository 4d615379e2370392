// HeraldStorageFailing: fires while writes keep failing for a minute, or while a delivered
// notification is unrecorded; resolves when storage is back.
#include "evaluator/storage_health.h"

#include <catch2/catch.hpp>

#include "evaluator/meta_alerts.h"

namespace ev = herald::evaluator;
using herald::AlertState;
using herald::WallTime;
using Totals = herald::storage::Database::Counters;
using namespace std::chrono_literals;

namespace {
const WallTime kT0 = WallTime{} + 1'699'999'980s;
}

TEST_CASE("storage health: failures start a spell, commits alone end it, quiet changes nothing",
          "[evaluator]") {
  ev::StorageHealth h;
  h.observe(kT0, {10, 40, 0});
  CHECK_FALSE(h.failing_since());
  h.observe(kT0 + 10s, {10, 40, 1});
  CHECK(h.failing_since() == kT0 + 10s);
  h.observe(kT0 + 20s, {12, 45, 3});  // some writes commit while others fail: still failing
  CHECK(h.failing_since() == kT0 + 10s);
  h.observe(kT0 + 30s, {12, 45, 3});  // nothing written at all
  CHECK(h.failing_since() == kT0 + 10s);
  h.observe(kT0 + 40s, {13, 46, 3});  // a commit and no failure
  CHECK_FALSE(h.failing_since());
}

TEST_CASE("storage health: the samples and their thresholds", "[evaluator]") {
  using S = std::vector<herald::evaluator::QuerySample>;
  CHECK(ev::storage_failure_samples(std::nullopt, std::nullopt, kT0).empty());
  CHECK(ev::storage_failure_samples(kT0 - 59s, std::nullopt, kT0).empty());
  const S writes = ev::storage_failure_samples(kT0 - 1min, std::nullopt, kT0);
  REQUIRE(writes.size() == 1);
  CHECK(writes[0].labels == herald::LabelSet{{"cause", "write_failures"}});
  CHECK(writes[0].value == 60);
  // One unrecorded notification is enough, at once: it is a delivery herald cannot account for.
  const S unrecorded = ev::storage_failure_samples(kT0 - 5s, kT0 - 2s, kT0);
  REQUIRE(unrecorded.size() == 1);
  CHECK(unrecorded[0].labels == herald::LabelSet{{"cause", "unrecorded_notifications"}});
  CHECK(unrecorded[0].value == 2);
  CHECK(ev::storage_failure_samples(kT0 - 2min, kT0 - 1s, kT0).size() == 2);
}

TEST_CASE("storage health: HeraldStorageFailing fires and resolves", "[evaluator]") {
  herald::FakeClock clock(kT0);
  std::optional<WallTime> unrecorded_since;
  ev::GroupEvaluator meta(ev::kMetaGroupFile, ev::meta_alert_group(), {10s, 1min, {}, "", ""},
                          ev::meta_alert_query({}, {},
                                               [&](WallTime ts) {
                                                 return ev::storage_failure_samples(
                                                     std::nullopt, unrecorded_since, ts);
                                               }),
                          clock);
  CHECK(meta.evaluate(kT0).transitions.empty());

  unrecorded_since = kT0 + 5s;
  auto fired = meta.evaluate(kT0 + 10s);
  REQUIRE(fired.transitions.size() == 2);  // for 0: pending then firing at once
  CHECK(fired.transitions[1].transition.to == AlertState::kFiring);
  REQUIRE(fired.to_send.size() == 1);
  CHECK(fired.to_send[0].labels.get("alertname") == "HeraldStorageFailing");
  CHECK(fired.to_send[0].labels.get("cause") == "unrecorded_notifications");
  CHECK(fired.to_send[0].labels.get("severity") == "critical");
  CHECK(fired.to_send[0].annotations.at("description").find("failing for 5s") != std::string::npos);

  unrecorded_since.reset();
  auto resolved = meta.evaluate(kT0 + 20s);
  REQUIRE(resolved.transitions.size() == 1);
  CHECK(resolved.transitions[0].transition.to == AlertState::kInactive);
}
