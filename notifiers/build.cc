// Receiver config → notifiers.
#include "notifiers/build.h"

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

}  // namespace

std::vector<ReceiverNotifiers> build_notifiers(const std::vector<config::Receiver>& receivers,
                                               HttpClient& http, const Clock& clock,
                                               std::string_view external_url,
                                               std::shared_ptr<const links::LinkSettings> links) {
  (void)links;  // for the Slack, email and PagerDuty notifiers
  std::vector<ReceiverNotifiers> out;
  out.reserve(receivers.size());
  for (const config::Receiver& r : receivers) {
    ReceiverNotifiers& rn = out.emplace_back();
    rn.receiver = r.name;
    for (size_t i = 0; i < r.webhook_configs.size(); ++i) {
      rn.integrations.push_back(
          {std::make_unique<WebhookNotifier>(r.webhook_configs[i], r.name,
                                             std::string(external_url), http, clock),
           i});
    }
    add_unsupported(rn, r.email_configs, "email");
    add_unsupported(rn, r.pagerduty_configs, "pagerduty");
    add_unsupported(rn, r.slack_configs, "slack");
    add_unsupported(rn, r.alertmanager_configs, "alertmanager");
  }
  return out;
}

}  // namespace herald::notifiers
