// herald's HTTP surface (cpp-httplib): health and readiness probes, reload, the
// Prometheus-compatible rules and alerts API, Alertmanager's API v2, herald's alert history,
// runbook pages and /metrics. Handlers read snapshots through the hooks, so the server knows
// nothing of how evaluation is wired. Thread-safe; handlers run on httplib's thread pool.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/alertmanager_routes.h"
#include "app/config_loader.h"
#include "app/runbook_page.h"
#include "evaluator/rule_status.h"
#include "links/alert_links.h"
#include "model/clock.h"
#include "model/error.h"
#include "storage/alert_history.h"

namespace httplib {
class Server;
}

namespace herald::app {

// GET /runbooks/<name>. Both functions are called per request, so a reload swaps what they
// return; without `settings` every runbook answers 404.
struct RunbookHooks {
  std::function<std::shared_ptr<const links::LinkSettings>()> settings;
  // The pending and firing alerts named `alertname`, with their generator URLs (may be null).
  std::function<std::vector<ActiveRuleAlert>(const std::string& alertname)> active_alerts;
  const Clock* clock = nullptr;  // `now` for the links' time ranges; null: the system clock
};

struct ServerHooks {
  std::function<std::vector<evaluator::GroupStatus>()> groups;
  std::function<bool()> ready;  // rules loaded and every group evaluated once
  std::function<std::string()> metrics;
  // Optional (null: the endpoint answers 404 or 503).
  std::function<ReloadOutcome()> reload;     // POST /-/reload
  std::function<std::string()> runtimeinfo;  // GET /api/v1/status/runtimeinfo
  std::function<Result<std::vector<storage::TransitionRecord>>(const storage::HistoryQuery&)>
      history;  // GET /api/v1/alerts/history
  // The file holding the bearer token write endpoints require ("" = open). Read per request, so
  // a rotated token applies at once.
  std::function<std::string()> auth_token_file;
  // Alertmanager's API v2 (its `authorize` is filled in by the server).
  AlertmanagerApiHooks alertmanager;
  RunbookHooks runbooks;
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
  void routes();

  ServerHooks hooks_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

// Splits "host:port" / ":port" / "[::1]:port"; an empty host means all interfaces.
[[nodiscard]] Result<std::pair<std::string, int>> parse_listen_address(const std::string& addr);

}  // namespace herald::app
