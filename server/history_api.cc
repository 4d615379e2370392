// Parameters and JSON of the alert history endpoint.
#include "server/history_api.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "model/go_float.h"
#include "model/time_format.h"
#include "server/prometheus_api.h"

namespace herald::server {

Result<WallTime> parse_api_time(std::string_view text) {
  const std::string s(text);
  char* end = nullptr;
  const double unix = std::strtod(s.c_str(), &end);
  if (!s.empty() && end == s.c_str() + s.size() && std::isfinite(unix)) {
    return WallTime(
        std::chrono::duration_cast<WallTime::duration>(std::chrono::duration<double>(unix)));
  }
  if (auto t = parse_rfc3339(text)) return *t;
  return invalid_input("cannot parse \"" + s + "\" to a valid timestamp");
}

Result<storage::HistoryQuery> parse_history_query(
    const std::function<std::optional<std::string>(const char*)>& param) {
  storage::HistoryQuery q;
  if (auto fp = param("fingerprint")) {
    char* end = nullptr;
    const unsigned long long v = std::strtoull(fp->c_str(), &end, 16);
    if (fp->empty() || fp->size() > 16 || end != fp->c_str() + fp->size()) {
      return invalid_input("invalid parameter \"fingerprint\": want 16 hex digits, got \"" + *fp +
                           "\"");
    }
    q.fingerprint = static_cast<Fingerprint>(v);
  }
  if (auto name = param("alertname"); name && !name->empty()) q.alertname = *name;
  if (!q.fingerprint && !q.alertname) {
    return invalid_input("one of the parameters \"fingerprint\" or \"alertname\" is required");
  }
  if (auto since = param("since")) {
    auto t = parse_api_time(*since);
    if (!t) return tl::unexpected(t.error().with_context("invalid parameter \"since\""));
    q.since = *t;
  }
  if (auto limit = param("limit")) {
    char* end = nullptr;
    const long v = std::strtol(limit->c_str(), &end, 10);
    if (limit->empty() || end != limit->c_str() + limit->size() || v < 1 || v > 10000) {
      return invalid_input("invalid parameter \"limit\": want 1..10000, got \"" + *limit + "\"");
    }
    q.limit = static_cast<size_t>(v);
  }
  return q;
}

std::string history_json(const std::vector<storage::TransitionRecord>& transitions) {
  nlohmann::json list = nlohmann::json::array();
  for (const storage::TransitionRecord& t : transitions) {
    nlohmann::json labels = nlohmann::json::object();
    for (const Label& l : t.labels)
      labels[l.name] = l.value;
    list.push_back({{"at", rfc3339(t.at)},
                    {"fingerprint", fingerprint_hex(t.fingerprint)},
                    {"file", t.rule.file},
                    {"group", t.rule.group},
                    {"rule", t.rule.rule},
                    {"labels", labels},
                    {"from", std::string(to_string(t.from))},
                    {"to", std::string(to_string(t.to))},
                    {"value", format_float(t.value, 'e', -1)}});
  }
  return nlohmann::json{{"status", "success"}, {"data", {{"transitions", list}}}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace herald::server
