// Direct tests of the dispatcher's timers and flush snapshots that the scenario files cannot
// express: flushes in flight, alert order in a flush, replacement by fingerprint.
#include "router/dispatcher.h"

#include <catch2/catch.hpp>

#include "router/route.h"
#include "tests/router/route_builders.h"

namespace rt = herald::router;
using herald::Alert;
using herald::LabelSet;
using herald::WallTime;
using herald::router::testing::route;
using herald::router::testing::with_group_by;
using namespace std::chrono_literals;

namespace {

const WallTime kT0 = WallTime{} + std::chrono::hours(24 * 365 * 56);

Alert alert(LabelSet labels, WallTime starts = kT0) {
  Alert a;
  a.labels = std::move(labels);
  a.starts_at = starts;
  return a;
}

}  // namespace

TEST_CASE("dispatcher: no groups, no deadline", "[router][dispatcher]") {
  auto root = rt::Route::build(route("team"));
  rt::Dispatcher d(*root);
  CHECK_FALSE(d.next_deadline().has_value());
  CHECK(d.take_due(kT0).empty());
}

TEST_CASE("dispatcher: a deadline passing while a flush is in flight fires when it returns",
          "[router][dispatcher]") {
  auto root = rt::Route::build(route("team"));  // group_wait 30s, group_interval 5m
  rt::Dispatcher d(*root);
  d.ingest(alert({{"alertname", "A"}}), kT0);
  std::vector<rt::Flush> first = d.take_due(kT0 + 30s);
  REQUIRE(first.size() == 1);
  // The send is still retrying at the next deadline: nothing is due, nothing to wait for.
  CHECK(d.take_due(kT0 + 5min + 30s).empty());
  CHECK_FALSE(d.next_deadline().has_value());
  d.flushed(first[0], false);
  CHECK(d.next_deadline() == kT0 + 5min + 30s);
  CHECK(d.take_due(kT0 + 6min).size() == 1);
  CHECK(d.next_deadline() == std::nullopt);  // in flight again
}

TEST_CASE("dispatcher: ingest stamps updated_at and replaces the alert by fingerprint",
          "[router][dispatcher]") {
  auto root = rt::Route::build(route("team"));
  rt::Dispatcher d(*root);
  Alert a = alert({{"alertname", "A"}});
  d.ingest(a, kT0);
  a.annotations["summary"] = "second";
  d.ingest(a, kT0 + 10s);
  std::vector<rt::Flush> flushes = d.take_due(kT0 + 30s);
  REQUIRE(flushes.size() == 1);
  REQUIRE(flushes[0].firing.size() == 1);
  CHECK(flushes[0].firing[0].annotations.at("summary") == "second");
  CHECK(flushes[0].firing[0].updated_at == kT0 + 10s);
  CHECK(flushes[0].group_key == "{}:{}");
  CHECK(flushes[0].route == root.get());
}

TEST_CASE("dispatcher: a flush lists alerts in Alertmanager's order", "[router][dispatcher]") {
  auto root = rt::Route::build(route("team"));
  rt::Dispatcher d(*root);
  const std::vector<LabelSet> want = {
      {{"alertname", "A"}, {"job", "api"}, {"instance", "b"}},
      {{"alertname", "A"}, {"job", "api"}, {"instance", "c"}},
      {{"alertname", "A"}, {"job", "db"}},
      {{"alertname", "A"}, {"instance", "a"}},
      {{"zone", "x"}},  // fewer labels first
      // Equal sizes: the first name (in sorted order) that one set lacks puts that set first.
      {{"service", "s"}, {"zone", "x"}},
      {{"alertname", "B"}, {"zone", "x"}},
      {{"alertname", "C"}, {"zone", "x"}},
  };
  for (auto it = want.rbegin(); it != want.rend(); ++it)
    d.ingest(alert(*it), kT0);
  std::vector<rt::Flush> flushes = d.take_due(kT0 + 30s);
  REQUIRE(flushes.size() == 1);
  std::vector<LabelSet> got;
  for (const Alert& a : flushes[0].firing)
    got.push_back(a.labels);
  CHECK(got == want);
}

TEST_CASE("dispatcher: an alert without ends_at is firing", "[router][dispatcher]") {
  CHECK_FALSE(rt::resolved_at(alert({{"a", "b"}}), kT0));
  Alert resolved = alert({{"a", "b"}});
  resolved.ends_at = kT0;
  CHECK(rt::resolved_at(resolved, kT0));
  CHECK_FALSE(rt::resolved_at(resolved, kT0 - 1ms));
}

TEST_CASE("dispatcher: the outcome of a flush for a group that is gone is ignored",
          "[router][dispatcher]") {
  auto root = rt::Route::build(with_group_by(route("team"), {"alertname"}));
  rt::Dispatcher d(*root);
  rt::Flush stray{root.get(), "{}:{alertname=\"X\"}", {{"alertname", "X"}}, kT0, {}, {}};
  d.flushed(stray, true);
  CHECK(d.group_count() == 0);
}

TEST_CASE("dispatcher: groups are listed by key with their alerts", "[router][dispatcher]") {
  auto root = rt::Route::build(with_group_by(route("team"), {"alertname"}));
  rt::Dispatcher d(*root);
  d.ingest(alert({{"alertname", "B"}}), kT0);
  d.ingest(alert({{"alertname", "A"}, {"instance", "1"}}), kT0);
  d.ingest(alert({{"alertname", "A"}, {"instance", "2"}}), kT0);
  const auto groups = d.groups();
  REQUIRE(groups.size() == 2);
  CHECK(groups[0]->key() == "{}:{alertname=\"A\"}");
  CHECK(groups[0]->alerts().size() == 2);
  CHECK(groups[1]->labels() == LabelSet{{"alertname", "B"}});
  CHECK(d.find(*root, "{}:{alertname=\"B\"}") == groups[1]);
  CHECK_FALSE(groups[0]->has_flushed());
}
