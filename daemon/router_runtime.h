// RouterRuntime: the router side of `herald run`. Builds the Router and the receivers'
// notifiers from a LoadedConfig, runs the flush loop (one thread waiting for the earliest group
// deadline), the delivery loop (one thread claiming due outbox items, each sent on a thread of its
// own, so a peer that never answers holds only its own integration's sends) and a tick loop for
// the notifiers' periodic work, and records self-metrics. Alerts
// arrive from the evaluator (in-process) and from POST /api/v2/alerts. Without a `route` in the
// configuration there is no router: receive() drops alerts and the API answers 404.
// Thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "daemon/config_loader.h"
#include "daemon/delivery_reporter.h"
#include "evaluator/query_result.h"
#include "model/clock.h"
#include "model/http_client.h"
#include "model/metrics.h"
#include "net/curl_smtp_client.h"
#include "net/http_client_pool.h"
#include "router/outbox_delivery.h"
#include "router/router.h"
#include "storage/database.h"

namespace herald::daemon {

class RouterRuntime {
 public:
  // `db`, `http` and `metrics` must outlive the runtime. At most `max_in_flight` notifications
  // are being sent at once (and at most router::kMaxInFlightPerIntegration per integration).
  RouterRuntime(const Clock& clock, storage::Database& db, HttpClient& http,
                MetricsRegistry& metrics, size_t max_in_flight = kMaxInFlight);
  static constexpr size_t kMaxInFlight = 64;
  ~RouterRuntime();

  // Opens the router over the stored state (alerts, silences, group timers).
  [[nodiscard]] Status start(std::shared_ptr<const LoadedConfig> config);
  // A validated reload: new routing tree and receivers; held alerts, silences and the outbox stay.
  void apply(std::shared_ptr<const LoadedConfig> config);

  // Alerts whose times are set (the evaluator's, or the API's after receipt defaults).
  [[nodiscard]] Status receive(std::vector<Alert> alerts);

  // Null when the configuration has no route.
  [[nodiscard]] router::Router* router() { return router_.get(); }

  void run();  // blocks running the flush loop and the deliveries until stop()
  // Stops the flush loop at once; the delivery loop goes on starting sends of what is already
  // due for up to `drain` (SIGTERM), then returns once those in flight finished (bounded by their
  // timeouts; `herald run` does not wait past --shutdown.timeout). Whatever is left stays in the
  // outbox for the next start.
  void stop(Duration drain = Duration::zero());

  [[nodiscard]] std::vector<router::IntegrationHealth> health() const;
  // HeraldNotificationsFailing's samples at `now`: {receiver, integration} → seconds failing.
  [[nodiscard]] std::vector<evaluator::QuerySample> failing(WallTime now) const;
  // When the oldest delivered notification whose record is still pending was delivered.
  [[nodiscard]] std::optional<WallTime> unrecorded_since() const;
  // Notifications being sent right now.
  [[nodiscard]] size_t in_flight();
  // Sets the outbox gauges (items waiting, age of the oldest) for a /metrics scrape at `now`.
  void update_metrics(WallTime now);

 private:
  void flush_loop();
  void delivery_loop();
  // One claimed item's send and record, on a thread of its own.
  void send(storage::OutboxItem item);
  // Joins the send threads that have finished. REQUIRES: mu_ not held.
  void join_finished();
  void tick_loop();
  // The receiver's active, unsuppressed alerts (what the Alertmanager forwarder re-sends).
  [[nodiscard]] std::vector<Alert> firing_alerts(std::string_view receiver, WallTime now)
      const;  // notifiers' periodic work (Notifier::tick), apart from flushes and deliveries
  // Builds the receivers' notifiers, hands them to the delivery side, returns their targets.
  router::ReceiverTargets install_notifiers(const std::shared_ptr<const LoadedConfig>& config);
  void wake_flush();
  void wake_delivery();

  const Clock& clock_;
  storage::Database& db_;
  HttpClient& http_;
  net::CurlSmtpClient smtp_;
  net::HttpClientPool http_clients_;  // per-integration TLS / proxy clients
  const size_t max_in_flight_;
  DeliveryReporter reporter_;
  MetricFamily& enqueued_;
  MetricFamily& flush_errors_;
  MetricFamily& outbox_items_;
  MetricFamily& outbox_oldest_;
  std::unique_ptr<router::Router> router_;
  router::OutboxDelivery delivery_;
  std::mutex mu_;
  std::condition_variable flush_cv_;                  // new alerts may move the earliest deadline
  std::condition_variable work_cv_;                   // new outbox items, or a send ended
  std::condition_variable tick_cv_;                   // new notifiers (reload) or stop
  std::vector<std::shared_ptr<Notifier>> notifiers_;  // GUARDED_BY(mu_): for tick_loop
  bool stopping_ = false;                             // GUARDED_BY(mu_)
  MonoTime drain_until_{};                            // GUARDED_BY(mu_)
  uint64_t flush_generation_ = 0;          // GUARDED_BY(mu_): bumped to wake the flush loop
  uint64_t work_generation_ = 0;           // GUARDED_BY(mu_): bumped to wake the delivery loop
  std::list<std::thread> sends_;           // GUARDED_BY(mu_): one per notification being sent
  std::vector<std::thread::id> finished_;  // GUARDED_BY(mu_): sends_ done, to be joined
  uint64_t tick_generation_ = 0;           // GUARDED_BY(mu_): bumped when notifiers_ changes
};

}  // namespace herald::daemon
