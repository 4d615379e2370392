// The operational endpoints: /-/healthy, /-/ready, /-/reload (POST or PUT, as Prometheus) and
// /metrics.
#pragma once

#include <functional>
#include <string>

#include "daemon/config_loader.h"
#include "server/bearer_auth.h"

namespace httplib {
class Server;
}

namespace herald::server {

struct OpsHooks {
  std::function<bool()> ready;  // rules loaded and every group evaluated once
  std::function<std::string()> metrics;
  std::function<daemon::ReloadOutcome()> reload;  // null: /-/reload answers 404
};

void register_ops_routes(httplib::Server& server, OpsHooks hooks, WriteGuard authorize);

}  // namespace herald::server
