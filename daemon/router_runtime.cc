// The router's threads: one flush loop, one delivery loop and a thread per notification in flight.
#include "daemon/router_runtime.h"

#include <algorithm>

#include "daemon/log.h"
#include "notifiers/build.h"

namespace herald::daemon {
namespace {

// The delivery loop re-checks at least this often with nothing claimable (a reload, a clock
// step), besides waking for new items and ended sends.
constexpr auto kIdleRecheck = std::chrono::seconds(1);
constexpr auto kMinWait = std::chrono::milliseconds(20);

LabelSet integration_labels(const router::IntegrationId& id) {
  return LabelSet{{"receiver", id.receiver}, {"integration", id.integration}};
}

std::optional<router::RouterSettings> settings_of(const std::shared_ptr<const LoadedConfig>& c,
                                                  const router::ReceiverTargets& targets) {
  if (!c->config.routing.route) return std::nullopt;
  router::RouterSettings s;
  s.routing = std::shared_ptr<const config::RoutingConfig>(c, &c->config.routing);
  s.receivers = targets;
  s.resolve_timeout = c->config.global.resolve_timeout;
  return s;
}

}  // namespace

RouterRuntime::RouterRuntime(const Clock& clock, storage::Database& db, HttpClient& http,
                             MetricsRegistry& metrics, size_t max_in_flight)
    : clock_(clock),
      db_(db),
      http_(http),
      http_clients_(http),
      max_in_flight_(std::max<size_t>(1, max_in_flight)),
      reporter_(metrics),
      enqueued_(metrics.counter("herald_outbox_enqueued_total",
                                "Notifications written to the outbox, by receiver.")),
      flush_errors_(metrics.counter("herald_router_flush_errors_total",
                                    "Group flushes that could not be written (retried at the "
                                    "next group_interval).")),
      outbox_items_(metrics.gauge("herald_outbox_items",
                                  "Notifications in the outbox: due, waiting to retry, or held "
                                  "back by a receiver's rate limit.")),
      outbox_oldest_(metrics.gauge("herald_outbox_oldest_item_age_seconds",
                                   "Age of the oldest notification in the outbox (0 if empty).")),
      delivery_(db, router::BackoffPolicy{},
                static_cast<uint64_t>(clock.now().time_since_epoch().count())) {}

RouterRuntime::~RouterRuntime() {
  stop();
}

router::ReceiverTargets RouterRuntime::install_notifiers(
    const std::shared_ptr<const LoadedConfig>& loaded) {
  const LoadedConfig& c = *loaded;
  router::NotifierMap map;
  router::ReceiverTargets targets;
  std::vector<std::shared_ptr<Notifier>> all;
  const notifiers::BuildContext context{
      .http = http_,
      .external_url = c.config.global.external_url,
      .templates = c.config.routing.message_templates,
      .links = std::shared_ptr<const links::LinkSettings>(loaded, &loaded->links),
      .smtp = &smtp_,
      .http_for = [this](const config::HttpConfig& h) -> HttpClient& {
        return http_clients_.client(h.tls_config, h.proxy_url);
      },
      .firing_alerts = [this](std::string_view receiver,
                              WallTime now) { return firing_alerts(receiver, now); }};
  for (notifiers::ReceiverNotifiers& r :
       notifiers::build_notifiers(c.config.routing.receivers, context)) {
    std::vector<router::IntegrationTarget>& t = targets[r.receiver];
    for (notifiers::IntegrationNotifier& n : r.integrations) {
      const std::string kind(n.notifier->integration());
      const int index = static_cast<int>(n.index);
      t.push_back({kind, index, n.notifier->send_resolved()});
      all.push_back(std::shared_ptr<Notifier>(std::move(n.notifier)));
      map[{r.receiver, kind, index}] = all.back();
    }
  }
  delivery_.set_notifiers(std::move(map));
  {
    std::lock_guard lock(mu_);
    notifiers_ = std::move(all);
    ++tick_generation_;
    tick_cv_.notify_all();
  }
  return targets;
}

Status RouterRuntime::start(std::shared_ptr<const LoadedConfig> config) {
  if (!config->config.routing.route) return {};
  router::ReceiverTargets targets = install_notifiers(config);
  auto r = router::Router::open(*settings_of(config, targets), db_, clock_.now());
  if (!r) return tl::unexpected(r.error());
  router_ = std::move(*r);
  return {};
}

void RouterRuntime::apply(std::shared_ptr<const LoadedConfig> config) {
  const bool has_route = config->config.routing.route.has_value();
  if (!router_ || !has_route) {
    // The API and the loops hold the router without a lock, so it is created only at start-up.
    if (has_route != (router_ != nullptr)) {
      log_event(LogLevel::kWarn, "adding or removing the route section takes effect at restart");
    }
    return;
  }
  router::ReceiverTargets targets = install_notifiers(config);
  router_->reconfigure(*settings_of(config, targets), clock_.now());
  wake_flush();
}

void RouterRuntime::wake_flush() {
  std::lock_guard lock(mu_);
  ++flush_generation_;
  flush_cv_.notify_all();
}

void RouterRuntime::wake_delivery() {
  std::lock_guard lock(mu_);
  ++work_generation_;
  work_cv_.notify_all();
}

Status RouterRuntime::receive(std::vector<Alert> alerts) {
  if (!router_) return {};
  Status s = router_->receive(std::move(alerts), clock_.now());
  wake_flush();
  return s;
}

void RouterRuntime::run() {
  if (!router_) {
    std::unique_lock lock(mu_);
    flush_cv_.wait(lock, [&] { return stopping_; });
    return;
  }
  std::thread delivery([this] { delivery_loop(); });
  std::thread tick([this] { tick_loop(); });
  flush_loop();
  delivery.join();
  tick.join();
}

void RouterRuntime::stop(Duration drain) {
  std::lock_guard lock(mu_);
  if (!stopping_) drain_until_ = clock_.monotonic() + drain;
  stopping_ = true;
  flush_cv_.notify_all();
  work_cv_.notify_all();
  tick_cv_.notify_all();
}

void RouterRuntime::flush_loop() {
  for (;;) {
    uint64_t seen = 0;
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      seen = flush_generation_;
    }
    const WallTime now = clock_.now();
    const router::FlushReport report = router_->flush_due(now);
    for (const Error& e : report.errors) {
      flush_errors_.inc();
      log_event(LogLevel::kError, "router flush not written; retried at the next group_interval",
                {{"err", e.message}});
    }
    if (report.enqueued > 0) {
      enqueued_.inc({}, static_cast<double>(report.enqueued));
      wake_delivery();
    }
    const std::optional<WallTime> next = router_->next_deadline();
    const WallTime deadline =
        std::max(next.value_or(now + std::chrono::minutes(1)), now + kMinWait);
    std::unique_lock lock(mu_);
    flush_cv_.wait_until(lock, deadline, [&] { return stopping_ || flush_generation_ != seen; });
  }
}

