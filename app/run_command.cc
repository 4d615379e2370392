// Start-up, signal handling and shutdown of the daemon.
#include "app/run_command.h"

#include <csignal>
#include <iostream>
#include <mutex>
#include <thread>

#include "app/config_loader.h"
#include "app/curl_http_client.h"
#include "app/evaluator_runtime.h"
#include "app/http_server.h"
#include "app/log.h"
#include "app/reloader.h"
#include "app/router_runtime.h"
#include "app/runbook_page.h"
#include "config/config.h"
#include "storage/alert_history.h"
#include "storage/database.h"

namespace herald::app {
namespace {

// On SIGTERM the outbox workers keep delivering what is due for this long (Kubernetes' default
// grace period is 30 s); anything left is sent after the next start.
constexpr Duration kOutboxDrain = std::chrono::seconds(10);

std::optional<LogLevel> parse_level(const std::string& s) {
  if (s == "debug") return LogLevel::kDebug;
  if (s == "info") return LogLevel::kInfo;
  if (s == "warn") return LogLevel::kWarn;
  if (s == "error") return LogLevel::kError;
  return std::nullopt;
}

// Loads the config and every rule file; prints all diagnostics; null when any is an error.
std::shared_ptr<const LoadedConfig> load_initial(const std::string& path) {
  LoadAttempt attempt = load_configuration(path);
  for (const Diagnostic& d : attempt.diagnostics)
    std::cerr << d.to_string() << "\n";
  return attempt.loaded;
}

Result<std::unique_ptr<storage::Database>> open_storage(const RunOptions& options) {
  storage::OpenOptions o;
  o.move_corrupt_aside = options.move_corrupt_aside;
  auto db = storage::Database::open(options.storage_path, o);
  if (db && (*db)->moved_aside()) {
    log_event(LogLevel::kWarn, "corrupt database moved aside; starting with empty state",
              {{"path", options.storage_path}, {"moved_to", *(*db)->moved_aside()}});
  }
  return db;
}

// Blocks SIGINT/SIGTERM/SIGHUP in every thread started after this, so sigwait() gets them.
sigset_t block_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

}  // namespace

int run_daemon(const RunOptions& options) {
  const auto level = parse_level(options.log_level);
  if (!level || (options.log_format != "logfmt" && options.log_format != "json")) {
    std::cerr << "herald run: --log.level must be debug|info|warn|error and --log.format "
                 "logfmt|json\n";
    return 2;
  }
  init_logging(options.log_format == "json" ? LogFormat::kJson : LogFormat::kLogfmt, *level);
  const auto retention = parse_duration(options.history_retention);
  if (!retention) {
    std::cerr << "herald run: --storage.history-retention: " << retention.error().message << "\n";
    return 2;
  }
  std::shared_ptr<const LoadedConfig> loaded = load_initial(options.config_file);
  if (!loaded) {
    log_event(LogLevel::kError, "not starting: configuration has errors",
              {{"config", options.config_file}});
    return 1;
  }
  auto db = open_storage(options);
  if (!db) {
    log_event(LogLevel::kError, "not starting", {{"err", db.error().message}});
    return 1;
  }
  const sigset_t signals = block_signals();
  SystemClock clock;
  const WallTime started = clock.now();
  EvaluatorRuntime runtime(clock, options.workers, db->get(), *retention);
  CurlHttpClient notifier_http(CurlOptions{});
  RouterRuntime router(clock, **db, notifier_http, runtime.registry());
  if (Status s = router.start(loaded); !s) {
    log_event(LogLevel::kError, "not starting: router state", {{"err", s.error().message}});
    return 1;
  }
  // The evaluator hands each evaluation's alerts to the router in-process. A failed hand-over
  // (storage) is logged; the evaluator re-sends firing alerts every resend delay.
  runtime.set_sink([&router](std::vector<Alert> alerts) {
    if (Status s = router.receive(std::move(alerts)); !s) {
      log_event(LogLevel::kError, "alerts not handed to the router", {{"err", s.error().message}});
    }
  });
  runtime.set_notification_failures([&router](WallTime ts) { return router.failing(ts); });
  if (Status s = runtime.start(loaded); !s) {
    log_event(LogLevel::kError, "not starting", {{"err", s.error().message}});
    return 1;
  }
  Reloader reloader(options.config_file, *loaded, runtime, clock);
  std::mutex config_mu;
  std::shared_ptr<const LoadedConfig> current = loaded;  // GUARDED_BY(config_mu)
  // GUARDED_BY(config_mu); rebuilt per applied config (the runbooks dir is listed then).
  std::shared_ptr<const links::LinkSettings> link_config =
      std::make_shared<const links::LinkSettings>(link_settings(loaded->config));
  reloader.on_applied([&](std::shared_ptr<const LoadedConfig> c) {
    router.apply(c);
    auto l = std::make_shared<const links::LinkSettings>(link_settings(c->config));
    std::lock_guard lock(config_mu);
    current = std::move(c);
    link_config = std::move(l);
  });
  // The evaluator's alerts of one rule name, with the generator URLs it sends them with.
  auto active_alerts = [&](const std::string& alertname) {
    std::string datasource_url;
    {
      std::lock_guard lock(config_mu);
      const config::Datasource* d = current->config.default_datasource();
      if (d) datasource_url = d->url;
    }
    return active_rule_alerts(runtime.groups(), alertname, datasource_url);
  };
  storage::AlertHistory history(**db);
  ServerHooks hooks{
      [&] { return runtime.groups(); },
      [&] { return runtime.ready(); },
      [&] { return runtime.metrics(); },
      [&] { return reloader.reload("HTTP"); },
      [&] { return reloader.runtimeinfo_json(); },
      [&](const storage::HistoryQuery& q) { return history.query(q); },
      [&] { return reloader.auth_token_file(); },
      AlertmanagerApiHooks{[&] { return router.router(); },
                           [&](std::vector<Alert> a) { return router.receive(std::move(a)); },
                           [&] {
                             std::lock_guard lock(config_mu);
                             return config::dump_config(current->config);
                           },
                           {},
                           &clock,
                           started},
      RunbookHooks{[&] {
                     std::lock_guard lock(config_mu);
                     return link_config;
                   },
                   active_alerts, &clock}};
  HttpServer server(std::move(hooks));
  if (Status s = server.start(options.listen_address); !s) {
    log_event(LogLevel::kError, "not starting", {{"err", s.error().message}});
    return 1;
  }
  log_event(LogLevel::kInfo, "herald started",
            {{"listen", options.listen_address},
             {"port", std::to_string(server.port())},
             {"storage", options.storage_path},
             {"rule_files", std::to_string(loaded->rules.size())}});
  std::thread evaluation([&] { runtime.run(); });
  std::thread routing([&] { router.run(); });
  for (;;) {
    int sig = 0;
    sigwait(&signals, &sig);
    if (sig == SIGHUP) {
      (void)reloader.reload("SIGHUP");
      continue;
    }
    log_event(LogLevel::kInfo, "shutting down",
              {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
    break;
  }
  server.stop();
  runtime.stop();
  evaluation.join();
  router.stop(kOutboxDrain);
  routing.join();
  log_event(LogLevel::kInfo, "stopped");
  return 0;
}

}  // namespace herald::app
