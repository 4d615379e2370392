// herald.yml's Alertmanager sections: an alertmanager.yml pasted in loads into the structs with
// Alertmanager's defaults and global inheritance; herald's additions load too.
#include <catch2/catch.hpp>

#include "config/config.h"

using herald::Matcher;
using herald::MatchType;
using herald::Severity;
using herald::config::Config;
using herald::config::EnvLookup;
using herald::config::InclusiveRange;
using herald::config::load_config;
using herald::config::parse_config;
using herald::config::RouteConfig;
using herald::config::TimeRange;
using namespace std::chrono_literals;

namespace {

const std::string kFixture = HERALD_SOURCE_DIR "/tests/fixtures/config/alertmanager.yml";

const EnvLookup kEnv = [](std::string_view name) -> std::optional<std::string> {
  if (name == "PD_KEY") return "pd-key-from-env";
  return std::nullopt;
};

std::vector<std::string> strings(const herald::Matchers& ms) {
  std::vector<std::string> out;
  for (const Matcher& m : ms)
    out.push_back(m.to_string());
  return out;
}

Config load_fixture() {
  auto loaded = load_config(kFixture, kEnv);
  for (const auto& d : loaded.diagnostics)
    UNSCOPED_INFO(d.to_string());
  REQUIRE(loaded.ok());
  return *loaded.value;
}

Config parse_ok(std::string_view yaml) {
  auto loaded = parse_config("herald.yml", yaml, kEnv);
  for (const auto& d : loaded.diagnostics)
    UNSCOPED_INFO(d.to_string());
  REQUIRE(loaded.ok());
  return *loaded.value;
}

}  // namespace

TEST_CASE("routing: the pasted alertmanager.yml loads its route tree", "[config][routing]") {
  const Config c = load_fixture();
  REQUIRE(c.routing.route);
  const RouteConfig& root = *c.routing.route;
  CHECK(root.receiver == "default-slack");
  CHECK(root.group_by == std::vector<std::string>{"alertname", "cluster"});
  CHECK(root.group_wait == 30s);
  CHECK(root.group_interval == 5min);
  CHECK(root.repeat_interval == 4h);
  REQUIRE(root.routes.size() == 3);

  const RouteConfig& page = root.routes[0];
  CHECK(page.continue_);
  CHECK(strings(page.matchers) ==
        std::vector<std::string>{"severity=\"critical\"", "team=~\"ml|platform\""});
  CHECK(page.group_wait == 10s);
  CHECK_FALSE(page.group_interval);  // inherited by the router
  CHECK_FALSE(page.group_by);
  REQUIRE(page.routes.size() == 1);
  CHECK(strings(page.routes[0].matchers) == std::vector<std::string>{"env=\"staging\""});

  const RouteConfig& legacy = root.routes[1];
  CHECK_FALSE(legacy.continue_);
  // match first, then match_re, whose value carries Alertmanager's anchors.
  CHECK(strings(legacy.matchers) ==
        std::vector<std::string>{"team=\"ml\"", "service=~\"^(?:inference-.*)$\""});
  CHECK(legacy.matchers[1].matches(herald::LabelSet{{"service", "inference-gw"}}));
  CHECK_FALSE(legacy.matchers[1].matches(herald::LabelSet{{"service", "my-inference-gw"}}));
  CHECK(legacy.group_by == std::vector<std::string>{"..."});
  CHECK(legacy.mute_time_intervals == std::vector<std::string>{"weekends"});
  REQUIRE(legacy.routes.size() == 1);
  const RouteConfig& negative = legacy.routes[0];
  CHECK(strings(negative.matchers) ==
        std::vector<std::string>{"model!~\"llama.*\"", "env!=\"prod\""});
  CHECK(negative.active_time_intervals == std::vector<std::string>{"business-hours"});
  CHECK(negative.mute_time_intervals.empty());  // not inherited

  const RouteConfig& watchdog = root.routes[2];
  CHECK(strings(watchdog.matchers) ==
        std::vector<std::string>{"alertname=\"Watchdog\"", "severity=\"none\""});
  CHECK_FALSE(watchdog.group_by);  // `group_by: []` inherits, as in Alertmanager
  CHECK(watchdog.repeat_interval == 1min);
}

TEST_CASE("routing: an empty group_by below the root is a warning, not an error",
          "[config][routing]") {
  auto loaded = load_config(kFixture, kEnv);
  REQUIRE(loaded.ok());
  REQUIRE(loaded.diagnostics.size() == 1);
  CHECK(loaded.diagnostics[0].severity == Severity::kWarning);
  CHECK(loaded.diagnostics[0].pos.line == 41);
  CHECK(loaded.diagnostics[0].pos.column == 17);
  CHECK_THAT(loaded.diagnostics[0].message,
             Catch::StartsWith("route.routes[2].group_by: an empty group_by inherits the "
                               "parent's group_by, as in Alertmanager"));
}

