// herald's HTTP server: an event-driven front (Boost.Beast over Asio, one I/O thread) that reads
// and writes every connection without holding a thread, and a pool of handler threads. Each API
// family registers its routes (the operational endpoints, Prometheus's and Alertmanager's APIs,
// the alert history and the runbook pages); handlers read snapshots through the hooks, so the
// server knows nothing of how the daemon is wired (server/daemon_hooks.h fills them from a
// Daemon). Why this design, and what each limit guards against: docs/architecture.md "The HTTP
// front". Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "model/clock.h"
#include "model/error.h"
#include "model/metrics.h"
#include "server/alertmanager_routes.h"
#include "server/history_routes.h"
#include "server/ops_routes.h"
#include "server/prometheus_routes.h"
#include "server/runbook_routes.h"

namespace herald::server {

struct ServerHooks {
  OpsHooks ops;
  PrometheusApiHooks prometheus;
  HistoryFn history;
  RunbookHooks runbooks;
  AlertmanagerApiHooks alertmanager;  // without a clock the /api/v2 routes are not registered
  // The file holding the bearer token write endpoints require ("" = open); read per request.
  std::function<std::string()> auth_token_file;
  // Where the server's own counters go (herald_http_*); null: a registry of its own.
  MetricsRegistry* metrics = nullptr;
};

// What one client may hold and send. Defaults suit a daemon that Prometheus, Kubernetes probes
// and a few on-call engineers talk to; the flags of `herald run` set them.
struct ServerLimits {
  size_t max_request_bytes = size_t{4} << 20;  // body; larger → 413 before it is read
  size_t max_header_bytes = size_t{64} << 10;  // request line + headers; larger → 431
  size_t max_connections = 1024;               // all clients; beyond → the oldest waiting closes
  size_t max_connections_per_client = 128;     // one remote address; beyond → likewise, or 429
  size_t workers = 4;                          // handler threads
  size_t max_queued = 256;                     // requests waiting for a handler; beyond → 503
  Duration idle_timeout = std::chrono::seconds(60);    // keep-alive connection with no request
  Duration header_timeout = std::chrono::seconds(10);  // first byte → end of headers; then 408
  Duration body_timeout = std::chrono::seconds(60);    // end of headers → end of body; then 408
  Duration write_timeout = std::chrono::seconds(30);   // the whole response
};

class HttpServer {
 public:
  explicit HttpServer(ServerHooks hooks, ServerLimits limits = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds `address` ("host:port", ":port"; port 0 picks one) and serves on background threads.
  [[nodiscard]] Status start(const std::string& address);
  // Stops accepting, closes every connection and waits for running handlers. Idempotent.
  void stop();
  [[nodiscard]] int port() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace herald::server
