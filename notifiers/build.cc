// Receiver config → notifiers.
#include "notifiers/build.h"

#include "notifiers/alertmanager_forward.h"
#include "notifiers/email.h"
#include "notifiers/pagerduty.h"
#include "notifiers/slack.h"
#include "notifiers/unsupported.h"
#include "notifiers/webhook.h"

namespace herald::notifiers {
namespace {

template <typename Config>
void add_unsupported(ReceiverNotifiers& out, const std::vector<Config>& configs,
                     std::string_view integration) {
  for (size_t i = 0; i < configs.size(); ++i) {
    out.integrations.push_back(
        {std::make_unique<UnsupportedNotifier>(std::string(integration), configs[i].send_resolved),
         i});
  }
}

HttpClient& client(const BuildContext& context, const config::HttpConfig& http) {
  return context.http_for ? context.http_for(http) : context.http;
}

}  // namespace

std::vector<ReceiverNotifiers> build_notifiers(const std::vector<config::Receiver>& receivers,
                                               const BuildContext& context) {
  std::vector<ReceiverNotifiers> out;
  out.reserve(receivers.size());
  const Templating templating{context.templates, context.external_url};
  for (const config::Receiver& r : receivers) {
    ReceiverNotifiers& rn = out.emplace_back();
    rn.receiver = r.name;
    for (size_t i = 0; i < r.webhook_configs.size(); ++i) {
      rn.integrations.push_back(
          {std::make_unique<WebhookNotifier>(r.webhook_configs[i], r.name, context.external_url,
                                             client(context, r.webhook_configs[i].http_config)),
           i});
    }
    if (context.smtp == nullptr) {
      add_unsupported(rn, r.email_configs, "email");
    } else {
      for (size_t i = 0; i < r.email_configs.size(); ++i) {
        rn.integrations.push_back(
            {std::make_unique<EmailNotifier>(r.email_configs[i], context.links, *context.smtp,
                                             EmailOptions{}, templating),
             i});
      }
    }
    for (size_t i = 0; i < r.pagerduty_configs.size(); ++i) {
      rn.integrations.push_back(
          {std::make_unique<PagerdutyNotifier>(r.pagerduty_configs[i], r.name, context.links,
                                               client(context, r.pagerduty_configs[i].http_config),
                                               templating),
           i});
    }
    for (size_t i = 0; i < r.slack_configs.size(); ++i) {
      rn.integrations.push_back(
          {std::make_unique<SlackNotifier>(r.slack_configs[i], r.name, context.links,
                                           client(context, r.slack_configs[i].http_config),
                                           SlackOptions{}, templating),
           i});
    }
    FiringAlerts firing;
    if (context.firing_alerts) {
      firing = [source = context.firing_alerts, name = r.name](WallTime now) {
        return source(name, now);
      };
    }
    for (size_t i = 0; i < r.alertmanager_configs.size(); ++i) {
      rn.integrations.push_back({std::make_unique<AlertmanagerForwarder>(
                                     r.alertmanager_configs[i], firing,
                                     client(context, r.alertmanager_configs[i].http_config)),
                                 i});
    }
  }
  return out;
}

}  // namespace herald::notifiers
