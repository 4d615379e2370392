// Building and reusing datasource connections.
#include "app/datasource_connections.h"

#include <map>
#include <string>

namespace herald::app {
namespace {

evaluator::DatasourceOptions client_options(const config::Datasource& d) {
  evaluator::DatasourceOptions o;
  o.url = d.url;
  o.timeout = d.timeout;
  o.bearer_token = d.bearer_token.reveal();
  o.bearer_token_file = d.bearer_token_file;
  for (const auto& [k, v] : d.headers)
    o.headers.emplace_back(k, v.reveal());
  return o;
}

TlsOptions tls_options(const config::TlsConfig& t) {
  return TlsOptions{t.ca_file, t.cert_file, t.key_file, t.server_name, t.insecure_skip_verify};
}

bool same_datasource(const config::Datasource& a, const config::Datasource& b) {
  auto headers = [](const config::Datasource& d) {
    std::map<std::string, std::string> out;
    for (const auto& [k, v] : d.headers)
      out[k] = v.reveal();
    return out;
  };
  const auto& ta = a.tls_config;
  const auto& tb = b.tls_config;
  return a.name == b.name && a.url == b.url && a.timeout == b.timeout &&
         a.bearer_token.reveal() == b.bearer_token.reveal() &&
         a.bearer_token_file == b.bearer_token_file && headers(a) == headers(b) &&
         ta.ca_file == tb.ca_file && ta.cert_file == tb.cert_file && ta.key_file == tb.key_file &&
         ta.server_name == tb.server_name && ta.insecure_skip_verify == tb.insecure_skip_verify &&
         a.unreachable_after == b.unreachable_after && a.is_default == b.is_default;
}

}  // namespace

DatasourceConnections connect_datasources(const std::vector<config::Datasource>& wanted,
                                          const DatasourceConnections& current) {
  DatasourceConnections out;
  for (const config::Datasource& d : wanted) {
    std::shared_ptr<DatasourceConnection> reuse;
    for (const auto& old : current) {
      if (same_datasource(old->config, d)) reuse = old;
    }
    if (!reuse) {
      reuse = std::make_shared<DatasourceConnection>();
      reuse->config = d;
      reuse->http = std::make_unique<CurlHttpClient>(tls_options(d.tls_config));
      reuse->client =
          std::make_unique<evaluator::PrometheusClient>(client_options(d), *reuse->http);
      reuse->health = std::make_unique<evaluator::DatasourceHealth>(d.name, d.unreachable_after);
    }
    out.push_back(std::move(reuse));
  }
  return out;
}

}  // namespace herald::app
