// HttpClientPool: one CurlHttpClient per distinct TLS settings and proxy, created on first use and
// kept for the pool's life (callers hold references, and a reload that keeps a setting reuses its
// client and connections). Requests with default TLS and no proxy go to the fallback client.
// Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "model/http_client.h"
#include "model/tls_options.h"
#include "net/curl_http_client.h"

namespace herald::net {

class HttpClientPool {
 public:
  // `fallback` serves default TLS without a proxy; it must outlive the pool.
  explicit HttpClientPool(HttpClient& fallback) : fallback_(fallback) {}

  // `proxy_url`: http(s)://[user:pass@]host:port, or "" for none.
  [[nodiscard]] HttpClient& client(const TlsOptions& tls, const std::string& proxy_url);
  [[nodiscard]] size_t dedicated_clients() const;  // for tests

 private:
  using Key = std::pair<TlsOptions, std::string>;
  HttpClient& fallback_;
  mutable std::mutex mu_;
  std::map<Key, std::unique_ptr<CurlHttpClient>> clients_;  // GUARDED_BY(mu_)
};

}  // namespace herald::net
