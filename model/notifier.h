// Notifier: the seam between the router and one receiver integration (docs/architecture.md: the
// router never includes notifiers/; daemon/ builds them from the receivers and injects them). Plain
// types; an implementation renders, sends through an injected HttpClient, and classifies the
// answer, at the `now` it is handed (it reads no clock). Retry, backoff and dedup live once, in
// the router's outbox. Implementations must be thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/alert.h"
#include "model/clock.h"
#include "model/labels.h"

namespace herald {

// One notification of one aggregation group to one integration: what Alertmanager's notify
// pipeline hands an integration after dedup (firing, and resolved only with send_resolved).
struct Notification {
  std::string receiver;   // receiver name
  std::string group_key;  // Alertmanager's group key
  LabelSet group_labels;
  std::vector<Alert> firing;    // in Alertmanager's alert order
  std::vector<Alert> resolved;  // ends_at <= the flush time
  // Data this integration returned from the group's previous successful notification (e.g. the
  // Slack channel and ts to thread under); empty when there was none. Opaque to the router.
  std::string previous_data;
};

enum class DeliveryOutcome {
  kDelivered,
  kRetry,      // network error, 429, 5xx: the outbox tries again later
  kPermanent,  // other 4xx, invalid configuration: the outbox gives up and reports it
};

struct DeliveryResult {
  DeliveryOutcome outcome = DeliveryOutcome::kDelivered;
  // With kRetry: the peer's Retry-After, which the outbox honours over its own backoff.
  std::optional<std::chrono::seconds> retry_after;
  // With kRetry/kPermanent: what went wrong, e.g. "webhook: http 503". Never holds a secret (no URL
  // path or query, no header, no token).
  std::string error;
  // With kDelivered: what to hand back as previous_data next time (stored in the notification log).
  std::string data;
  // Problems that did not stop the delivery, for the log: a user template that failed, so the
  // built-in text was sent in its place. Secret-free like `error`.
  std::vector<std::string> warnings = {};
};

class Notifier {
 public:
  virtual ~Notifier() = default;
  // "webhook", "slack", "email", "pagerduty", "alertmanager": Alertmanager's integration names.
  [[nodiscard]] virtual std::string_view integration() const = 0;
  // The integration's send_resolved: whether resolved alerts are sent (the dedup decision uses it).
  [[nodiscard]] virtual bool send_resolved() const = 0;
  // Renders and sends one notification at `now` (the time messages show, links are built for and
  // an HTTP-date Retry-After is counted from); blocks for at most the integration's timeout.
  // Thread-safe.
  [[nodiscard]] virtual DeliveryResult notify(const Notification& notification, WallTime now) = 0;
  // Periodic work besides notifications (the Alertmanager forwarder re-sends firing alerts so its
  // peers do not resolve them): the router runtime calls it when due; it returns when it next
  // wants to run, or nullopt for never. May block up to the integration's timeout. Thread-safe.
  [[nodiscard]] virtual std::optional<WallTime> tick(WallTime now) {
    (void)now;
    return std::nullopt;
  }
};

}  // namespace herald
