// Building each receiver's notifiers from the loaded config, in Alertmanager's integration order
// (notify.BuildReceiverIntegrations: webhook, email, pagerduty, …, slack), herald's Alertmanager
// forwarder last. daemon/ calls it at start-up and reload and hands the result to the router.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/receivers.h"
#include "links/alert_links.h"
#include "model/clock.h"
#include "model/http_client.h"
#include "model/notifier.h"
#include "model/smtp_client.h"
#include "template/template.h"

namespace herald::notifiers {

struct IntegrationNotifier {
  std::unique_ptr<Notifier> notifier;
  // Its position among the receiver's configs of the same kind (webhook_configs[index]): with the
  // receiver and integration name it identifies the integration in the notification log, as
  // Alertmanager's nflog receiver {GroupName, Integration, Idx} does.
  size_t index = 0;
};

struct ReceiverNotifiers {
  std::string receiver;
  std::vector<IntegrationNotifier> integrations;  // may be empty: a receiver that sends nothing
};

// What notifiers are built with. `http` must outlive the notifiers. No clock: notifiers are
// handed `now` with each notification.
struct BuildContext {
  HttpClient& http;          // for integrations whose http_config asks for no TLS settings or proxy
  std::string external_url;  // herald's own address (webhook externalURL)
  // The message template set (config.routing.message_templates); null: herald's defaults.
  std::shared_ptr<const tmpl::Template> templates;
  std::shared_ptr<const links::LinkSettings> links;  // the links messages carry
  SmtpClient* smtp = nullptr;                        // for email; must outlive the notifiers
  // The client for an http_config with TLS settings or a proxy (it must outlive the notifiers);
  // unset: `http` for every integration.
  std::function<HttpClient&(const config::HttpConfig&)> http_for;
  // A receiver's current firing, unsuppressed alerts (the Alertmanager forwarder re-sends them).
  std::function<std::vector<Alert>(std::string_view receiver, WallTime now)> firing_alerts;
};

// One entry per receiver, in config order. Without an SmtpClient, email integrations get an
// UnsupportedNotifier (they fail permanently, saying so).
[[nodiscard]] std::vector<ReceiverNotifiers> build_notifiers(
    const std::vector<config::Receiver>& receivers, const BuildContext& context);

}  // namespace herald::notifiers