void RouterRuntime::delivery_loop() {
  for (;;) {
    join_finished();
    uint64_t seen = 0;
    size_t in_flight = 0;
    bool draining = false;
    {
      std::lock_guard lock(mu_);
      if (stopping_ && clock_.monotonic() >= drain_until_) break;
      draining = stopping_;
      seen = work_generation_;
      in_flight = sends_.size();
    }
    for (const router::DeliveryEvent& e : delivery_.retry_records(clock_.now()))
      reporter_.report(e, delivery_.unrecorded().size());
    const std::vector<storage::OutboxItem> items =
        in_flight < max_in_flight_ ? delivery_.claim(clock_.now(), max_in_flight_ - in_flight)
                                   : std::vector<storage::OutboxItem>{};
    for (const storage::OutboxItem& item : items) {
      std::lock_guard lock(mu_);
      sends_.emplace_back([this, item] { send(item); });
    }
    if (!items.empty()) continue;
    if (draining && in_flight == 0) break;  // nothing due any more
    const WallTime now = clock_.now();
    WallTime deadline =
        std::min(delivery_.next_attempt().value_or(now + kIdleRecheck), now + kIdleRecheck);
    deadline = std::max(deadline, now + kMinWait);
    std::unique_lock lock(mu_);
    work_cv_.wait_until(lock, deadline,
                        [&] { return work_generation_ != seen || (stopping_ && !draining); });
  }
  // Sends in flight finish (their timeouts bound them); what is left waits in SQLite.
  for (;;) {
    join_finished();
    std::unique_lock lock(mu_);
    if (sends_.empty()) return;
    work_cv_.wait_for(lock, kIdleRecheck, [&] { return !finished_.empty(); });
  }
}

