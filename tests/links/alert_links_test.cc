// The link builder as a specification: windows, drilldown choice, encoding, overrides, groups,
// and the on-call seed workflow over the shipped demo configuration.
#include "links/alert_links.h"

#include <catch2/catch.hpp>

#include "config/config.h"

using namespace std::chrono_literals;

namespace herald::links {
namespace {

constexpr int64_t kT = 1'700'000'000'000;  // ms: the instant the alert became active
const WallTime kActive = WallTime(std::chrono::milliseconds(kT));
constexpr int64_t kMin = 60'000;

const config::EnvLookup kDemoEnv = [](std::string_view name) -> std::optional<std::string> {
  if (name == "DEMO_EXTERNAL_URL") return "http://127.0.0.1:9095";
  if (name == "DEMO_PROMETHEUS_URL") return "http://127.0.0.1:9090";
  if (name == "DEMO_SLACK_URL") return "http://127.0.0.1:9099";
  if (name == "DEMO_SMTP") return "127.0.0.1:2525";
  return "token";
};

config::Config load(std::string_view yaml) {
  config::Loaded<config::Config> c = config::parse_config("herald.yml", yaml, kDemoEnv);
  for (const Diagnostic& d : c.diagnostics)
    UNSCOPED_INFO(d.to_string());
  REQUIRE(c.ok());
  return *c.value;
}

LinkSettings settings_of(const config::Config& c, std::set<std::string> runbooks = {}) {
  return LinkSettings{c.links, c.global.external_url, std::move(runbooks)};
}

const char* kConfig = R"(
global: {external_url: "https://herald.example.com/"}
links:
  grafana_url: https://grafana.example.com/
  drilldowns:
    - matchers: ['alertname="HighErrorRate"', 'model!=""']
      dashboard: inference-detail
      vars: {model: model, endpoint: endpoint}
      window: {before: 30m, after: 15m, min_span: 1h}
      also: [{title: Logs, dashboard: logs-dashboard, vars: {model: model}}]
    - matchers: ['alertname=~"High.*"']
      dashboard: inference-metrics
      window: {before: 10m, after: 5m, min_span: 2h}
)";

Incident firing(LabelSet labels) {
  return Incident{std::move(labels), {}, kActive, std::nullopt, ""};
}

}  // namespace

TEST_CASE("links: the time window of firing and resolved incidents", "[links]") {
  config::DrilldownWindow w{30min, 15min, 1h};
  struct Case {
    const char* what;
    std::optional<std::chrono::milliseconds> resolved_after;  // since active
    TimeRange want;
  };
  auto [what, resolved_after, want] = GENERATE(values<Case>({
      {"firing: from = active − before, to = now", std::nullopt, {kT - 30 * kMin, std::nullopt}},
      {"resolved after 2h: to = resolved + after", 2h, {kT - 30 * kMin, kT + 135 * kMin}},
      {"resolved after 1m: widened to min_span", 1min, {kT - 30 * kMin, kT + 30 * kMin}},
      {"resolved after 14m: exactly min_span", 14min, {kT - 30 * kMin, kT + 30 * kMin}},
      {"resolved after 16m: past min_span", 16min, {kT - 30 * kMin, kT + 31 * kMin}},
  }));
  INFO(what);
  Incident i = firing({{"alertname", "X"}});
  if (resolved_after) i.resolved_at = kActive + *resolved_after;
  CHECK(time_range(w, i) == want);
}

TEST_CASE("links: the first matching drilldown wins, vars skip absent labels", "[links]") {
  const config::Config c = load(kConfig);
  struct Case {
    const char* what;
    LabelSet labels;
    std::optional<std::string> dashboard;
  };
  auto [what, labels, dashboard] = GENERATE(values<Case>({
      {"model and endpoint",
       {{"alertname", "HighErrorRate"}, {"model", "llama3-8b"}, {"endpoint", "/chat"}},
       "https://grafana.example.com/d/"
       "inference-detail?orgId=1&var-endpoint=%2Fchat&var-model=llama3-8b"
       "&from=1699998200000&to=now"},
      {"endpoint absent: var skipped",
       {{"alertname", "HighErrorRate"}, {"model", "llama3-8b"}},
       "https://grafana.example.com/d/inference-detail?orgId=1&var-model=llama3-8b"
       "&from=1699998200000&to=now"},
      {"no model: the next drilldown",
       {{"alertname", "HighErrorRate"}},
       "https://grafana.example.com/d/inference-metrics?orgId=1&from=1699999400000&to=now"},
      {"Korean and reserved characters are query-escaped",
       {{"alertname", "HighErrorRate"}, {"model", "모델 a&b=c"}},
       "https://grafana.example.com/d/"
       "inference-detail?orgId=1&var-model=%EB%AA%A8%EB%8D%B8+a%26b%3Dc"
       "&from=1699998200000&to=now"},
      {"no drilldown matches", {{"alertname", "PodDown"}}, std::nullopt},
  }));
  INFO(what);
  const AlertLinks l = build_links(settings_of(c), firing(labels), kActive + 5min);
  if (!dashboard) {
    CHECK_FALSE(l.dashboard);
    CHECK(l.also.empty());
    return;
  }
  REQUIRE(l.dashboard);
  CHECK(l.dashboard->title == "Dashboard");
  CHECK(l.dashboard->url == *dashboard);
}

