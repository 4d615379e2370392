// build_notifiers: every receiver, its integrations in Alertmanager's order with per-kind
// indexes, and the placeholder for integrations herald cannot deliver yet.
#include "notifiers/build.h"

#include <catch2/catch.hpp>

#include "notifiers/unsupported.h"

using herald::DeliveryOutcome;

namespace {

class NoHttp final : public herald::HttpClient {
 public:
  herald::Result<herald::HttpResponse> send(const herald::HttpRequest&) override {
    return herald::unavailable("no network in this test");
  }
};

}  // namespace

TEST_CASE("build_notifiers: Alertmanager's integration order with per-kind indexes",
          "[notifiers]") {
  herald::config::Receiver all;
  all.name = "all";
  // Declared in an order unlike Alertmanager's, which builds webhook, email, pagerduty, slack.
  all.slack_configs.resize(2);
  all.alertmanager_configs.resize(1);
  all.pagerduty_configs.resize(1);
  all.email_configs.resize(1);
  all.webhook_configs.resize(2);
  all.webhook_configs[1].send_resolved = false;
  herald::config::Receiver empty;
  empty.name = "blackhole";

  NoHttp http;
  const herald::notifiers::BuildContext context{
      .http = http,
      .external_url = "http://h",
      .templates = nullptr,
      .links = std::make_shared<const herald::links::LinkSettings>(),
      .smtp = nullptr,
      .http_for = {},
      .firing_alerts = {}};
  const auto built = herald::notifiers::build_notifiers({all, empty}, context);
  REQUIRE(built.size() == 2);
  CHECK(built[0].receiver == "all");
  std::vector<std::pair<std::string, size_t>> got;
  for (const auto& i : built[0].integrations)
    got.emplace_back(std::string(i.notifier->integration()), i.index);
  CHECK(got == std::vector<std::pair<std::string, size_t>>{{"webhook", 0},
                                                           {"webhook", 1},
                                                           {"email", 0},
                                                           {"pagerduty", 0},
                                                           {"slack", 0},
                                                           {"slack", 1},
                                                           {"alertmanager", 0}});
  CHECK(built[0].integrations[0].notifier->send_resolved());
  CHECK_FALSE(built[0].integrations[1].notifier->send_resolved());
  CHECK_FALSE(built[0].integrations[2].notifier->send_resolved());  // email's default
  CHECK(built[0].integrations[3].notifier->send_resolved());        // pagerduty's default
  CHECK(built[1].receiver == "blackhole");
  CHECK(built[1].integrations.empty());
}

TEST_CASE("unsupported notifier: fails permanently, naming the integration", "[notifiers]") {
  herald::notifiers::UnsupportedNotifier slack("slack", true);
  const auto r = slack.notify(herald::Notification{}, herald::WallTime{});
  CHECK(r.outcome == DeliveryOutcome::kPermanent);
  CHECK(r.error == "herald cannot deliver to slack yet");
  CHECK_FALSE(r.retry_after.has_value());
  CHECK(slack.integration() == "slack");
  CHECK(slack.send_resolved());
}
