// `herald run`: load herald.yml and its rule files (refusing to start on any error), open the
// SQLite store and restore the alerts in it, serve the HTTP API, evaluate until SIGTERM/SIGINT
// (reloading on SIGHUP), then drain (finish evaluations in flight, deliver what is due within
// --shutdown.timeout) and exit 0.
#pragma once

#include <string>

namespace herald::app {

struct RunOptions {
  std::string config_file = "herald.yml";
  std::string listen_address = ":9095";
  std::string log_format = "logfmt";  // logfmt | json
  std::string log_level = "info";     // debug | info | warn | error
  size_t workers = 4;                 // evaluation worker threads
  std::string storage_path = "herald.db";
  bool move_corrupt_aside = false;  // start empty when the database file is corrupt
  std::string history_retention = "30d";
  // The HTTP front's limits (server/http_server.h ServerLimits has the defaults and meanings).
  size_t max_request_bytes = size_t{4} << 20;
  size_t max_connections = 1024;
  size_t max_connections_per_client = 128;
  size_t web_workers = 4;
  std::string read_header_timeout = "10s";
  std::string read_timeout = "60s";
  std::string idle_timeout = "60s";
  std::string write_timeout = "30s";
  // SIGTERM → exit: due deliveries start until `shutdown_timeout` minus the part of it left to
  // those in flight (app/run_command.cc in_flight_share); herald exits at the timeout, or at once
  // on a second SIGTERM/SIGINT. Under the manifests' terminationGracePeriodSeconds (30 s).
  std::string shutdown_timeout = "25s";
  // --cluster.shard ("i/n", "auto" or "": all groups) and --cluster.shards (with auto).
  std::string shard{};
  uint32_t shards = 0;
  // Reload when a configuration file changes (daemon/config_watcher.h).
  bool config_watch = true;
};

int run_daemon(const RunOptions& options);

}  // namespace herald::app
