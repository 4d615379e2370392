// Runs every tests/scenarios/routing/*.yml through the dispatcher and the dedup decision, keeping
// the notification log as the router will: written only after a successful send.
//
// A scenario is a routing tree, each receiver's send_resolved (default true), and steps at times
// (offsets from T0; starts/ends may be negative). A step ingests alerts, takes the due flushes and
// states them all: receiver, group key, firing and resolved label sets, the notify reason and
// whether anything is delivered (`send: fail` scripts a failed send).
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <sstream>

#include "config/routing.h"
#include "model/matcher.h"
#include "router/dedup.h"
#include "router/dispatcher.h"
#include "router/route.h"
#include "tests/router/scenario_yaml.h"
#include "tests/scenarios/scenario_files.h"

namespace rt = herald::router;
using herald::Alert;
using herald::LabelSet;
using herald::WallTime;

namespace {

const WallTime kT0 = WallTime{} + std::chrono::hours(24 * 365 * 56);  // ~2026

herald::Duration duration(const YAML::Node& n) {
  return herald::parse_duration(n.as<std::string>()).value();
}

WallTime at(const YAML::Node& n) {
  return herald::router::testing::at(n, kT0);
}

using herald::router::testing::labels_of;

// The route fields the dispatcher depends on, read as config/ loads them (`group_by: []` is
// absent, as in Alertmanager's config.go).
herald::config::RouteConfig route_of(const YAML::Node& n) {
  herald::config::RouteConfig r;
  if (n["receiver"]) r.receiver = n["receiver"].as<std::string>();
  if (n["group_by"] && n["group_by"].size() > 0) {
    r.group_by = n["group_by"].as<std::vector<std::string>>();
  }
  r.continue_ = n["continue"].as<bool>(false);
  for (const auto& m : n["matchers"])
    r.matchers.push_back(herald::parse_matcher(m.as<std::string>()).value());
  if (n["group_wait"]) r.group_wait = duration(n["group_wait"]);
  if (n["group_interval"]) r.group_interval = duration(n["group_interval"]);
  if (n["repeat_interval"]) r.repeat_interval = duration(n["repeat_interval"]);
  for (const auto& child : n["routes"])
    r.routes.push_back(route_of(child));
  return r;
}

Alert alert_of(const YAML::Node& n, WallTime now) {
  Alert a;
  a.labels = labels_of(n["labels"]);
  a.starts_at = n["starts"] ? at(n["starts"]) : now;
  if (n["ends"]) a.ends_at = at(n["ends"]);
  if (n["summary"]) a.annotations["summary"] = n["summary"].as<std::string>();
  return a;
}

std::string label_sets(std::vector<std::string> sets) {
  std::sort(sets.begin(), sets.end());
  std::string out = "[";
  for (const auto& s : sets)
    out += (out.size() > 1 ? " " : "") + s;
  return out + "]";
}

std::string label_sets(const std::vector<Alert>& alerts) {
  std::vector<std::string> sets;
  for (const Alert& a : alerts)
    sets.push_back(a.labels.to_string());
  return label_sets(sets);
}

std::string label_sets(const YAML::Node& n) {
  std::vector<std::string> sets;
  for (const auto& ls : n)
    sets.push_back(labels_of(ls).to_string());
  return label_sets(sets);
}

std::string describe(const std::string& receiver, const std::string& key, const std::string& firing,
                     const std::string& resolved, const std::string& reason, bool deliver) {
  return receiver + " " + key + " firing=" + firing + " resolved=" + resolved +
         " notify=" + reason + " deliver=" + (deliver ? "yes" : "no");
}

std::string describe_expected(const YAML::Node& f) {
  const std::string reason = f["notify"].as<std::string>();
  return describe(f["receiver"].as<std::string>(), f["key"].as<std::string>(),
                  label_sets(f["firing"]), label_sets(f["resolved"]), reason,
                  f["deliver"].as<bool>(reason != "none"));
}

class Driver {
 public:
  explicit Driver(const YAML::Node& sc)
      : root_(rt::Route::build(route_of(sc["route"]), rt::RouteDefaults{})), dispatcher_(*root_) {
    for (const auto& kv : sc["receivers"]) {
      send_resolved_[kv.first.as<std::string>()] = kv.second["send_resolved"].as<bool>(true);
    }
  }

