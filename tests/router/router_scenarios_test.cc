// Runs every tests/scenarios/router/*.yml through the whole Router — silences, inhibition, mute and
// active time intervals, dedup against the notification log and the outbox — on a real SQLite
// file and a scripted clock. Unlike the dispatcher scenarios (tests/scenarios/routing), what is
// asserted is what reaches the outbox: the notifications a receiver would get.
//
// A scenario has `config:` (herald.yml text: route, receivers with webhook_configs,
// inhibit_rules, time_intervals) and steps at times (offsets from T0, or RFC 3339 with `time:`).
// A step may `restart` (reopen the router on the same database) or `reload` (new herald.yml text),
// receive `alerts`, set `silences` (named, so later steps can `expire` them), then runs the due
// flushes and states the `notifications` enqueued — each then delivered, unless the step says
// `deliver: fail` (the delivery is given up, so the log stays as it was) or `deliver: hold` (it
// stays in the outbox, as one in flight or waiting for a retry; later steps list it with
// `queued: <when>`).
#include <stdlib.h>
#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <sstream>

#include "config/config.h"
#include "model/matcher.h"
#include "router/notification_codec.h"
#include "router/router.h"
#include "storage/database.h"
#include "storage/outbox.h"
#include "tests/router/scenario_yaml.h"
#include "tests/scenarios/scenario_files.h"

namespace rt = herald::router;
using herald::Alert;
using herald::LabelSet;
using herald::WallTime;

