// Parameters and JSON of the alert history endpoint.
#include "app/history_api.h"

#include <cmath>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

#include "app/prometheus_api.h"
#include "model/go_float.h"

namespace herald::app {
namespace {

std::optional<int> digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// RFC 3339: YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM).
std::optional<WallTime> parse_rfc3339(std::string_view s) {
  auto year = digits(s, 0, 4), mon = digits(s, 5, 2), day = digits(s, 8, 2);
  auto hour = digits(s, 11, 2), min = digits(s, 14, 2), sec = digits(s, 17, 2);
  if (!year || !mon || !day || !hour || !min || !sec || s[4] != '-' || s[7] != '-' ||
      (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' || s[16] != ':') {
    return std::nullopt;
  }
  if (*mon < 1 || *mon > 12 || *day < 1 || *day > 31 || *hour > 23 || *min > 59 || *sec > 60) {
    return std::nullopt;
  }
  size_t i = 19;
  std::chrono::nanoseconds frac{0};
  if (i < s.size() && s[i] == '.') {
    long long scale = 100000000;
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, scale /= 10)
      frac += std::chrono::nanoseconds((s[i] - '0') * scale);
  }
  int offset_min = 0;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    ++i;
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    auto oh = digits(s, i + 1, 2), om = digits(s, i + 4, 2);
    if (!oh || !om || s[i + 3] != ':') return std::nullopt;
    offset_min = (s[i] == '-' ? -1 : 1) * (*oh * 60 + *om);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  std::tm tm{};
  tm.tm_year = *year - 1900;
  tm.tm_mon = *mon - 1;
  tm.tm_mday = *day;
  tm.tm_hour = *hour;
  tm.tm_min = *min;
  tm.tm_sec = *sec;
  const std::time_t t = timegm(&tm);
  return WallTime(std::chrono::seconds(t) - std::chrono::minutes(offset_min)) +
         std::chrono::duration_cast<WallTime::duration>(frac);
}

}  // namespace

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

}  // namespace herald::app
