// Start-up, signal handling and shutdown of the daemon.
#include "app/run_command.h"

#include <csignal>
#include <iostream>
#include <thread>

#include "app/evaluator_runtime.h"
#include "app/http_server.h"
#include "app/log.h"

namespace herald::app {
namespace {

std::optional<LogLevel> parse_level(const std::string& s) {
  if (s == "debug") return LogLevel::kDebug;
  if (s == "info") return LogLevel::kInfo;
  if (s == "warn") return LogLevel::kWarn;
  if (s == "error") return LogLevel::kError;
  return std::nullopt;
}

// Loads the config and every rule file; prints all diagnostics; nullopt when any is an error.
struct Loaded {
  config::Config config;
  std::vector<config::RuleFile> rules;
};
std::optional<Loaded> load_all(const std::string& path) {
  bool ok = true;
  auto print = [&ok](const Diagnostics& diags) {
    for (const Diagnostic& d : diags) {
      std::cerr << d.to_string() << "\n";
      ok = ok && d.severity != Severity::kError;
    }
  };
  auto cfg = config::load_config(path, config::process_env());
  print(cfg.diagnostics);
  if (!cfg.value) return std::nullopt;
  Loaded out{std::move(*cfg.value), {}};
  const config::RuleFileList files = config::expand_rule_files(out.config);
  print(files.diagnostics);
  for (const std::string& f : files.files) {
    auto rf = config::load_rule_file(f);
    print(rf.diagnostics);
    if (rf.value) out.rules.push_back(std::move(*rf.value));
  }
  if (!ok) return std::nullopt;
  return out;
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
  std::optional<Loaded> loaded = load_all(options.config_file);
  if (!loaded) {
    log_event(LogLevel::kError, "not starting: configuration has errors",
              {{"config", options.config_file}});
    return 1;
  }
  const sigset_t signals = block_signals();
  SystemClock clock;
  EvaluatorRuntime runtime(loaded->config, loaded->rules, clock, options.workers);
  HttpServer server({[&] { return runtime.groups(); }, [&] { return runtime.ready(); },
                     [&] { return runtime.metrics(); }});
  if (Status s = server.start(options.listen_address); !s) {
    log_event(LogLevel::kError, "not starting", {{"err", s.error().message}});
    return 1;
  }
  log_event(LogLevel::kInfo, "herald started",
            {{"listen", options.listen_address},
             {"port", std::to_string(server.port())},
             {"rule_files", std::to_string(loaded->rules.size())}});
  std::thread evaluation([&] { runtime.run(); });
  for (;;) {
    int sig = 0;
    sigwait(&signals, &sig);
    if (sig == SIGHUP) {
      log_event(LogLevel::kWarn, "SIGHUP ignored: reload is not supported yet; restart herald");
      continue;
    }
    log_event(LogLevel::kInfo, "shutting down",
              {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
    break;
  }
  runtime.stop();
  evaluation.join();
  server.stop();
  log_event(LogLevel::kInfo, "stopped");
  return 0;
}

}  // namespace herald::app
