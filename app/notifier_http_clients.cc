// Per-setting HTTP clients for notifiers.
#include "app/notifier_http_clients.h"

namespace herald::app {

HttpClient& NotifierHttpClients::for_config(const config::HttpConfig& http) {
  const config::TlsConfig& t = http.tls_config;
  Key key{t.ca_file,     t.cert_file, t.key_file, t.server_name, t.insecure_skip_verify,
          http.proxy_url};
  if (key == Key{}) return fallback_;
  std::lock_guard lock(mu_);
  std::unique_ptr<CurlHttpClient>& client = clients_[key];
  if (!client) {
    CurlOptions options;
    options.tls =
        TlsOptions{t.ca_file, t.cert_file, t.key_file, t.server_name, t.insecure_skip_verify};
    options.proxy_url = http.proxy_url;
    client = std::make_unique<CurlHttpClient>(options);
  }
  return *client;
}

size_t NotifierHttpClients::dedicated_clients() const {
  std::lock_guard lock(mu_);
  return clients_.size();
}

}  // namespace herald::app
