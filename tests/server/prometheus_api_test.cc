// /api/v1/rules and /api/v1/alerts bodies: Prometheus's field names, value and time formats,
// filters, and which alerts are listed.
#include "server/prometheus_api.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace ev = herald::evaluator;
using herald::AlertState;
using herald::WallTime;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const WallTime kT0 = WallTime{} + 1'777'636'800s + 123ms;  // 2026-05-01T12:00:00.123Z

std::vector<ev::GroupStatus> sample_groups() {
  herald::RuleAlert firing{{{"alertname", "HighErrorRate"}, {"model", "llama3-8b"}},
                           {{"summary", "7.23%"}},
                           AlertState::kFiring,
                           0.0723,
                           kT0,
                           kT0 + 5min,
                           {},
                           {},
                           {},
                           {}};
  herald::RuleAlert resolved = firing;
  resolved.labels.set("model", "mistral-7b");
  resolved.state = AlertState::kInactive;
  resolved.resolved_at = kT0 + 10min;
  ev::RuleStatus alerting{true,
                          "HighErrorRate",
                          "error_ratio > 0.05",
                          5min,
                          0s,
                          {{"severity", "critical"}},
                          {{"summary", "{{ $value }}"}},
                          {firing, resolved},
                          ev::RuleHealth::kOk,
                          "",
                          kT0 + 10min,
                          1500us,
                          2};
  ev::RuleStatus recording{false, "job:up", "sum(up)", 0s, 0s, {}, {}, {}, ev::RuleHealth::kUnknown,
                           "",    {},       0s,        0};
  return {ev::GroupStatus{
      "llm-serving", "rules/llm.yml", 30s, 0, kT0 + 10min, 2ms, {alerting, recording}}};
}

}  // namespace

TEST_CASE("prometheus api: rules in Prometheus's exact shape", "[app]") {
  const json j = json::parse(herald::server::rules_json(sample_groups(), {}));
  CHECK(j["status"] == "success");
  const json& g = j["data"]["groups"][0];
  CHECK(g["name"] == "llm-serving");
  CHECK(g["file"] == "rules/llm.yml");
  CHECK(g["interval"] == 30);
  CHECK(g["limit"] == 0);
  CHECK(g["lastEvaluation"] == "2026-05-01T12:10:00.123Z");
  const json& r = g["rules"][0];
  CHECK(r["type"] == "alerting");
  CHECK(r["state"] == "firing");
  CHECK(r["duration"] == 300);
  CHECK(r["keepFiringFor"] == 0);
  CHECK(r["health"] == "ok");
  CHECK_FALSE(r.contains("lastError"));  // omitempty
  CHECK(r["evaluationTime"] == 0.0015);
  REQUIRE(r["alerts"].size() == 1);  // resolved alerts are not listed
  const json& a = r["alerts"][0];
  CHECK(a["value"] == "7.23e-02");
  CHECK(a["activeAt"] == "2026-05-01T12:00:00.123Z");
  CHECK_FALSE(a.contains("keepFiringSince"));
  CHECK(a["labels"] == json{{"alertname", "HighErrorRate"}, {"model", "llama3-8b"}});
  const json& rec = g["rules"][1];
  CHECK(rec["type"] == "recording");
  CHECK(rec["lastEvaluation"] == "0001-01-01T00:00:00Z");
  CHECK_FALSE(rec.contains("labels"));  // omitempty for recording rules
  CHECK_FALSE(rec.contains("alerts"));
}

TEST_CASE("prometheus api: filters by type, name, group and file", "[app]") {
  herald::server::RulesFilter f;
  REQUIRE_FALSE(herald::server::parse_rule_type("record", f));
  json j = json::parse(herald::server::rules_json(sample_groups(), f));
  REQUIRE(j["data"]["groups"][0]["rules"].size() == 1);
  CHECK(j["data"]["groups"][0]["rules"][0]["name"] == "job:up");

  herald::server::RulesFilter by_name{std::nullopt, {"Nope"}, {}, {}};
  j = json::parse(herald::server::rules_json(sample_groups(), by_name));
  CHECK(j["data"]["groups"].empty());  // a group whose rules were all filtered out is omitted

  herald::server::RulesFilter by_file{std::nullopt, {}, {}, {"other.yml"}};
  CHECK(
      json::parse(herald::server::rules_json(sample_groups(), by_file))["data"]["groups"].empty());

  herald::server::RulesFilter bad;
  CHECK(herald::server::parse_rule_type("alerts", bad) == "not supported value \"alerts\"");
}

TEST_CASE("prometheus api: alerts lists only pending and firing alerts", "[app]") {
  const json j = json::parse(herald::server::alerts_json(sample_groups()));
  REQUIRE(j["data"]["alerts"].size() == 1);
  CHECK(j["data"]["alerts"][0]["state"] == "firing");
  CHECK(j["data"]["alerts"][0]["annotations"]["summary"] == "7.23%");
}
