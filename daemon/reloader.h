// Reloader: SIGHUP and POST /-/reload. Everything is parsed and validated first; on any error the
// running configuration stays as it is and the error is reported (log, herald_config_last_reload_*
// metrics, /api/v1/status/runtimeinfo, the HTTP reply). Thread-safe; reloads are serialised.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "daemon/config_loader.h"
#include "model/clock.h"
#include "model/metrics.h"

namespace herald::daemon {

class Reloader {
 public:
  // Takes a validated configuration into the running process.
  using ApplyFn = std::function<void(std::shared_ptr<const LoadedConfig>)>;

  // `initial` was loaded from `config_path` at start-up and is running.
  Reloader(std::string config_path, const LoadedConfig& initial, ApplyFn apply,
           MetricsRegistry& metrics, const Clock& clock);

  // `trigger` names the cause in the log ("SIGHUP", "HTTP").
  ReloadOutcome reload(const std::string& trigger);

  // Prometheus's /api/v1/status/runtimeinfo subset, plus herald's lastReloadErrors.
  [[nodiscard]] std::string runtimeinfo_json() const;

  // The web.auth_token_file of the running configuration ("" when write endpoints are open).
  [[nodiscard]] std::string auth_token_file() const;

 private:
  const std::string config_path_;
  const ApplyFn apply_;
  const Clock& clock_;
  MetricFamily& success_;
  MetricFamily& success_time_;
  std::mutex reload_mu_;  // one reload at a time
  mutable std::mutex mu_;
  const WallTime started_;
  bool last_ok_ = true;                   // GUARDED_BY(mu_)
  WallTime last_success_;                 // GUARDED_BY(mu_)
  std::vector<std::string> last_errors_;  // GUARDED_BY(mu_)
  std::string auth_token_file_;           // GUARDED_BY(mu_)
};

}  // namespace herald::daemon
