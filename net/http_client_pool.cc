// Clients by (TLS settings, proxy).
#include "net/http_client_pool.h"

namespace herald::net {

HttpClient& HttpClientPool::client(const TlsOptions& tls, const std::string& proxy_url) {
  Key key{tls, proxy_url};
  if (key == Key{}) return fallback_;
  std::lock_guard lock(mu_);
  std::unique_ptr<CurlHttpClient>& c = clients_[key];
  if (!c) c = std::make_unique<CurlHttpClient>(CurlOptions{.tls = tls, .proxy_url = proxy_url});
  return *c;
}

size_t HttpClientPool::dedicated_clients() const {
  std::lock_guard lock(mu_);
  return clients_.size();
}

}  // namespace herald::net