void RouterRuntime::send(storage::OutboxItem item) {
  const router::DeliveryEvent e = delivery_.deliver(item, clock_);
  reporter_.report(e, delivery_.unrecorded().size());
  std::lock_guard lock(mu_);
  finished_.push_back(std::this_thread::get_id());
  ++work_generation_;  // its integration and group may have more to claim now
  work_cv_.notify_all();
}

void RouterRuntime::join_finished() {
  std::list<std::thread> done;
  {
    std::lock_guard lock(mu_);
    for (const std::thread::id id : finished_) {
      auto it = std::find_if(sends_.begin(), sends_.end(),
                             [&](const std::thread& t) { return t.get_id() == id; });
      if (it != sends_.end()) done.splice(done.end(), sends_, it);
    }
    finished_.clear();
  }
  for (std::thread& t : done)
    t.join();  // each has only its return left
}

std::vector<Alert> RouterRuntime::firing_alerts(std::string_view receiver, WallTime now) const {
  std::vector<Alert> out;
  if (!router_) return out;
  for (router::AlertView& v : router_->alerts(now)) {
    if (!v.active(now) || v.suppressed()) continue;
    if (std::find(v.receivers.begin(), v.receivers.end(), receiver) != v.receivers.end())
      out.push_back(std::move(v.alert));
  }
  return out;
}

void RouterRuntime::tick_loop() {
  for (;;) {
    std::vector<std::shared_ptr<Notifier>> notifiers;
    uint64_t seen = 0;
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      notifiers = notifiers_;
      seen = tick_generation_;
    }
    const WallTime now = clock_.now();
    WallTime deadline = now + std::chrono::minutes(1);
    for (const std::shared_ptr<Notifier>& n : notifiers) {
      if (std::optional<WallTime> next = n->tick(now)) deadline = std::min(deadline, *next);
    }
    deadline = std::max(deadline, now + kMinWait);
    std::unique_lock lock(mu_);
    tick_cv_.wait_until(lock, deadline, [&] { return stopping_ || tick_generation_ != seen; });
  }
}

std::vector<router::IntegrationHealth> RouterRuntime::health() const {
  return delivery_.health();
}

std::vector<evaluator::QuerySample> RouterRuntime::failing(WallTime now) const {
  std::vector<evaluator::QuerySample> out;
  for (const router::IntegrationHealth& h : delivery_.health()) {
    if (!router::keeps_failing(h, now)) continue;
    out.push_back({integration_labels(h.integration),
                   std::chrono::duration<double>(now - *h.failing_since).count()});
  }
  return out;
}

void RouterRuntime::update_metrics(WallTime now) {
  // A scrape while the disk is full or the database locked: the gauges keep their last values.
  if (Result<storage::Outbox::Stats> s = storage::Outbox(db_).stats(); s) {
    outbox_items_.set({}, static_cast<double>(s->items));
    outbox_oldest_.set({}, s->oldest_created_at
                               ? std::chrono::duration<double>(now - *s->oldest_created_at).count()
                               : 0.0);
  }
}

size_t RouterRuntime::in_flight() {
  std::lock_guard lock(mu_);
  return sends_.size();
}

std::optional<WallTime> RouterRuntime::unrecorded_since() const {
  std::optional<WallTime> oldest;
  for (const router::UnrecordedDelivery& u : delivery_.unrecorded()) {
    if (!oldest || u.delivered_at < *oldest) oldest = u.delivered_at;
  }
  return oldest;
}

}  // namespace herald::daemon
