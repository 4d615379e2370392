// The generic webhook integration: Alertmanager's version-4 payload, byte for byte as Alertmanager
// 0.25 sends it (notify/webhook/webhook.go, template.Data), POSTed to the configured URL.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/receivers.h"
#include "model/clock.h"
#include "model/http_client.h"
#include "model/notifier.h"

namespace herald::notifiers {

// The JSON body Alertmanager 0.25's webhook POSTs, trailing newline included (json.Encoder).
// Alerts are the notification's firing and resolved ones merged back into Alertmanager's single
// order, cut to the first `max_alerts` (0: all) with the rest counted in truncatedAlerts; status,
// commonLabels and commonAnnotations are computed over the alerts that remain, and `receiver` is
// printed regexp.QuoteMeta'd, as template.Data does. Pure.
[[nodiscard]] std::string render_webhook(const Notification& notification,
                                         std::string_view receiver, std::string_view external_url,
                                         uint64_t max_alerts);

struct WebhookOptions {
  std::chrono::milliseconds timeout{30000};  // the whole request
};

// Sends render_webhook's body with the http_config's Authorization, reading url_file and the
// credential files at every send. Thread-safe (holds only immutable state and the thread-safe
// HttpClient, which must outlive it).
class WebhookNotifier final : public Notifier {
 public:
  WebhookNotifier(config::WebhookConfig config, std::string receiver, std::string external_url,
                  HttpClient& http, WebhookOptions options = {});

  [[nodiscard]] std::string_view integration() const override { return "webhook"; }
  [[nodiscard]] bool send_resolved() const override { return config_.send_resolved; }
  [[nodiscard]] DeliveryResult notify(const Notification& notification, WallTime now) override;

 private:
  const config::WebhookConfig config_;
  const std::string receiver_;
  const std::string external_url_;
  HttpClient& http_;
  const WebhookOptions options_;
};

// The parts of `url` that may carry a credential — the whole URL, user info, path and query (a
// bare "/" path excepted) — for classify_http's redaction.
[[nodiscard]] std::vector<std::string> url_secrets(std::string_view url);

}  // namespace herald::notifiers
