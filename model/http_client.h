// HttpClient: the one seam to outbound HTTP (docs/architecture.md "Seams"). Used
// by the Prometheus client and the notifiers; tests inject fakes. Plain types, no I/O here.
// Implementations must be thread-safe: one client is shared by every evaluator and notifier thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/error.h"

namespace herald {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string url{};
  HttpHeaders headers{};  // may carry credentials: never log them or put them in errors
  std::string body{};
  std::chrono::milliseconds timeout{30000};  // whole request, connect included
};

struct HttpResponse {
  int status = 0;
  HttpHeaders headers{};  // in arrival order; a repeated header appears once per occurrence
  std::string body{};
  // From the start of the request to the end of the answer, as the transport measured it: what a
  // peer's Retry-After counts from is `now` (when the request was sent) plus this.
  std::chrono::microseconds elapsed{};

  // The first header named `name` (ASCII case-insensitive), or nullopt.
  [[nodiscard]] std::optional<std::string> header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
      if (n.size() != name.size()) continue;
      bool same = true;
      for (size_t i = 0; i < n.size() && same; ++i)
        same = ascii_lower(n[i]) == ascii_lower(name[i]);
      if (same) return v;
    }
    return std::nullopt;
  }

 private:
  static char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Sends `request` and returns the peer's response. Any HTTP status (including 4xx/5xx) is a
  // response, not an error. Errors are transport failures only — refused, timeout, DNS, TLS, a
  // body over the implementation's size cap — all ErrorCode::kUnavailable; their message names
  // the method and the URL without query string or credentials, never the headers. Thread-safe.
  [[nodiscard]] virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

}  // namespace herald