TEST_CASE("routing: receivers of every kind inherit Alertmanager's globals", "[config][routing]") {
  const Config c = load_fixture();
  const auto& rs = c.routing.receivers;
  REQUIRE(rs.size() == 5);

  const auto& slack = rs[0].slack_configs.at(0);
  CHECK(slack.api_url.reveal() == "https://hooks.slack.com/services/T000/B000/slack-SECRET-2");
  CHECK_FALSE(slack.bot_mode());
  CHECK(slack.send_resolved);
  CHECK(slack.channel == "#alerts");
  CHECK(slack.title == "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}");

  const auto& pd = c.routing.find_receiver("pagerduty-oncall")->pagerduty_configs.at(0);
  CHECK(pd.routing_key.reveal() == "0123456789abcdef0123pd-SECRET-3");
  CHECK(pd.send_resolved);  // PagerDuty's default is true
  CHECK(pd.url == "https://events.eu.pagerduty.com/v2/enqueue");
  CHECK(pd.details.at("runbook") == "{{ .CommonAnnotations.runbook_url }}");
  REQUIRE(pd.links.size() == 1);
  CHECK(pd.links[0].text == "Grafana");
  CHECK(pd.severity_map.at("warning") == "warning");

  const auto& email = rs[2].email_configs.at(0);
  CHECK_FALSE(email.send_resolved);
  CHECK(email.to == "ml-team@example.com");
  CHECK(email.from == "alerts@example.com");
  CHECK(email.smarthost.host == "smtp.example.com");
  CHECK(email.smarthost.port == "587");
  CHECK(email.hello == "localhost");
  CHECK(email.auth_username == "alerts");
  CHECK(email.auth_password.reveal() == "smtp-SECRET-1");
  CHECK(email.require_tls);
  CHECK(email.headers.at("Subject") == "[{{ .Status }}] {{ .GroupLabels.alertname }}");

  const auto& hook = rs[3].webhook_configs.at(0);
  CHECK(hook.send_resolved);
  CHECK(hook.url.reveal() == "https://audit.example.com/hook?token=webhook-SECRET-4");
  CHECK(hook.max_alerts == 20);
  REQUIRE(hook.http_config.basic_auth);
  CHECK(hook.http_config.basic_auth->password.reveal() == "basic-SECRET-5");
  CHECK(hook.http_config.follow_redirects);

  CHECK(rs[4].name == "blackhole");
  CHECK(c.routing.find_receiver("nope") == nullptr);
}

TEST_CASE("routing: inhibit rules and time intervals load", "[config][routing]") {
  const Config c = load_fixture();
  const auto& inhibit = c.routing.inhibit_rules;
  REQUIRE(inhibit.size() == 2);
  CHECK(strings(inhibit[0].source_matchers) == std::vector<std::string>{"severity=\"critical\""});
  CHECK(strings(inhibit[0].target_matchers) ==
        std::vector<std::string>{"severity=~\"warning|info\""});
  CHECK(inhibit[0].equal == std::vector<std::string>{"alertname", "cluster"});
  CHECK(strings(inhibit[1].source_matchers) ==
        std::vector<std::string>{"alertname=\"ClusterDown\""});
  CHECK(strings(inhibit[1].target_matchers) == std::vector<std::string>{"alertname=~\"^(?:.+)$\""});

  const auto* hours = c.routing.find_time_interval("business-hours");
  REQUIRE(hours);
  REQUIRE(hours->time_intervals.size() == 1);
  CHECK(hours->time_intervals[0].times == std::vector<TimeRange>{{9 * 60, 18 * 60}});
  CHECK(hours->time_intervals[0].weekdays == std::vector<InclusiveRange>{{1, 5}});
  CHECK(hours->time_intervals[0].location == "Asia/Seoul");

  const auto* weekends = c.routing.find_time_interval("weekends");
  REQUIRE(weekends);
  REQUIRE(weekends->time_intervals.size() == 2);
  CHECK(weekends->time_intervals[0].weekdays == std::vector<InclusiveRange>{{6, 6}, {0, 0}});
  const auto& year_end = weekends->time_intervals[1];
  CHECK(year_end.days_of_month == std::vector<InclusiveRange>{{-3, -1}, {1, 1}});
  CHECK(year_end.months == std::vector<InclusiveRange>{{12, 12}, {1, 2}});
  CHECK(year_end.years == std::vector<InclusiveRange>{{2026, 2027}});
  CHECK(year_end.location.empty());  // UTC
}

