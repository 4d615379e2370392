// PrometheusClient: instant and range queries against one Prometheus-compatible datasource over
// an injected HttpClient (so tests need no network). Adds authentication and custom headers.
// Thread-safe: const methods, and the bearer-token cache locks itself.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "evaluator/bearer_token_file.h"
#include "evaluator/query_result.h"
#include "model/clock.h"
#include "model/error.h"
#include "model/http_client.h"

namespace herald::evaluator {

// Every member has an initializer so that designated initializers may omit any of them.
struct DatasourceOptions {
  std::string url{};  // base URL, may have a path prefix: http://host:9090/prometheus
  std::chrono::milliseconds timeout{30000};
  std::string bearer_token{};       // config rejects setting both; if both are set this one wins
  std::string bearer_token_file{};  // re-read when it changes (rotated Kubernetes tokens)
  std::vector<std::pair<std::string, std::string>> headers{};  // sent on every request
};

class PrometheusClient {
 public:
  // `http` must outlive this client.
  PrometheusClient(DatasourceOptions options, HttpClient& http);

  // Runs `expr` at `ts` (POST /api/v1/query). Errors are classified as in prometheus_response.h:
  // kInvalidInput = the expression's fault, kUnavailable/kRejected = the datasource's.
  [[nodiscard]] Result<QueryResult> query(std::string_view expr, WallTime ts) const;

  // Runs `expr` over [start, end] every `step` (POST /api/v1/query_range). REQUIRES: step > 0.
  [[nodiscard]] Result<std::vector<RangeSeries>> query_range(std::string_view expr, WallTime start,
                                                             WallTime end,
                                                             std::chrono::milliseconds step) const;

 private:
  [[nodiscard]] Result<HttpResponse> post(std::string_view api_path, std::string form) const;

  const DatasourceOptions options_;
  HttpClient& http_;
  std::optional<BearerTokenFile> token_file_;  // set when options_.bearer_token_file is used
};

// Helpers exposed for tests.
// Unix seconds with millisecond fraction, as Prometheus's `time` parameter: "1716900000.123".
[[nodiscard]] std::string format_unix_seconds(WallTime t);
// application/x-www-form-urlencoded escaping: everything but A-Z a-z 0-9 - . _ ~ as %XX.
[[nodiscard]] std::string form_escape(std::string_view s);
// `base` + `path`, with exactly one '/' between: ("http://h/prom/", "/api/v1/query").
[[nodiscard]] std::string join_url(std::string_view base, std::string_view path);

}  // namespace herald::evaluator
