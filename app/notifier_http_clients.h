// The HTTP clients receivers' integrations send through: one CurlHttpClient per distinct
// http_config TLS settings and proxy_url, created on first use and kept for the process's life
// (notifiers hold references, and a reload that keeps a setting reuses its client and
// connections). Integrations without either share the default client. Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <tuple>

#include "app/curl_http_client.h"
#include "config/receivers.h"

namespace herald::app {

class NotifierHttpClients {
 public:
  // `fallback` serves integrations with default TLS and no proxy; it must outlive this.
  explicit NotifierHttpClients(HttpClient& fallback) : fallback_(fallback) {}

  [[nodiscard]] HttpClient& for_config(const config::HttpConfig& http);
  [[nodiscard]] size_t dedicated_clients() const;  // for tests

 private:
  using Key = std::tuple<std::string, std::string, std::string, std::string, bool, std::string>;
  HttpClient& fallback_;
  mutable std::mutex mu_;
  std::map<Key, std::unique_ptr<CurlHttpClient>> clients_;  // GUARDED_BY(mu_)
};

}  // namespace herald::app
