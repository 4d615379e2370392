// The flush pipeline's stages on their own, as tables: time intervals mute a route, inhibited and
// silenced alerts leave a flush, and dedup turns the log's and the outbox's state into nothing, a
// log write, or an outbox item. The whole Router runs them in tests/scenarios/router/*.yml.
#include "router/pipeline.h"

#include <catch2/catch.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "router/dedup.h"
#include "router/notification_codec.h"
#include "tests/router/route_builders.h"

namespace herald::router {
namespace {

namespace cfg = herald::config;
namespace st = herald::storage;
using testing::ms;
using testing::route;
using Action = DedupStep::Action;
using namespace std::chrono_literals;

// Monday 2026-01-05 00:00:00 UTC.
const WallTime kT0 = WallTime{} + std::chrono::seconds(1767571200);
const WallTime kNow = kT0 + 12h;

Alert alert(const std::string& instance, WallTime ends = WallTime{}, const char* name = "A") {
  Alert a;
  a.labels = LabelSet{{"alertname", name}, {"instance", instance}, {"severity", "warning"}};
  a.starts_at = kT0;
  a.ends_at = ends;
  return a;
}

std::vector<std::string> instances(const std::vector<Alert>& alerts) {
  std::vector<std::string> out;
  for (const Alert& a : alerts)
    out.emplace_back(a.labels.get("instance"));
  return out;
}

cfg::TimeInterval interval(std::string name, int from_hour, int to_hour, bool weekdays = false) {
  cfg::TimeIntervalSpec spec;
  spec.times.push_back({from_hour * 60, to_hour * 60});
  if (weekdays) spec.weekdays.push_back({1, 5});
  return cfg::TimeInterval{std::move(name), {spec}, {}};
}

}  // namespace

TEST_CASE("pipeline: time intervals mute a route inside mute intervals and outside active ones",
          "[router][pipeline]") {
  struct Row {
    const char* what;
    std::vector<std::string> mute, active;
    herald::Duration at;  // after Monday 00:00 UTC
    bool want;
  };
  const Row row = GENERATE(values<Row>({
      {"no intervals: never muted", {}, {}, 3h, false},
      {"inside a mute interval", {"night"}, {}, 3h, true},
      {"a mute interval ends before its end time", {"night"}, {}, 6h, false},
      {"inside an active interval", {}, {"business"}, 10h, false},
      {"outside every active interval", {}, {"business"}, 18h, true},
      {"on a weekend, outside the active weekdays", {}, {"business"}, 5 * 24h + 10h, true},
      {"one of several active intervals suffices", {}, {"business", "night"}, 3h, false},
      {"muted wins over active", {"night"}, {"night"}, 3h, true},
      {"an unknown mute name is ignored", {"missing"}, {}, 3h, false},
      {"active names all unknown: not muted", {}, {"missing"}, 18h, false},
  }));
  INFO(row.what);
  cfg::RoutingConfig routing;
  routing.time_intervals = {interval("night", 0, 6), interval("business", 9, 17, true)};
  cfg::RouteConfig child = route("db", "team=\"db\"");
  child.mute_time_intervals = row.mute;
  child.active_time_intervals = row.active;
  auto root = Route::build(route("team", "", {child}));
  const Route& db = *root->routes()[0];
  CHECK(time_muted(db, routing, kT0 + row.at) == row.want);
  CHECK_FALSE(time_muted(*root, routing, kT0 + row.at));  // intervals are not inherited
}

TEST_CASE("pipeline: inhibited alerts leave the flush, firing and resolved alike",
          "[router][pipeline]") {
  cfg::InhibitRule rule;
  rule.source_matchers = ms(R"(severity="critical")");
  rule.target_matchers = ms(R"(severity="warning")");
  rule.equal = {"instance"};
  Inhibitor inhibitor({rule});
  Alert source = alert("db-1", kNow + 1h, "Down");
  source.labels.set("severity", "critical");
  inhibitor.observe(source);

  auto root = Route::build(route("team"));
  const Flush flush{root.get(),
                    "{}:{}",
                    {},
                    kNow,
                    {source, alert("db-1"), alert("db-2")},
                    {alert("db-1", kNow - 1min, "B")}};
  const Flush inhibited = drop_inhibited(flush, inhibitor, kNow);
  CHECK(instances(inhibited.firing) == std::vector<std::string>{"db-1", "db-2"});
  CHECK(inhibited.firing[0].labels == source.labels);  // a source does not inhibit itself
  CHECK(inhibited.resolved.empty());
  CHECK(inhibited.group_key == flush.group_key);

  // Once the source has resolved, nothing is inhibited.
  const Flush later = drop_inhibited(flush, inhibitor, kNow + 2h);
  CHECK(later.firing.size() == 3);
  CHECK(later.resolved.size() == 1);
}

TEST_CASE("pipeline: silenced alerts leave the flush while the silence is active",
          "[router][pipeline]") {
  struct Row {
    const char* what;
    WallTime at;
    std::vector<std::string> firing, resolved;
  };
  const Row row = GENERATE(values<Row>({
      {"pending", kNow - 1s, {"db-1", "db-2"}, {"db-1"}},
      {"active from its start", kNow, {"db-2"}, {}},
      {"still active at its end", kNow + 1h, {"db-2"}, {}},
      {"expired", kNow + 1h + 1ms, {"db-1", "db-2"}, {"db-1"}},
  }));
  INFO(row.what);
  Silences silences;
  silences.restore(
      {Silence{"s1", ms(R"(instance="db-1")"), kNow, kNow + 1h, kNow, "alice", "maintenance"}});
  auto root = Route::build(route("team"));
  const Flush flush{root.get(),
                    "{}:{}",
                    {},
                    row.at,
                    {alert("db-1"), alert("db-2")},
                    {alert("db-1", kNow - 1min, "B")}};
  const Flush visible = drop_silenced(flush, silences, row.at);
  CHECK(instances(visible.firing) == row.firing);
  CHECK(instances(visible.resolved) == row.resolved);
}

namespace {

// A log row or a queued item's log, by instance names, `age` before kNow.
struct Logged {
  std::vector<std::string> firing, resolved;
  herald::Duration age{};
};

std::vector<uint64_t> hashes(const std::vector<std::string>& names) {
  std::set<uint64_t> out;
  for (const std::string& n : names)
    out.insert(alert_hash(alert(n).labels));
  return {out.begin(), out.end()};
}

IntegrationLog state_of(const std::optional<Logged>& logged, const std::optional<Logged>& queued) {
  IntegrationLog state;
  if (logged) {
    state.logged = st::NotificationLogRow{kNow - logged->age, hashes(logged->firing),
                                          hashes(logged->resolved), WallTime::max(), "thread-1"};
  }
  if (queued) {
    st::OutboxItem item;
    item.log.firing = hashes(queued->firing);
    item.log.resolved = hashes(queued->resolved);
    item.created_at = kNow - queued->age;
    state.queued = item;
  }
  return state;
}

Flush flush_of(const Route& r, const std::vector<std::string>& firing,
               const std::vector<std::string>& resolved) {
  Flush f{&r, R"({}:{alertname="A"})", LabelSet{{"alertname", "A"}}, kNow, {}, {}};
  for (const std::string& n : firing)
    f.firing.push_back(alert(n));
  for (const std::string& n : resolved)
    f.resolved.push_back(alert(n, kNow - 1min));
  return f;
}

const st::NotificationLogKey kKey{R"({}:{alertname="A"})", "team", "webhook", 0};

}  // namespace

TEST_CASE("pipeline: dedup decides against the queued notification before the logged one",
          "[router][pipeline]") {
  struct Row {
    const char* what;
    std::optional<Logged> logged, queued;
    std::vector<std::string> firing, resolved;
    bool send_resolved;
    Action want;
  };
  const std::nullopt_t none = std::nullopt;
  const Row row = GENERATE_COPY(values<Row>({
      {"a first notification is enqueued", none, none, {"a"}, {}, false, Action::kEnqueue},
      {"only resolved alerts, nothing logged", none, none, {}, {"a"}, true, Action::kNone},
      {"the same firing alerts, logged recently",
       Logged{{"a"}, {}, 1min},
       none,
       {"a"},
       {},
       false,
       Action::kNone},
      {"the same firing alerts after repeat_interval",
       Logged{{"a"}, {}, 4h + 1ms},
       none,
       {"a"},
       {},
       false,
       Action::kEnqueue},
      {"a new firing alert",
       Logged{{"a"}, {}, 1min},
       none,
       {"a", "b"},
       {},
       false,
       Action::kEnqueue},
      {"all resolved, send_resolved",
       Logged{{"a"}, {}, 1min},
       none,
       {},
       {"a"},
       true,
       Action::kEnqueue},
      {"all resolved without send_resolved: the log forgets the firing set",
       Logged{{"a"}, {}, 1min},
       none,
       {},
       {"a"},
       false,
       Action::kLog},
      {"every alert muted: the log forgets the firing set",
       Logged{{"a"}, {}, 1min},
       none,
       {},
       {},
       true,
       Action::kLog},
      {"the same alerts already queued are not superseded",
       none,
       Logged{{"a"}, {}, 10s},
       {"a"},
       {},
       false,
       Action::kNone},
      {"the queue counts, not an older log entry",
       Logged{{"a"}, {}, 5h},
       Logged{{"a"}, {}, 10s},
       {"a"},
       {},
       false,
       Action::kNone},
      {"queued before repeat_interval: superseded",
       none,
       Logged{{"a"}, {}, 4h + 1ms},
       {"a"},
       {},
       false,
       Action::kEnqueue},
      {"a new alert supersedes the queued notification",
       none,
       Logged{{"a"}, {}, 10s},
       {"a", "b"},
       {},
       false,
       Action::kEnqueue},
  }));
  INFO(row.what);
  auto root = Route::build(route("team"));  // repeat_interval 4h
  const DedupStep step = dedup(flush_of(*root, row.firing, row.resolved), kKey, row.send_resolved,
                               state_of(row.logged, row.queued), kNow);
  CHECK(step.action == row.want);
}

TEST_CASE("pipeline: dedup's outbox item holds what is sent and what its delivery logs",
          "[router][pipeline]") {
  auto root = Route::build(route("team"));
  const DedupStep step =
      dedup(flush_of(*root, {"a"}, {"c"}), kKey, /*send_resolved=*/false, {}, kNow);
  REQUIRE(step.action == Action::kEnqueue);
  CHECK(step.item.key == kKey);
  CHECK(step.item.created_at == kNow);
  CHECK(step.item.next_attempt_at == kNow);
  auto sent = decode_notification(step.item.payload);
  REQUIRE(sent);
  CHECK(sent->receiver == "team");
  CHECK(sent->group_key == kKey.group_key);
  CHECK(sent->group_labels == LabelSet{{"alertname", "A"}});
  CHECK(instances(sent->firing) == std::vector<std::string>{"a"});
  CHECK(sent->resolved.empty());  // no send_resolved: not sent, but logged
  CHECK(step.item.log.firing == hashes({"a"}));
  CHECK(step.item.log.resolved == hashes({"c"}));
  CHECK(step.item.log.expires_at == kNow + 8h);  // twice the repeat interval
}

TEST_CASE("pipeline: a log-only step keeps the integration's data", "[router][pipeline]") {
  auto root = Route::build(route("team"));
  const DedupStep step = dedup(flush_of(*root, {}, {"a"}), kKey, /*send_resolved=*/false,
                               state_of(Logged{{"a"}, {}, 1min}, std::nullopt), kNow);
  REQUIRE(step.action == Action::kLog);
  CHECK(step.log.at == kNow);
  CHECK(step.log.firing.empty());
  CHECK(step.log.resolved == hashes({"a"}));
  CHECK(step.log.data == "thread-1");  // a Slack thread or PagerDuty key carries over
}

}  // namespace herald::router
