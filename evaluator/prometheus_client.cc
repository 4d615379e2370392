// PrometheusClient: builds form-encoded POSTs to the query API and hands the replies to the
// response decoder.
#include "evaluator/prometheus_client.h"

#include <cstdio>

#include "evaluator/prometheus_response.h"
#include "model/duration.h"

namespace herald::evaluator {
namespace {

// Prometheus's own query `timeout` is the configured timeout; the HTTP timeout gets this much more
// so that a slow query comes back as Prometheus's "timeout" error rather than a cut connection.
constexpr std::chrono::milliseconds kTransportSlack{1000};

std::string format_seconds(std::chrono::milliseconds ms) {
  const auto whole = std::chrono::floor<std::chrono::seconds>(ms);
  const long long frac = (ms - whole).count();
  char buf[48];
  std::snprintf(buf, sizeof buf, "%lld.%03lld", static_cast<long long>(whole.count()), frac);
  return buf;
}

}  // namespace

std::string format_unix_seconds(WallTime t) {
  return format_seconds(std::chrono::floor<std::chrono::milliseconds>(t.time_since_epoch()));
}

std::string form_escape(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '.' || c == '_' || c == '~';
    if (plain) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    }
  }
  return out;
}

std::string join_url(std::string_view base, std::string_view path) {
  while (!base.empty() && base.back() == '/')
    base.remove_suffix(1);
  while (!path.empty() && path.front() == '/')
    path.remove_prefix(1);
  return std::string(base) + "/" + std::string(path);
}

PrometheusClient::PrometheusClient(DatasourceOptions options, HttpClient& http)
    : options_(std::move(options)), http_(http) {
  if (options_.bearer_token.empty() && !options_.bearer_token_file.empty())
    token_file_.emplace(options_.bearer_token_file);
}

Result<HttpResponse> PrometheusClient::post(std::string_view api_path, std::string form) const {
  // "timeout=0s" would make Prometheus give up at once; no timeout configured means none sent.
  if (options_.timeout > std::chrono::milliseconds::zero())
    form += "&timeout=" + form_escape(format_duration(options_.timeout));
  HttpRequest request{.method = "POST",
                      .url = join_url(options_.url, api_path),
                      .headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                                  {"Accept", "application/json"}},
                      .body = std::move(form),
                      .timeout = options_.timeout + kTransportSlack};
  if (!options_.bearer_token.empty()) {
    request.headers.emplace_back("Authorization", "Bearer " + options_.bearer_token);
  } else if (token_file_) {
    auto token = token_file_->token();
    if (!token) return tl::unexpected(token.error());
    request.headers.emplace_back("Authorization", "Bearer " + *token);
  }
  for (const auto& header : options_.headers)
    request.headers.push_back(header);
  return http_.send(request);
}

Result<QueryResult> PrometheusClient::query(std::string_view expr, WallTime ts) const {
  std::string form = "query=" + form_escape(expr) + "&time=" + format_unix_seconds(ts);
  auto response = post("/api/v1/query", std::move(form));
  if (!response) return tl::unexpected(response.error());
  return decode_query_response(*response);
}

Result<std::vector<RangeSeries>> PrometheusClient::query_range(
    std::string_view expr, WallTime start, WallTime end, std::chrono::milliseconds step) const {
  if (step <= std::chrono::milliseconds::zero())
    return invalid_input("query_range: step must be positive");
  std::string form = "query=" + form_escape(expr) + "&start=" + format_unix_seconds(start) +
                     "&end=" + format_unix_seconds(end) + "&step=" + format_seconds(step);
  auto response = post("/api/v1/query_range", std::move(form));
  if (!response) return tl::unexpected(response.error());
  return decode_range_response(*response);
}

}  // namespace herald::evaluator
