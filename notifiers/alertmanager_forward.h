// herald's `alertmanager_configs`: forwards a receiver's alerts to external Alertmanagers
// (POST <url>/api/v2/alerts), as Prometheus's notifier does, so herald can evaluate and an
// existing Alertmanager cluster can route. Firing alerts carry EndsAt = now + 4 × resend_interval,
// and every resend_interval (tick()) all of the receiver's current firing alerts are sent again,
// so the Alertmanager never resolves them on its own timeout — also across herald restarts and
// while the datasource is unreachable (the evaluator then freezes alert states). Thread-safe.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/receivers.h"
#include "model/clock.h"
#include "model/http_client.h"
#include "model/notifier.h"

namespace herald::notifiers {

// The POST body: Alertmanager's v2 postable alerts ({labels, annotations, startsAt, endsAt,
// generatorURL}); firing alerts end at `valid_until`, resolved ones at their EndsAt. Pure.
[[nodiscard]] std::string render_postable_alerts(const std::vector<Alert>& firing,
                                                 const std::vector<Alert>& resolved,
                                                 WallTime valid_until);

// The receiver's current firing, unsilenced, uninhibited alerts (from the router).
using FiringAlerts = std::function<std::vector<Alert>(WallTime now)>;

class AlertmanagerForwarder final : public Notifier {
 public:
  AlertmanagerForwarder(config::AlertmanagerForwardConfig config, FiringAlerts firing,
                        HttpClient& http);

  [[nodiscard]] std::string_view integration() const override { return "alertmanager"; }
  // Always true: an Alertmanager must hear of resolves, or it would resolve only on EndsAt — and
  // a group that resolved unseen would be re-sent as firing forever.
  [[nodiscard]] bool send_resolved() const override { return true; }
  // Firing alerts are sent to end at now + 4 × resend_interval.
  [[nodiscard]] DeliveryResult notify(const Notification& notification, WallTime now) override;
  // Every resend_interval: re-sends the receiver's firing alerts. Returns the next resend time.
  [[nodiscard]] std::optional<WallTime> tick(WallTime now) override;
  // The last resend's outcome (for tests and logs); kDelivered before any.
  [[nodiscard]] DeliveryResult last_resend() const;

 private:
  // POSTs `body` to every URL at `now`; delivered only when every Alertmanager accepted it
  // (re-posting to the others is harmless: Alertmanager merges alerts by fingerprint).
  [[nodiscard]] DeliveryResult post(const std::string& body, WallTime now);

  const config::AlertmanagerForwardConfig config_;
  const FiringAlerts firing_;
  HttpClient& http_;
  mutable std::mutex mu_;
  std::optional<WallTime> next_resend_;  // GUARDED_BY(mu_); unset until the first tick
  DeliveryResult last_resend_;           // GUARDED_BY(mu_)
};

}  // namespace herald::notifiers