TEST_CASE("links: also links share the window; annotations override", "[links]") {
  const config::Config c = load(kConfig);
  Incident i = firing({{"alertname", "HighErrorRate"}, {"model", "llama3-8b"}});
  i.resolved_at = kActive + 2h;

  AlertLinks l = build_links(settings_of(c, {"HighErrorRate"}), i, kActive + 3h);
  REQUIRE(l.also.size() == 1);
  CHECK(l.also[0] == Link{"Logs",
                          "https://grafana.example.com/d/logs-dashboard?orgId=1"
                          "&var-model=llama3-8b&from=1699998200000&to=1700008100000"});
  REQUIRE(l.runbook);
  CHECK(l.runbook->url == "https://herald.example.com/runbooks/HighErrorRate");

  i.annotations = {{"dashboard_url", "https://grafana.example.com/d/custom"},
                   {"runbook_url", "https://wiki.example.com/HighErrorRate"}};
  l = build_links(settings_of(c, {"HighErrorRate"}), i, kActive + 3h);
  CHECK(l.dashboard == Link{"Dashboard", "https://grafana.example.com/d/custom"});
  CHECK(l.runbook == Link{"Runbook", "https://wiki.example.com/HighErrorRate"});
  CHECK(l.also.size() == 1);  // the secondary links stay

  i.annotations = {{"runbook_url", ""}};  // an empty annotation overrides nothing
  l = build_links(settings_of(c), i, kActive + 3h);
  CHECK_FALSE(l.runbook);  // and without runbooks/HighErrorRate.md there is no runbook link
}

TEST_CASE("links: herald's alert and silence pages filter on the labels", "[links]") {
  const config::Config c = load(kConfig);
  const AlertLinks l = build_links(
      settings_of(c), firing({{"alertname", "HighLatency"}, {"endpoint", "/chat"}}), kActive);
  const std::string filter = "%7Balertname%3D%22HighLatency%22%2Cendpoint%3D%22%2Fchat%22%7D";
  CHECK(l.alerts == Link{"Alerts", "https://herald.example.com/alerts?filter=" + filter});
  CHECK(l.silence == Link{"Silence", "https://herald.example.com/silences/new?filter=" + filter});
}

TEST_CASE("links: the Prometheus graph link covers the incident window", "[links]") {
  const config::Config c = load(kConfig);
  Incident i = firing({{"alertname", "HighErrorRate"}, {"model", "llama3-8b"}});
  i.generator_url = "http://prom:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1";

  AlertLinks l = build_links(settings_of(c), i, kActive + 5min);
  REQUIRE(l.graph);
  CHECK(l.graph->url == "http://prom:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=0&g0.range_input=35m");

  i.resolved_at = kActive + 2h;  // window: T−30m … T+2h15m, ending 2023-11-15 00:28:20 UTC
  l = build_links(settings_of(c), i, kActive + 3h);
  CHECK(l.graph->url ==
        "http://prom:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=0&g0.range_input=2h45m"
        "&g0.end_input=2023-11-15+00%3A28%3A20&g0.moment_input=2023-11-15+00%3A28%3A20");

  i.generator_url = "http://vmalert/alert?id=1";  // not a Prometheus graph: passed through
  CHECK(build_links(settings_of(c), i, kActive).graph ==
        Link{"Prometheus", "http://vmalert/alert?id=1"});
}

