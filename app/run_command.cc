// `herald run`: flags → a Daemon and its HTTP server, then signals until SIGTERM/SIGINT.
#include "app/run_command.h"

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <thread>
#include <tuple>

#include "app/cli.h"
#include "daemon/config_watcher.h"
#include "daemon/daemon.h"
#include "daemon/log.h"
#include "server/daemon_hooks.h"
#include "server/http_server.h"

namespace herald::app {
namespace {

using daemon::log_event;
using daemon::LogLevel;

// --config.watch: a scan of the files every so often, in case inotify missed something (some
// network filesystems), and the settling time that makes a burst of changes one reload.
constexpr Duration kWatchPoll = std::chrono::seconds(10);
constexpr Duration kWatchSettle = std::chrono::seconds(1);

// Of --shutdown.timeout, the last part is left to the deliveries in flight when new ones stop
// starting: a fifth of it, at most 5 s (a webhook answers in well under that, or is cut off).
Duration in_flight_share(Duration timeout) {
  return std::min<Duration>(std::chrono::seconds(5), timeout / 5);
}

std::optional<LogLevel> parse_level(const std::string& s) {
  if (s == "debug") return LogLevel::kDebug;
  if (s == "info") return LogLevel::kInfo;
  if (s == "warn") return LogLevel::kWarn;
  if (s == "error") return LogLevel::kError;
  return std::nullopt;
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

// Reloads on SIGHUP; returns at SIGTERM or SIGINT.
void serve_signals(const sigset_t& signals, daemon::Daemon& d) {
  for (;;) {
    int sig = 0;
    sigwait(&signals, &sig);
    if (sig == SIGHUP) {
      (void)d.reload("SIGHUP");
      continue;
    }
    log_event(LogLevel::kInfo, "shutting down",
              {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
    return;
  }
}

// SIGTERM → exit: drains `d` on a thread of its own (evaluations in flight finish; deliveries
// that are due start for timeout - in_flight_share and may finish until the timeout). Returns
// true when that completed; false when the timeout or a second SIGTERM/SIGINT came first, with
// threads still running: the caller must then exit without destroying `d`. Nothing persisted is
// lost either way; a delivery cut off is sent again after the next start, as after a crash.
constexpr std::chrono::nanoseconds kSignalPoll = std::chrono::milliseconds(50);

bool drain_within(daemon::Daemon& d, const sigset_t& signals, Duration timeout) {
  std::atomic<bool> done = false;
  std::thread drainer([&d, &done, timeout] {
    d.drain(timeout - in_flight_share(timeout));
    d.wait();
    done = true;
  });
  const MonoTime deadline = std::chrono::steady_clock::now() + timeout;
  const char* cut_by = nullptr;
  while (!done) {
    const std::chrono::nanoseconds left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::nanoseconds::zero()) {
      cut_by = "--shutdown.timeout";
      break;
    }
    const std::chrono::nanoseconds wait = std::min<std::chrono::nanoseconds>(left, kSignalPoll);
    const timespec ts{.tv_sec = 0, .tv_nsec = static_cast<long>(wait.count())};
    const int sig = sigtimedwait(&signals, nullptr, &ts);
    if (sig == SIGTERM || sig == SIGINT) {
      cut_by = sig == SIGTERM ? "a second SIGTERM" : "SIGINT";
      break;
    }
  }
  if (cut_by == nullptr) {
    drainer.join();
    return true;
  }
  drainer.detach();
  log_event(LogLevel::kWarn,
            "shutdown cut short; deliveries in flight are sent again after the "
            "next start",
            {{"by", cut_by}, {"in_flight", std::to_string(d.router().in_flight())}});
  return false;
}

}  // namespace

int run_daemon(const RunOptions& options) {
  // The CLI has checked the flags (app/cli.cc); a caller that did not gets a usage error too.
  const auto level = parse_level(options.log_level);
  if (!level || (options.log_format != "logfmt" && options.log_format != "json")) {
    std::cerr << "herald: error: --log.level must be debug|info|warn|error and --log.format "
                 "logfmt|json, try --help\n";
    return kUsageError;
  }
  daemon::init_logging(
      options.log_format == "json" ? daemon::LogFormat::kJson : daemon::LogFormat::kLogfmt, *level);
  const auto retention = parse_duration(options.history_retention);
  if (!retention) {
    std::cerr << "herald: error: --storage.history-retention: " << retention.error().message
              << ", try --help\n";
    return kUsageError;
  }
  server::ServerLimits limits{.max_request_bytes = options.max_request_bytes,
                              .max_connections = options.max_connections,
                              .max_connections_per_client = options.max_connections_per_client,
                              .workers = options.web_workers};
  Duration shutdown_timeout{};
  for (auto [flag, text, out] :
       {std::tuple{"--shutdown.timeout", &options.shutdown_timeout, &shutdown_timeout},
        std::tuple{"--web.read-header-timeout", &options.read_header_timeout,
                   &limits.header_timeout},
        std::tuple{"--web.read-timeout", &options.read_timeout, &limits.body_timeout},
        std::tuple{"--web.idle-timeout", &options.idle_timeout, &limits.idle_timeout},
        std::tuple{"--web.write-timeout", &options.write_timeout, &limits.write_timeout}}) {
    const auto d = parse_duration(*text);
    if (!d || *d <= Duration::zero()) {
      std::cerr << "herald: error: " << flag << ": " << (d ? "must be positive" : d.error().message)
                << ", try --help\n";
      return kUsageError;
    }
    *out = *d;
  }
  const char* hostname = std::getenv("HOSTNAME");
  const auto shard =
      evaluator::parse_shard(options.shard, options.shards, hostname ? hostname : "");
  if (!shard) {
    std::cerr << "herald: error: " << shard.error().message << ", try --help\n";
    return kUsageError;
  }
  SystemClock clock;
  auto d = daemon::Daemon::build({.config_file = options.config_file,
                                  .workers = options.workers,
                                  .storage_path = options.storage_path,
                                  .move_corrupt_aside = options.move_corrupt_aside,
                                  .history_retention = *retention,
                                  .shard = *shard},
                                 clock, std::cerr);
  if (!d) {
    log_event(LogLevel::kError, "not starting",
              {{"config", options.config_file}, {"err", d.error().message}});
    return 1;
  }
  const sigset_t signals = block_signals();
  if (Status s = (*d)->start(); !s) {
    log_event(LogLevel::kError, "not starting", {{"err", s.error().message}});
    return 1;
  }
  server::HttpServer http(server::daemon_hooks(**d), limits);
  if (Status s = http.start(options.listen_address); !s) {
    log_event(LogLevel::kError, "not starting", {{"err", s.error().message}});
    return 1;
  }
  log_event(LogLevel::kInfo, "herald started",
            {{"listen", options.listen_address},
             {"port", std::to_string(http.port())},
             {"storage", options.storage_path},
             {"rule_files", std::to_string((*d)->config()->rules.size())},
             {"shard", shard->str()}});
  std::optional<daemon::ConfigWatcher> watcher;
  if (options.config_watch) {
    daemon::Daemon& daemon = **d;
    watcher.emplace(
        daemon::ConfigWatcher::Hooks{
            .patterns = [&daemon] { return daemon::watched_patterns(*daemon.config()); },
            .reload = [&daemon] { (void)daemon.reload("file change"); }},
        kWatchPoll, kWatchSettle);
    watcher->start();
  }
  serve_signals(signals, **d);
  if (watcher) watcher->stop();
  http.stop();
  if (!drain_within(**d, signals, shutdown_timeout)) {
    // Threads still use the daemon: no destructor may run. Every write so far is committed.
    std::_Exit(0);
  }
  log_event(LogLevel::kInfo, "stopped");
  return 0;
}

}  // namespace herald::app
