// Daemon: `herald run` as one object. build() loads herald.yml and every rule file (refusing to
// start on any error) and opens the SQLite store; start() restores the stored state and runs the
// evaluator and the router on their own threads; reload() validates, then applies, a new
// configuration; drain() stops evaluating and gives the outbox a bounded time to deliver what is
// due; wait() joins the threads. The HTTP surfaces (server/) read it through the accessors below.
// Thread-safe once started.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "daemon/config_loader.h"
#include "daemon/evaluator_runtime.h"
#include "daemon/reloader.h"
#include "daemon/router_runtime.h"
#include "evaluator/query_result.h"
#include "evaluator/sharding.h"
#include "evaluator/storage_health.h"
#include "model/alert.h"
#include "model/clock.h"
#include "model/duration.h"
#include "model/error.h"
#include "net/curl_http_client.h"
#include "storage/alert_history.h"
#include "storage/database.h"

namespace herald::daemon {

struct DaemonOptions {
  std::string config_file = "herald.yml";
  size_t workers = 4;  // evaluation worker threads
  std::string storage_path = "herald.db";
  bool move_corrupt_aside = false;  // start empty when the database file is corrupt
  Duration history_retention = std::chrono::hours(24 * 30);
  evaluator::Shard shard{};  // the rule groups this process evaluates (--cluster.shard)
};

class Daemon {
 public:
  // Loads the configuration, printing every diagnostic to `diagnostics`, and opens the store.
  // An error means the process must not start; its message is for the log.
  [[nodiscard]] static Result<std::unique_ptr<Daemon>> build(const DaemonOptions& options,
                                                             const Clock& clock,
                                                             std::ostream& diagnostics);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Restores alerts, groups, silences and the outbox from the store, then starts evaluating and
  // routing on threads of their own.
  [[nodiscard]] Status start();
  // SIGHUP and POST /-/reload; `trigger` names the cause in the log.
  ReloadOutcome reload(const std::string& trigger);
  // Stops evaluating (evaluations in flight finish and hand their alerts over), then routing:
  // the delivery loop sends what is due for up to `outbox_drain`; the rest stays in SQLite
  // for the next start.
  void drain(Duration outbox_drain);
  void wait();  // until the router's threads have returned after drain()

  // For the HTTP surfaces.
  [[nodiscard]] std::shared_ptr<const LoadedConfig> config() const;
  [[nodiscard]] EvaluatorRuntime& evaluator() { return evaluator_; }
  [[nodiscard]] RouterRuntime& router() { return router_; }
  [[nodiscard]] const Reloader& reloader() const { return reloader_; }
  [[nodiscard]] storage::AlertHistory& history() { return history_; }
  [[nodiscard]] const Clock& clock() const { return clock_; }
  [[nodiscard]] WallTime started() const { return started_; }
  [[nodiscard]] const DaemonOptions& options() const { return options_; }

 private:
  Daemon(const DaemonOptions& options, const Clock& clock,
         std::shared_ptr<const LoadedConfig> loaded, std::unique_ptr<storage::Database> db);

  // The evaluator → router hand-off: each evaluation's alerts to send, in-process.
  void hand_over(std::vector<Alert> alerts);
  // The router → evaluator feedback: integrations that keep failing, which
  // HeraldNotificationsFailing fires on.
  [[nodiscard]] std::vector<evaluator::QuerySample> notification_failures(WallTime now) const;
  // The storage → evaluator feedback, once per meta-group evaluation: writes that keep failing
  // and delivered notifications not recorded, which HeraldStorageFailing fires on.
  [[nodiscard]] std::vector<evaluator::QuerySample> storage_failures(WallTime now);
  // A reload's validated configuration, taken by the evaluator, the router and config().
  void apply(std::shared_ptr<const LoadedConfig> loaded);

  const DaemonOptions options_;
  const Clock& clock_;
  const WallTime started_;
  std::unique_ptr<storage::Database> db_;
  EvaluatorRuntime evaluator_;
  net::CurlHttpClient notifier_http_;  // the notifiers' default transport
  RouterRuntime router_;
  Reloader reloader_;
  storage::AlertHistory history_;
  evaluator::StorageHealth storage_health_;
  mutable std::mutex config_mu_;
  std::shared_ptr<const LoadedConfig> config_;  // GUARDED_BY(config_mu_)
  std::thread evaluation_thread_;
  std::thread routing_thread_;
};

}  // namespace herald::daemon
