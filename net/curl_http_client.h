// CurlHttpClient: the libcurl implementation of HttpClient (net/, with CurlSmtpClient, is the only
// code that calls libcurl). Keeps connections alive by reusing a small pool of easy handles (a
// handle owns its connection cache). Thread-safe: concurrent send() calls each take their own
// handle from the pool.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "model/http_client.h"
#include "model/tls_options.h"

namespace herald::net {

struct CurlOptions {
  TlsOptions tls{};
  std::string proxy_url{};  // http(s)://[user:pass@]host:port; empty: libcurl's *_proxy env vars
  std::chrono::milliseconds connect_timeout{10000};  // capped by each request's timeout
  size_t max_body_bytes = size_t{64} << 20;          // a larger response is an error
  size_t max_idle_handles = 8;                       // handles kept (with their connections)
};

class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(TlsOptions tls);
  explicit CurlHttpClient(CurlOptions options);
  // REQUIRES: no send() in flight.
  ~CurlHttpClient() override;
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  // Redirects are not followed: a redirect could carry the Authorization header elsewhere.
  [[nodiscard]] Result<HttpResponse> send(const HttpRequest& request) override;

 private:
  void* acquire();  // a CURL*, reset to defaults
  void release(void* handle);

  const CurlOptions options_;
  std::mutex mu_;
  std::vector<void*> idle_;  // GUARDED_BY(mu_): CURL* handles with live connections
};

// `url` without user info, query string or fragment: safe to put in errors and logs.
[[nodiscard]] std::string redact_url(std::string_view url);

}  // namespace herald::net
