// The operational endpoints: /-/healthy, /-/ready, /-/reload (POST or PUT, as Prometheus) and
// /metrics.
#pragma once

#include <functional>
#include <string>

#include "daemon/config_loader.h"
#include "server/routes.h"

namespace herald::server {

struct OpsHooks {
  std::function<bool()> ready;  // rules loaded and every group evaluated once
  std::function<std::string()> metrics;
  std::function<daemon::ReloadOutcome()> reload;  // null: /-/reload answers 404
};

void register_ops_routes(Routes& routes, OpsHooks hooks);

}  // namespace herald::server
