// Runs every tests/scenarios/alerting/*.yml through the alert state machine. A scenario is a rule
// timing plus steps; each step feeds samples at a time and states the complete expected alert
// map, the transitions and (optionally) the error and the alerts sent. Times are offsets from T0.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <catch2/catch.hpp>

#include "evaluator/alert_state_machine.h"
#include "tests/scenarios/scenario_files.h"

namespace ev = herald::evaluator;
using herald::AlertState;
using herald::LabelSet;
using herald::WallTime;

namespace {

const WallTime kT0 = WallTime{} + std::chrono::hours(24 * 365 * 56);  // ~2026

WallTime at(const YAML::Node& n) {
  return kT0 + herald::parse_duration(n.as<std::string>()).value();
}

// Scenario labels omit alertname; the rule adds it, as Prometheus does.
LabelSet labels_of(const YAML::Node& n) {
  LabelSet ls{{"alertname", "TestAlert"}};
  for (const auto& kv : n)
    ls.set(kv.first.as<std::string>(), kv.second.as<std::string>());
  return ls;
}

void check_optional_time(const YAML::Node& want, const std::optional<WallTime>& got,
                         const char* field) {
  INFO(field);
  if (!want) return;
  if (want.IsNull() || want.as<std::string>() == "none") {
    CHECK_FALSE(got.has_value());
  } else {
    REQUIRE(got.has_value());
    CHECK(*got == at(want));
  }
}

void check_alerts(const YAML::Node& want, const ev::AlertMap& got) {
  REQUIRE(want.size() == got.size());
  for (const auto& w : want) {
    const LabelSet ls = labels_of(w["labels"]);
    INFO("alert " << ls.to_string());
    auto it = got.find(ls.fingerprint());
    REQUIRE(it != got.end());
    const herald::RuleAlert& a = it->second;
    CHECK(to_string(a.state) == w["state"].as<std::string>());
    if (w["active_at"]) CHECK(a.active_at == at(w["active_at"]));
    if (w["value"]) CHECK(a.value == w["value"].as<double>());
    if (w["summary"]) CHECK(a.annotations.at("summary") == w["summary"].as<std::string>());
    check_optional_time(w["fired_at"], a.fired_at, "fired_at");
    check_optional_time(w["resolved_at"], a.resolved_at, "resolved_at");
    check_optional_time(w["keep_firing_since"], a.keep_firing_since, "keep_firing_since");
    check_optional_time(w["last_sent_at"], a.last_sent_at, "last_sent_at");
    check_optional_time(w["valid_until"], a.valid_until, "valid_until");
  }
}

void check_transitions(const YAML::Node& want, const std::vector<ev::Transition>& got) {
  std::vector<std::string> want_s, got_s;
  for (const auto& w : want) {
    want_s.push_back(labels_of(w["labels"]).to_string() + " " + w["from"].as<std::string>() + "->" +
                     w["to"].as<std::string>());
  }
  for (const auto& t : got) {
    got_s.push_back(t.labels.to_string() + " " + std::string(to_string(t.from)) + "->" +
                    std::string(to_string(t.to)));
  }
  std::sort(want_s.begin(), want_s.end());
  std::sort(got_s.begin(), got_s.end());
  CHECK(got_s == want_s);
}

std::vector<ev::ResultSample> samples_of(const YAML::Node& n) {
  std::vector<ev::ResultSample> out;
  for (const auto& s : n) {
    ev::ResultSample r{labels_of(s["labels"]), {}, s["value"] ? s["value"].as<double>() : 1.0};
    if (s["summary"]) r.annotations["summary"] = s["summary"].as<std::string>();
    out.push_back(std::move(r));
  }
  return out;
}

void check_sent(const YAML::Node& send, ev::AlertMap& alerts, WallTime ts) {
  const auto delay = herald::parse_duration(send["resend_delay"].as<std::string>("1m")).value();
  const auto interval = herald::parse_duration(send["interval"].as<std::string>("1m")).value();
  std::vector<std::string> got, want;
  for (auto fp : ev::mark_for_sending(alerts, ts, delay, interval)) {
    got.push_back(alerts.at(fp).labels.to_string());
  }
  for (const auto& w : send["alerts"])
    want.push_back(labels_of(w).to_string());
  std::sort(want.begin(), want.end());
  std::sort(got.begin(), got.end());
  CHECK(got == want);
}

void run_step(const YAML::Node& step, const ev::RuleTiming& timing, ev::AlertMap& alerts) {
  const WallTime ts = at(step["at"]);
  ev::StepResult r = ev::step(alerts, samples_of(step["samples"]), timing, ts);
  if (step["error"]) {
    REQUIRE(r.error.has_value());
    CHECK_THAT(*r.error, Catch::Contains(step["error"].as<std::string>()));
  } else {
    CHECK_FALSE(r.error.has_value());
  }
  check_transitions(step["transitions"], r.transitions);
  alerts = std::move(r.alerts);
  if (step["send"]) check_sent(step["send"], alerts, ts);
  check_alerts(step["alerts"], alerts);
}

ev::RuleTiming timing_of(const YAML::Node& rule) {
  return ev::RuleTiming{
      herald::parse_duration(rule["for"].as<std::string>("0s")).value(),
      herald::parse_duration(rule["keep_firing_for"].as<std::string>("0s")).value(),
      rule["limit"].as<int>(0)};
}

}  // namespace

TEST_CASE("alert state machine: scenarios", "[evaluator][scenarios]") {
  const auto scenarios = herald::testing::load_scenarios("alerting");
  for (const auto& [name, sc] : scenarios) {
    SECTION(name) {
      const ev::RuleTiming timing = timing_of(sc["rule"]);
      ev::AlertMap alerts;
      int n = 0;
      for (const auto& step : sc["steps"]) {
        INFO("step " << n++ << " at " << step["at"].as<std::string>());
        REQUIRE(step["transitions"]);  // every step states its expectations in full
        REQUIRE(step["alerts"]);
        run_step(step, timing, alerts);
      }
      REQUIRE(n > 0);
    }
  }
  CHECK(scenarios.size() >= 30);
}