TEST_CASE("links: a group links with common labels and its earliest start", "[links]") {
  const config::Config c = load(kConfig);
  auto alert = [](const char* model, const char* mode, WallTime start, WallTime end) {
    Alert a;
    a.labels = LabelSet{{"alertname", "HighErrorRate"}, {"model", model}, {"mode", mode}};
    a.annotations = {{"summary", std::string(mode) + " failing"}, {"team", "ml"}};
    a.starts_at = start;
    a.ends_at = end;
    return a;
  };
  const WallTime now = kActive + 1h;
  std::vector<Alert> group{alert("llama3-8b", "chat", kActive + 2min, {}),
                           alert("llama3-8b", "completion", kActive, {})};
  Incident g = group_incident(group, now);
  CHECK(g.labels == LabelSet{{"alertname", "HighErrorRate"}, {"model", "llama3-8b"}});
  CHECK(g.annotations == Annotations{{"team", "ml"}});
  CHECK(g.active_at == kActive);
  CHECK_FALSE(g.resolved_at);
  CHECK(build_links(settings_of(c), g, now).dashboard->url ==
        "https://grafana.example.com/d/inference-detail?orgId=1&var-model=llama3-8b"
        "&from=1699998200000&to=now");

  group[0].ends_at = kActive + 20min;  // one resolved: the group is still firing
  CHECK_FALSE(group_incident(group, now).resolved_at);
  group[1].ends_at = kActive + 40min;  // all resolved: the latest end
  CHECK(group_incident(group, now).resolved_at == kActive + 40min);
  group[1].ends_at = now + 5min;  // an EndsAt in the future is a firing alert's ValidUntil
  CHECK_FALSE(group_incident(group, now).resolved_at);
}

TEST_CASE("links: the seed workflow over the shipped demo configuration", "[links]") {
  config::Loaded<config::Config> c =
      config::load_config(HERALD_SOURCE_DIR "/deploy/demo/herald.yml", kDemoEnv);
  REQUIRE(c.ok());
  const LinkSettings s = settings_of(*c.value, {"HighErrorRate", "HighLatency"});

  // HighErrorRate{model="llama3-8b"} active at T: inference-detail for the model from T − 30m,
  // and a logs link for the same model.
  RuleAlert error_rate;
  error_rate.labels = {
      {"alertname", "HighErrorRate"}, {"model", "llama3-8b"}, {"severity", "critical"}};
  error_rate.state = AlertState::kFiring;
  error_rate.active_at = kActive;
  AlertLinks l = build_links(s, incident_of(error_rate, ""), kActive + 10min);
  REQUIRE(l.dashboard);
  CHECK(l.dashboard->url.starts_with("http://127.0.0.1:3000/d/inference-detail?orgId=1"));
  CHECK(l.dashboard->url.find("var-model=llama3-8b") != std::string::npos);
  CHECK(l.dashboard->url.find("&from=" + std::to_string(kT - 30 * kMin) + "&to=now") !=
        std::string::npos);
  REQUIRE_FALSE(l.also.empty());
  CHECK(l.also[0].title == "Logs");
  CHECK(l.also[0].url.starts_with(
      "http://127.0.0.1:3000/d/logs-dashboard?orgId=1&var-model=llama3-8b&from="));
  CHECK(l.runbook->url == "http://127.0.0.1:9095/runbooks/HighErrorRate");

  // HighLatency{endpoint="/chat"} (a gateway alert without a model) lands on inference-detail
  // filtered to the endpoint.
  RuleAlert latency;
  latency.labels = {{"alertname", "HighLatency"}, {"endpoint", "/chat"}};
  latency.state = AlertState::kFiring;
  latency.active_at = kActive;
  l = build_links(s, incident_of(latency, ""), kActive);
  REQUIRE(l.dashboard);
  CHECK(l.dashboard->url.starts_with("http://127.0.0.1:3000/d/inference-detail?orgId=1"));
  CHECK(l.dashboard->url.find("var-endpoint=%2Fchat") != std::string::npos);

  // Once resolved, the window closes: ResolvedAt + 15m, at least an hour.
  error_rate.state = AlertState::kInactive;
  error_rate.resolved_at = kActive + 5min;
  l = build_links(s, incident_of(error_rate, ""), kActive + 10min);
  CHECK(l.dashboard->url.ends_with("&from=" + std::to_string(kT - 30 * kMin) +
                                   "&to=" + std::to_string(kT + 30 * kMin)));
}

}  // namespace herald::links
