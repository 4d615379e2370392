// JSON shapes of Prometheus's rules API.
#include "server/prometheus_api.h"

#include <nlohmann/json.hpp>

#include "model/go_float.h"
#include "model/time_format.h"

namespace herald::server {
namespace {

using nlohmann::json;

// Label values are not guaranteed UTF-8; invalid bytes become U+FFFD instead of throwing.
std::string to_text(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

double seconds(std::chrono::nanoseconds d) {
  return std::chrono::duration<double>(d).count();
}

json alert_json(const RuleAlert& a) {
  json j = {{"labels", a.labels.to_map()},
            {"annotations", a.annotations},
            {"state", std::string(to_string(a.state))},
            {"activeAt", rfc3339(a.active_at)},
            {"value", format_float(a.value, 'e', -1)}};
  if (a.keep_firing_since) j["keepFiringSince"] = rfc3339(a.keep_firing_since);
  return j;
}

std::vector<const RuleAlert*> active_alerts(const evaluator::RuleStatus& r) {
  std::vector<const RuleAlert*> out;
  for (const RuleAlert& a : r.alerts) {
    if (a.state != AlertState::kInactive) out.push_back(&a);
  }
  return out;
}

json rule_json(const evaluator::RuleStatus& r) {
  json j = {{"name", r.name},
            {"query", r.query},
            {"health", evaluator::to_string(r.health)},
            {"evaluationTime", seconds(r.evaluation_time)},
            {"lastEvaluation", rfc3339(r.last_evaluation)},
            {"type", r.alerting ? "alerting" : "recording"}};
  if (!r.last_error.empty()) j["lastError"] = r.last_error;
  if (!r.alerting) {
    if (!r.labels.empty()) j["labels"] = r.labels;
    return j;
  }
  AlertState state = AlertState::kInactive;
  json alerts = json::array();
  for (const RuleAlert* a : active_alerts(r)) {
    alerts.push_back(alert_json(*a));
    if (a->state > state) state = a->state;
  }
  j["state"] = std::string(to_string(state));
  j["duration"] = seconds(r.hold);
  j["keepFiringFor"] = seconds(r.keep_firing_for);
  j["labels"] = r.labels;
  j["annotations"] = r.annotations;
  j["alerts"] = std::move(alerts);
  return j;
}

bool selected(const evaluator::RuleStatus& r, const RulesFilter& f) {
  if (f.alerting && *f.alerting != r.alerting) return false;
  return f.rule_names.empty() || f.rule_names.contains(r.name);
}

}  // namespace

std::string rfc3339(std::optional<WallTime> t) {
  return t ? format_rfc3339(*t) : "0001-01-01T00:00:00Z";
}

std::optional<std::string> parse_rule_type(const std::string& type, RulesFilter& filter) {
  std::string lower;
  for (char c : type)
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.empty()) return std::nullopt;
  if (lower == "alert") {
    filter.alerting = true;
  } else if (lower == "record") {
    filter.alerting = false;
  } else {
    return "not supported value \"" + type + "\"";
  }
  return std::nullopt;
}

std::string rules_json(const std::vector<evaluator::GroupStatus>& groups, const RulesFilter& filter,
                       const RulesShard* shard) {
  json out_groups = json::array();
  for (const evaluator::GroupStatus& g : groups) {
    if (!filter.groups.empty() && !filter.groups.contains(g.name)) continue;
    if (!filter.files.empty() && !filter.files.contains(g.file)) continue;
    json rules = json::array();
    for (const evaluator::RuleStatus& r : g.rules) {
      if (selected(r, filter)) rules.push_back(rule_json(r));
    }
    if (rules.empty() && !g.rules.empty()) continue;  // everything filtered out
    out_groups.push_back({{"name", g.name},
                          {"file", g.file},
                          {"rules", std::move(rules)},
                          {"interval", seconds(g.interval)},
                          {"limit", g.limit},
                          {"evaluationTime", seconds(g.evaluation_time)},
                          {"lastEvaluation", rfc3339(g.last_evaluation)}});
  }
  json data{{"groups", std::move(out_groups)}};
  if (shard != nullptr && shard->shard.sharded()) {
    json elsewhere = json::array();
    for (const evaluator::GroupElsewhere& g : shard->elsewhere) {
      if (!filter.groups.empty() && !filter.groups.contains(g.name)) continue;
      if (!filter.files.empty() && !filter.files.contains(g.file)) continue;
      elsewhere.push_back({{"name", g.name},
                           {"file", g.file},
                           {"shard", evaluator::Shard{g.shard, shard->shard.count}.str()}});
    }
    data["shard"] = shard->shard.str();
    data["groupsElsewhere"] = std::move(elsewhere);
  }
  return to_text(json{{"status", "success"}, {"data", std::move(data)}});
}

std::string alerts_json(const std::vector<evaluator::GroupStatus>& groups) {
  json alerts = json::array();
  for (const evaluator::GroupStatus& g : groups) {
    for (const evaluator::RuleStatus& r : g.rules) {
      for (const RuleAlert* a : active_alerts(r))
        alerts.push_back(alert_json(*a));
    }
  }
  return to_text(json{{"status", "success"}, {"data", {{"alerts", std::move(alerts)}}}});
}

std::string api_error_json(const std::string& type, const std::string& message) {
  return to_text(json{{"status", "error"}, {"errorType", type}, {"error", message}});
}

}  // namespace herald::server