namespace {

struct TempDir {
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "herald-router-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string path;
};

// Monday 2026-01-05 00:00:00 UTC: weekday and time-of-day windows are easy to reason about.
const WallTime kT0 = WallTime{} + std::chrono::seconds(1767571200);

WallTime at(const YAML::Node& n) {
  return herald::router::testing::at(n, kT0);
}

using herald::router::testing::labels_of;

std::string render(const std::vector<Alert>& alerts) {
  std::string out = "[";
  for (const Alert& a : alerts)
    out += (out.size() > 1 ? ", " : "") + a.labels.to_string();
  return out + "]";
}

std::string render_expected(const YAML::Node& list) {
  std::string out = "[";
  for (const auto& n : list)
    out += (out.size() > 1 ? ", " : "") + labels_of(n).to_string();
  return out + "]";
}

rt::RouterSettings settings_from(const std::string& yaml) {
  const herald::config::EnvLookup env = [](std::string_view) {
    return std::optional<std::string>();
  };
  auto loaded = herald::config::parse_config("herald.yml", yaml, env);
  for (const auto& d : loaded.diagnostics)
    INFO(d.to_string());
  REQUIRE(loaded.ok());
  auto config = std::make_shared<herald::config::Config>(std::move(*loaded.value));
  rt::RouterSettings s;
  s.routing = std::shared_ptr<const herald::config::RoutingConfig>(config, &config->routing);
  for (const auto& r : config->routing.receivers) {
    auto& targets = s.receivers[r.name];
    for (size_t i = 0; i < r.webhook_configs.size(); ++i)
      targets.push_back({"webhook", static_cast<int>(i), r.webhook_configs[i].send_resolved});
  }
  s.resolve_timeout = config->global.resolve_timeout;
  return s;
}

// "receiver key firing=[…] resolved=[…]" per notification in the outbox, in outbox order, with
// " queued=<s>" when it was enqueued before `now` (held by an earlier step). Then each is
// delivered, given up (`fail`) or left in the outbox (`hold`: a delivery still in flight).
enum class Delivery { kOk, kFail, kHold };

std::vector<std::string> take_outbox(herald::storage::Outbox& outbox, WallTime now, Delivery how) {
  std::vector<std::string> out;
  auto pending = outbox.pending();
  REQUIRE(pending);
  for (const auto& item : *pending) {
    auto n = rt::decode_notification(item.payload);
    REQUIRE(n);
    std::string line = n->receiver + " " + n->group_key + " firing=" + render(n->firing) +
                       " resolved=" + render(n->resolved);
    if (item.created_at != now) {
      line += " queued=" +
              std::to_string(
                  std::chrono::duration_cast<std::chrono::seconds>(item.created_at - kT0).count());
    }
    out.push_back(std::move(line));
    if (how == Delivery::kFail) {
      REQUIRE(outbox.give_up(item.id));
    } else if (how == Delivery::kOk) {
      REQUIRE(outbox.delivered(item.id, now, ""));
    }
  }
  return out;
}

void run_scenario(const YAML::Node& sc) {
  TempDir dir;
  const std::string path = dir.path + "/herald.db";
  auto db = herald::storage::Database::open(path);
  REQUIRE(db);
  const std::string config_text = sc["config"].as<std::string>();
  auto opened = rt::Router::open(settings_from(config_text), **db, kT0);
  REQUIRE(opened);
  std::unique_ptr<rt::Router> router = std::move(*opened);
  auto outbox = std::make_unique<herald::storage::Outbox>(**db);
  std::map<std::string, std::string> silence_ids;  // scenario name → id
  for (const auto& step : sc["steps"]) {
    const WallTime now = at(step["at"]);
    INFO("step at " << step["at"].as<std::string>());
    if (step["restart"].as<bool>(false)) {
      outbox.reset();
      router.reset();
      db->reset();
      db = herald::storage::Database::open(path);
      REQUIRE(db);
      auto reopened = rt::Router::open(settings_from(config_text), **db, now);
      REQUIRE(reopened);
      router = std::move(*reopened);
      outbox = std::make_unique<herald::storage::Outbox>(**db);
    }
    if (step["reload"]) router->reconfigure(settings_from(step["reload"].as<std::string>()), now);
    std::vector<Alert> alerts;
    for (const auto& a : step["alerts"]) {
      Alert alert;
      alert.labels = labels_of(a["labels"]);
      alert.starts_at = a["starts"] ? at(a["starts"]) : now;
      if (a["ends"]) alert.ends_at = at(a["ends"]);
      alerts.push_back(std::move(alert));
    }
    if (!alerts.empty()) REQUIRE(router->receive(std::move(alerts), now));
    for (const auto& s : step["silences"]) {
      rt::Silence silence;
      silence.matchers = herald::parse_matchers(s["matchers"].as<std::string>()).value();
      silence.starts_at = s["starts"] ? at(s["starts"]) : now;
      silence.ends_at = at(s["ends"]);
      silence.created_by = "test";
      silence.comment = "scenario";
      auto id = router->set_silence(std::move(silence), now);
      REQUIRE(id);
      silence_ids[s["name"].as<std::string>()] = *id;
    }
    for (const auto& e : step["expire"])
      REQUIRE(router->expire_silence(silence_ids.at(e.as<std::string>()), now));
    const rt::FlushReport report = router->flush_due(now);
    for (const auto& e : report.errors)
      FAIL(e.message);
    std::vector<std::string> want;
    for (const auto& n : step["notifications"]) {
      std::string line = n["receiver"].as<std::string>() + " " + n["key"].as<std::string>() +
                         " firing=" + render_expected(n["firing"]) +
                         " resolved=" + render_expected(n["resolved"]);
      if (n["queued"])
        line +=
            " queued=" +
            std::to_string(
                std::chrono::duration_cast<std::chrono::seconds>(at(n["queued"]) - kT0).count());
      want.push_back(std::move(line));
    }
    const std::string deliver = step["deliver"].as<std::string>("ok");
    const Delivery how = deliver == "fail"   ? Delivery::kFail
                         : deliver == "hold" ? Delivery::kHold
                                             : Delivery::kOk;
    CHECK(take_outbox(*outbox, now, how) == want);
    if (step["muted"]) CHECK(report.muted == step["muted"].as<size_t>());
  }
}

}  // namespace

TEST_CASE("router scenarios: tests/scenarios/router/*.yml", "[router][scenario]") {
  const auto scenarios = herald::testing::load_scenarios("router");
  REQUIRE(!scenarios.empty());
  for (const auto& [name, sc] : scenarios) {
    SECTION(name) {
      run_scenario(sc);
    }
  }
}