  void run_step(const YAML::Node& step) {
    const WallTime now = at(step["at"]);
    const auto pending = dispatcher_.next_deadline();
    INFO("the earliest deadline before this step was T0+" << seconds(pending));
    REQUIRE((!pending || *pending >= now));  // the scenario skipped a flush otherwise
    ingest(step["alerts"], now);
    const std::vector<rt::Flush> flushes = dispatcher_.take_due(now);
    std::vector<rt::FlushDecision> decisions;
    for (const rt::Flush& f : flushes)
      decisions.push_back(decide(f, now));
    check_flushes(step["flushes"], flushes, decisions);
    ingest(step["while_sending"], now);
    std::set<std::string> failing;  // "receiver key" of the flushes whose send fails
    for (const auto& f : step["flushes"]) {
      if (f["send"].as<std::string>("ok") != "ok") failing.insert(describe_id(f));
    }
    for (size_t i = 0; i < flushes.size(); ++i) {
      const bool send_ok =
          !failing.count(flushes[i].route->receiver() + " " + flushes[i].group_key);
      finish(flushes[i], decisions[i], send_ok, now);
    }
    check_after(step);
  }

 private:
  static std::string describe_id(const YAML::Node& f) {
    return f["receiver"].as<std::string>() + " " + f["key"].as<std::string>();
  }

  void ingest(const YAML::Node& alerts, WallTime now) {
    for (const auto& a : alerts)
      dispatcher_.ingest(alert_of(a, now), now);
  }

  static void check_flushes(const YAML::Node& want_flushes, const std::vector<rt::Flush>& flushes,
                            const std::vector<rt::FlushDecision>& decisions) {
    std::vector<std::string> got, want;
    for (const auto& f : want_flushes)
      want.push_back(describe_expected(f));
    for (size_t i = 0; i < flushes.size(); ++i) {
      const rt::Flush& f = flushes[i];
      got.push_back(describe(f.route->receiver(), f.group_key, label_sets(f.firing),
                             label_sets(f.resolved), std::string(to_string(decisions[i].reason)),
                             decisions[i].deliver()));
    }
    std::sort(got.begin(), got.end());
    std::sort(want.begin(), want.end());
    CHECK(got == want);
  }

  static std::string seconds(const std::optional<WallTime>& t) {
    if (!t) return "none";
    return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(*t - kT0).count()) + "s";
  }

  rt::FlushDecision decide(const rt::Flush& f, WallTime now) {
    const std::string& receiver = f.route->receiver();
    auto it = log_.find({f.group_key, receiver});
    std::optional<rt::NotificationLogEntry> entry;
    if (it != log_.end()) entry = it->second;
    auto sr = send_resolved_.find(receiver);
    return rt::decide(f, entry, sr == send_resolved_.end() || sr->second, now);
  }

  // A flush that does not notify succeeds without a send, as Alertmanager's pipeline does.
  void finish(const rt::Flush& f, const rt::FlushDecision& d, bool send_ok, WallTime now) {
    const bool success = !d.deliver() || send_ok;
    if (d.notify() && success) log_[{f.group_key, f.route->receiver()}] = d.log_entry(now);
    dispatcher_.flushed(f, success);
  }

  void check_after(const YAML::Node& step) {
    if (step["next_flush"]) {
      const std::string want = step["next_flush"].as<std::string>();
      const auto got = dispatcher_.next_deadline();
      if (want == "none") {
        CHECK(seconds(got) == "none");
      } else {
        CHECK(seconds(got) == seconds(at(step["next_flush"])));
      }
    }
    if (step["groups"]) CHECK(dispatcher_.group_count() == step["groups"].as<size_t>());
  }

  std::unique_ptr<rt::Route> root_;
  rt::Dispatcher dispatcher_;
  std::map<std::string, bool> send_resolved_;
  std::map<std::pair<std::string, std::string>, rt::NotificationLogEntry> log_;
};

}  // namespace

TEST_CASE("dispatcher: routing scenarios", "[router][scenarios]") {
  const auto scenarios = herald::testing::load_scenarios("routing");
  for (const auto& [name, sc] : scenarios) {
    SECTION(name) {
      Driver driver(sc);
      int n = 0;
      for (const auto& step : sc["steps"]) {
        INFO("step " << n++ << " at " << step["at"].as<std::string>());
        REQUIRE(step["flushes"]);  // every step states its flushes in full
        driver.run_step(step);
      }
      REQUIRE(n > 0);
    }
  }
  CHECK(scenarios.size() >= 12);
}