TEST_CASE("routing: without a route section herald has no router", "[config][routing]") {
  const Config c = parse_ok("global: {resolve_timeout: 1m}\n");
  CHECK_FALSE(c.routing.route);
  CHECK(c.routing.receivers.empty());
}

TEST_CASE("routing: herald's receiver additions load", "[config][routing]") {
  const Config c = parse_ok(
      "global:\n"
      "  slack_app_token: xoxb-SECRET\n"
      "  http_config: {bearer_token: global-token}\n"
      "route: {receiver: r}\n"
      "receivers:\n"
      "  - name: r\n"
      "    slack_configs: [{channel: C0123}]\n"
      "    pagerduty_configs:\n"
      "      - routing_key: ${PD_KEY}\n"
      "        severity_map: {P1: critical, P2: error}\n"
      "    webhook_configs: [{url_file: secrets/hook-url, http_config: {}}]\n"
      "    alertmanager_configs:\n"
      "      - urls: ['http://am-0:9093', 'http://am-1:9093/prefix']\n"
      "        timeout: 5s\n");
  const auto& r = c.routing.receivers.at(0);
  const auto& slack = r.slack_configs.at(0);
  CHECK(slack.bot_mode());
  CHECK(slack.app_token.reveal() == "xoxb-SECRET");
  CHECK(slack.app_url == "https://slack.com/api/chat.postMessage");
  CHECK(slack.api_url.empty());
  // The global http_config applies where an integration has none of its own.
  CHECK(slack.http_config.authorization_type == "Bearer");
  CHECK(slack.http_config.authorization_credentials.reveal() == "global-token");
  const auto& pd = r.pagerduty_configs.at(0);
  CHECK(pd.routing_key.reveal() == "pd-key-from-env");
  CHECK(pd.severity_map == std::map<std::string, std::string>{{"P1", "critical"}, {"P2", "error"}});
  const auto& hook = r.webhook_configs.at(0);
  CHECK(hook.url_file == "secrets/hook-url");  // relative to the config's directory ("")
  CHECK(hook.http_config.authorization_type.empty());
  const auto& am = r.alertmanager_configs.at(0);
  CHECK(am.urls == std::vector<std::string>{"http://am-0:9093", "http://am-1:9093/prefix"});
  CHECK(am.api_version == "v2");
  CHECK(am.timeout == 5s);
  CHECK(am.resend_interval == 1min);
  CHECK(am.send_resolved);
}

TEST_CASE("routing: the deprecated mute_time_intervals still load, with a warning",
          "[config][routing]") {
  auto loaded = parse_config("herald.yml",
                             "route:\n"
                             "  receiver: r\n"
                             "  routes: [{mute_time_intervals: [old, new]}]\n"
                             "receivers: [{name: r}]\n"
                             "time_intervals: [{name: new}]\n"
                             "mute_time_intervals: [{name: old}]\n",
                             kEnv);
  REQUIRE(loaded.ok());
  REQUIRE(loaded.diagnostics.size() == 1);
  CHECK_THAT(loaded.diagnostics[0].to_string(),
             Catch::StartsWith("herald.yml:6:1: warning: mute_time_intervals: deprecated"));
  CHECK(loaded.value->routing.find_time_interval("old") != nullptr);
}

TEST_CASE("routing: email settings override the globals field by field", "[config][routing]") {
  const Config c = parse_ok(
      "global:\n"
      "  smtp_from: a@example.com\n"
      "  smtp_smarthost: '[::1]:25'\n"
      "  smtp_auth_password_file: /run/smtp\n"
      "  smtp_require_tls: false\n"
      "route: {receiver: r}\n"
      "receivers:\n"
      "  - name: r\n"
      "    email_configs:\n"
      "      - {to: x@example.com, hello: herald.example.com, auth_password: own}\n"
      "      - {to: y@example.com, from: b@example.com, require_tls: true,\n"
      "         headers: {x-custom-id: '1', To: z@example.com}}\n");
  const auto& e = c.routing.receivers.at(0).email_configs;
  CHECK(e[0].smarthost.host == "::1");
  CHECK(e[0].smarthost.str() == "[::1]:25");
  CHECK(e[0].hello == "herald.example.com");
  CHECK(e[0].auth_password.reveal() == "own");
  CHECK(e[0].auth_password_file.empty());  // the pair is inherited together or not at all
  CHECK_FALSE(e[0].require_tls);
  CHECK(e[1].from == "b@example.com");
  CHECK(e[1].auth_password_file == "/run/smtp");
  CHECK(e[1].require_tls);
  CHECK(e[1].headers ==
        std::map<std::string, std::string>{{"X-Custom-Id", "1"}, {"To", "z@example.com"}});
}
