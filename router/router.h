// Router: Alertmanager's alert path from receipt to the outbox — merge into the held alerts
// (the provider), group (Dispatcher), and pass each due flush through the stages of
// router/pipeline.h (time intervals, inhibitions, silences, dedup against the notification log),
// writing what must be sent to the durable outbox before anything is attempted. Delivery is
// OutboxDelivery's job. Every change is in SQLite before it is acted on; open() rebuilds the
// groups, their timers and the silences from it. Pure of clocks (every call takes `now`).
// Thread-safe: one mutex guards everything (the API, the evaluator and the run loop all call in).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/routing.h"
#include "model/alert.h"
#include "model/clock.h"
#include "model/duration.h"
#include "model/error.h"
#include "router/dispatcher.h"
#include "router/inhibitor.h"
#include "router/pipeline.h"
#include "router/route.h"
#include "router/silence.h"
#include "storage/database.h"
#include "storage/group_timer_store.h"
#include "storage/notification_log.h"
#include "storage/outbox.h"
#include "storage/router_alert_store.h"
#include "storage/silence_store.h"

namespace herald::router {

// One integration of a receiver, as the notification log and the outbox key it.
struct IntegrationTarget {
  std::string integration;  // "webhook", "slack", …
  int index = 0;            // among the receiver's integrations of that kind
  bool send_resolved = false;
};
using ReceiverTargets = std::map<std::string, std::vector<IntegrationTarget>, std::less<>>;

struct RouterSettings {
  std::shared_ptr<const config::RoutingConfig> routing;  // REQUIRES: routing->route is set
  ReceiverTargets receivers;                             // every receiver the routing tree names
  RouteDefaults defaults;
  Duration resolve_timeout = std::chrono::minutes(5);
};

// An alert as the v2 API shows it.
struct AlertView {
  Alert alert;
  std::vector<std::string> receivers;  // of every route it matches, in tree order
  std::vector<std::string> silenced_by;
  std::vector<Fingerprint> inhibited_by;
  [[nodiscard]] bool suppressed() const { return !silenced_by.empty() || !inhibited_by.empty(); }
  [[nodiscard]] bool active(WallTime now) const;  // not resolved at now
};

struct GroupView {
  LabelSet labels;
  std::string receiver;
  std::string group_key;
  std::vector<Fingerprint> alerts;
  WallTime next_flush{};
};

// What flush_due did, for metrics and logs.
struct FlushReport {
  size_t flushes = 0;
  size_t muted = 0;
  size_t enqueued = 0;  // outbox items written
  std::vector<Error> errors;
};

class Router {
 public:
  // Loads the held alerts, the silences and the groups' timers from `db` and rebuilds the
  // groups. `db` must outlive the router.
  [[nodiscard]] static Result<std::unique_ptr<Router>> open(RouterSettings settings,
                                                            storage::Database& db, WallTime now);

  // Alerts from the evaluator or the API, with their times set (see apply_receipt_defaults).
  // Persisted (one transaction) before they join any group; on a storage error nothing changes.
  [[nodiscard]] Status receive(std::vector<Alert> alerts, WallTime now);

  // Runs every flush due at `now`: each notification to send is in the outbox when this returns.
  FlushReport flush_due(WallTime now);
  [[nodiscard]] std::optional<WallTime> next_deadline() const;

  // A reload: a new routing tree (as Alertmanager builds a new dispatcher) over the same alerts;
  // groups that still exist keep their timers.
  void reconfigure(RouterSettings settings, WallTime now);

  // Silences (the v2 API). set() validates, persists, and returns the id.
  [[nodiscard]] Result<std::string> set_silence(Silence silence, WallTime now);
  [[nodiscard]] Status expire_silence(std::string_view id, WallTime now);
  [[nodiscard]] std::vector<Silence> silences() const;
  [[nodiscard]] std::optional<Silence> silence(std::string_view id) const;

  [[nodiscard]] std::vector<AlertView> alerts(WallTime now) const;
  [[nodiscard]] std::vector<GroupView> groups() const;
  [[nodiscard]] Duration resolve_timeout() const;

 private:
  using TimerKey = std::pair<std::string, std::string>;  // group key, route id
  struct TimerState {
    WallTime next_flush{};
    bool has_flushed = false;
    friend bool operator==(const TimerState&, const TimerState&) = default;
  };

  Router(RouterSettings settings, storage::Database& db);
  // The rest REQUIRE mu_ held.
  void install(RouterSettings settings);
  // A new dispatcher over every held alert; groups found in `timers` get their timer back.
  void regroup(WallTime now, const std::map<TimerKey, TimerState>& timers);
  [[nodiscard]] Status persist_timers();
  // One due flush through the pipeline (router/pipeline.h): mute by time intervals, inhibit,
  // silence, dedup against the log, enqueue. Sends nothing itself; OutboxDelivery does.
  void process(const Flush& flush, WallTime now, FlushReport& report);
  [[nodiscard]] Result<IntegrationLog> integration_log(
      const storage::NotificationLogKey& key) const;
  // Dedup for each of the receiver's integrations: log-only writes are made here, notifications
  // to send are appended to `items`. False after a storage error (reported): the flush failed.
  [[nodiscard]] bool dedup_integrations(const Flush& flush, WallTime now,
                                        std::vector<storage::OutboxItem>& items,
                                        FlushReport& report);
  // All of one flush's notifications in one transaction; false after a storage error (reported).
  [[nodiscard]] bool enqueue(const std::vector<storage::OutboxItem>& items, FlushReport& report);
  void collect_garbage(WallTime now);
  [[nodiscard]] Status persist_silences(const std::vector<Silence>& changed);

  mutable std::mutex mu_;
  RouterSettings settings_;
  std::unique_ptr<Route> root_;
  std::map<const Route*, std::string> route_ids_;  // "0", "0.1", … (tree positions)
  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<Inhibitor> inhibitor_;
  Silences silences_;
  std::map<Fingerprint, Alert> alerts_;  // Alertmanager's provider: the latest of each alert
  std::map<TimerKey, TimerState> saved_timers_;  // what the timer table holds
  WallTime last_gc_{};
  storage::RouterAlertStore alert_store_;
  storage::GroupTimerStore timer_store_;
  storage::NotificationLog nflog_;
  storage::Outbox outbox_;
  storage::SilenceStore silence_store_;
};

}  // namespace herald::router
