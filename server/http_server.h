// herald's HTTP server (cpp-httplib): binds, serves on a background thread, and has each API
// family register its routes — the operational endpoints, Prometheus's and Alertmanager's APIs,
// the alert history and the runbook pages. Handlers read snapshots through the hooks, so the
// server knows nothing of how the daemon is wired (server/daemon_hooks.h fills them from a
// Daemon). Thread-safe; handlers run on httplib's thread pool.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "model/error.h"
#include "server/alertmanager_routes.h"
#include "server/history_routes.h"
#include "server/ops_routes.h"
#include "server/prometheus_routes.h"
#include "server/runbook_routes.h"

namespace httplib {
class Server;
}

namespace herald::server {

struct ServerHooks {
  OpsHooks ops;
  PrometheusApiHooks prometheus;
  HistoryFn history;
  RunbookHooks runbooks;
  AlertmanagerApiHooks alertmanager;  // without a clock the /api/v2 routes are not registered
  // The file holding the bearer token write endpoints require ("" = open); read per request.
  std::function<std::string()> auth_token_file;
};

class HttpServer {
 public:
  explicit HttpServer(ServerHooks hooks);
  ~HttpServer();

  // Binds `address` ("host:port", ":port"; port 0 picks one) and serves on a background thread.
  [[nodiscard]] Status start(const std::string& address);
  void stop();
  [[nodiscard]] int port() const { return port_; }

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace herald::server
