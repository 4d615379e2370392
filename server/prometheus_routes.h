// Prometheus's read API over herald's evaluator: /api/v1/rules, /api/v1/alerts and
// /api/v1/status/runtimeinfo, with the bodies of server/prometheus_api.h.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "evaluator/rule_status.h"
#include "server/prometheus_api.h"
#include "server/routes.h"

namespace herald::server {

struct PrometheusApiHooks {
  std::function<std::vector<evaluator::GroupStatus>()> groups;
  std::function<std::string()> runtimeinfo;  // null: the endpoint answers 404
  // This process's shard and the groups other shards evaluate; null: unsharded.
  std::function<RulesShard()> shard{};
};

void register_prometheus_api(Routes& routes, PrometheusApiHooks hooks);

}  // namespace herald::server
