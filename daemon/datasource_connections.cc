// Building and reusing datasource connections.
#include "daemon/datasource_connections.h"

#include <map>
#include <string>

namespace herald::daemon {
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

bool same_datasource(const config::Datasource& a, const config::Datasource& b) {
  auto headers = [](const config::Datasource& d) {
    std::map<std::string, std::string> out;
    for (const auto& [k, v] : d.headers)
      out[k] = v.reveal();
    return out;
  };
  return a.name == b.name && a.url == b.url && a.timeout == b.timeout &&
         a.bearer_token.reveal() == b.bearer_token.reveal() &&
         a.bearer_token_file == b.bearer_token_file && headers(a) == headers(b) &&
         a.tls_config == b.tls_config && a.unreachable_after == b.unreachable_after &&
         a.is_default == b.is_default;
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
      reuse->http = std::make_unique<net::CurlHttpClient>(d.tls_config);
      reuse->client =
          std::make_unique<evaluator::PrometheusClient>(client_options(d), *reuse->http);
      reuse->health = std::make_unique<evaluator::DatasourceHealth>(d.name, d.unreachable_after);
    }
    out.push_back(std::move(reuse));
  }
  return out;
}

}  // namespace herald::daemon
