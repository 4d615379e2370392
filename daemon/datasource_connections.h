// One live connection per configured datasource: its libcurl client, Prometheus query client and
// health tracker. A reload reuses the connections of datasources whose configuration did not
// change, so their keep-alive pool and outage clock survive it.
#pragma once

#include <memory>
#include <vector>

#include "config/config.h"
#include "evaluator/datasource_health.h"
#include "evaluator/prometheus_client.h"
#include "net/curl_http_client.h"

namespace herald::daemon {

struct DatasourceConnection {
  config::Datasource config;
  std::unique_ptr<net::CurlHttpClient> http;
  std::unique_ptr<evaluator::PrometheusClient> client;
  std::unique_ptr<evaluator::DatasourceHealth> health;
};
using DatasourceConnections = std::vector<std::shared_ptr<DatasourceConnection>>;

// Connections for `wanted`, in its order: those of `current` with an identical configuration
// (secrets included) are reused, the others are new.
[[nodiscard]] DatasourceConnections connect_datasources(
    const std::vector<config::Datasource>& wanted, const DatasourceConnections& current);

}  // namespace herald::daemon
