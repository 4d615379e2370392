// Building, starting, reloading and draining the daemon's parts.
#include "daemon/daemon.h"

#include "daemon/log.h"

namespace herald::daemon {
namespace {

Result<std::unique_ptr<storage::Database>> open_storage(const DaemonOptions& options) {
  storage::OpenOptions o;
  o.move_corrupt_aside = options.move_corrupt_aside;
  auto db = storage::Database::open(options.storage_path, o);
  if (db && (*db)->moved_aside()) {
    log_event(LogLevel::kWarn, "corrupt database moved aside; starting with empty state",
              {{"path", options.storage_path}, {"moved_to", *(*db)->moved_aside()}});
  }
  return db;
}

}  // namespace

Result<std::unique_ptr<Daemon>> Daemon::build(const DaemonOptions& options, const Clock& clock,
                                              std::ostream& diagnostics) {
  LoadAttempt attempt = load_configuration(options.config_file);
  for (const Diagnostic& d : attempt.diagnostics)
    diagnostics << d.to_string() << "\n";
  if (!attempt.loaded) {
    return invalid_input("configuration " + options.config_file + " has errors");
  }
  auto db = open_storage(options);
  if (!db) return tl::unexpected(db.error());
  return std::unique_ptr<Daemon>(
      new Daemon(options, clock, std::move(attempt.loaded), std::move(*db)));
}

Daemon::Daemon(const DaemonOptions& options, const Clock& clock,
               std::shared_ptr<const LoadedConfig> loaded, std::unique_ptr<storage::Database> db)
    : options_(options),
      clock_(clock),
      started_(clock.now()),
      db_(std::move(db)),
      evaluator_(clock, options.workers, db_.get(), options.history_retention),
      notifier_http_(net::CurlOptions{}),
      router_(clock, *db_, notifier_http_, evaluator_.registry()),
      reloader_(
          options.config_file, *loaded,
          [this](std::shared_ptr<const LoadedConfig> c) { apply(std::move(c)); },
          evaluator_.registry(), clock),
      history_(*db_),
      config_(std::move(loaded)) {
  evaluator_.set_sink([this](std::vector<Alert> alerts) { hand_over(std::move(alerts)); });
  evaluator_.set_notification_failures([this](WallTime now) { return notification_failures(now); });
  evaluator_.set_storage_failures([this](WallTime now) { return storage_failures(now); });
  evaluator_.set_shard(options.shard);
}

Daemon::~Daemon() {
  drain(Duration::zero());
  wait();
}

Status Daemon::start() {
  const std::shared_ptr<const LoadedConfig> loaded = config();
  if (Status s = router_.start(loaded); !s) {
    return tl::unexpected(s.error().with_context("router state"));
  }
  if (Status s = evaluator_.start(loaded); !s) return s;
  evaluation_thread_ = std::thread([this] { evaluator_.run(); });
  routing_thread_ = std::thread([this] { router_.run(); });
  return {};
}

ReloadOutcome Daemon::reload(const std::string& trigger) {
  return reloader_.reload(trigger);
}

void Daemon::drain(Duration outbox_drain) {
  // The evaluations in flight finish and hand their alerts over before the router stops.
  evaluator_.stop();
  if (evaluation_thread_.joinable()) evaluation_thread_.join();
  router_.stop(outbox_drain);
}

void Daemon::wait() {
  if (routing_thread_.joinable()) routing_thread_.join();
}

std::shared_ptr<const LoadedConfig> Daemon::config() const {
  std::lock_guard lock(config_mu_);
  return config_;
}

void Daemon::hand_over(std::vector<Alert> alerts) {
  // A failed hand-over (storage) is logged; the evaluator re-sends firing alerts every resend
  // delay, so the router sees them again.
  if (Status s = router_.receive(std::move(alerts)); !s) {
    log_event(LogLevel::kError, "alerts not handed to the router", {{"err", s.error().message}});
  }
}

std::vector<evaluator::QuerySample> Daemon::notification_failures(WallTime now) const {
  return router_.failing(now);
}

std::vector<evaluator::QuerySample> Daemon::storage_failures(WallTime now) {
  storage_health_.observe(now, db_->counters());
  return evaluator::storage_failure_samples(storage_health_.failing_since(),
                                            router_.unrecorded_since(), now);
}

void Daemon::apply(std::shared_ptr<const LoadedConfig> loaded) {
  evaluator_.apply(loaded);
  router_.apply(loaded);
  std::lock_guard lock(config_mu_);
  config_ = std::move(loaded);
}

}  // namespace herald::daemon
