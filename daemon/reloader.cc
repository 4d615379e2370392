// Reload: validate all, then apply; report either way.
#include "daemon/reloader.h"

#include <nlohmann/json.hpp>

#include "daemon/log.h"
#include "model/time_format.h"

namespace herald::daemon {
namespace {

double unix_seconds(WallTime t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

}  // namespace

Reloader::Reloader(std::string config_path, const LoadedConfig& initial, ApplyFn apply,
                   MetricsRegistry& metrics, const Clock& clock)
    : config_path_(std::move(config_path)),
      apply_(std::move(apply)),
      clock_(clock),
      success_(metrics.gauge("herald_config_last_reload_successful",
                             "Whether the last configuration reload succeeded.")),
      success_time_(metrics.gauge("herald_config_last_reload_success_timestamp_seconds",
                                  "Timestamp of the last successful reload.")),
      started_(clock.now()),
      last_success_(started_),
      auth_token_file_(initial.config.web.auth_token_file) {
  success_.set({}, 1);
  success_time_.set({}, unix_seconds(started_));
}

ReloadOutcome Reloader::reload(const std::string& trigger) {
  std::lock_guard serial(reload_mu_);
  LoadAttempt attempt = load_configuration(config_path_);
  if (!attempt.loaded) {
    ReloadOutcome out{false, describe_errors(attempt.diagnostics)};
    std::vector<std::string> lines;
    for (const Diagnostic& d : attempt.diagnostics) {
      if (d.severity == Severity::kError) lines.push_back(d.to_string());
    }
    std::string joined = out.errors;
    if (!joined.empty() && joined.back() == '\n') joined.pop_back();
    log_event(LogLevel::kError, "reload failed",
              {{"trigger", trigger}, {"config", config_path_}, {"err", joined}});
    success_.set({}, 0);
    std::lock_guard lock(mu_);
    last_ok_ = false;
    last_errors_ = std::move(lines);
    return out;
  }
  const std::string token_file = attempt.loaded->config.web.auth_token_file;
  apply_(attempt.loaded);
  const WallTime now = clock_.now();
  success_.set({}, 1);
  success_time_.set({}, unix_seconds(now));
  {
    std::lock_guard lock(mu_);
    last_ok_ = true;
    last_success_ = now;
    last_errors_.clear();
    auth_token_file_ = token_file;
  }
  log_event(LogLevel::kInfo, "reloaded", {{"trigger", trigger}, {"config", config_path_}});
  return {true, {}};
}

std::string Reloader::runtimeinfo_json() const {
  std::lock_guard lock(mu_);
  nlohmann::json data{{"startTime", format_rfc3339(started_)},
                      {"reloadConfigSuccess", last_ok_},
                      {"lastConfigTime", format_rfc3339(last_success_)},
                      {"lastReloadErrors", last_errors_}};
  return nlohmann::json{{"status", "success"}, {"data", data}}.dump();
}

std::string Reloader::auth_token_file() const {
  std::lock_guard lock(mu_);
  return auth_token_file_;
}

}  // namespace herald::daemon
