// build_message: the integration-neutral content every Slack, email and PagerDuty message shows.
#include "notifiers/message.h"

#include <catch2/catch.hpp>

#include "model/matcher.h"
#include "tests/notifiers/fixtures.h"

using namespace std::chrono_literals;

namespace herald::notifiers {
namespace {

const WallTime kT = WallTime(std::chrono::seconds(1'700'000'000));

Alert alert(const char* model, const char* mode, WallTime start, WallTime end = {}) {
  Alert a;
  a.labels = LabelSet{
      {"alertname", "HighErrorRate"}, {"model", model}, {"mode", mode}, {"severity", "critical"}};
  a.annotations = {{"summary", std::string(model) + " " + mode + " failing"}};
  a.starts_at = start;
  a.ends_at = end;
  return a;
}

links::LinkSettings settings() {
  return test::drilldown_links("https://herald.example.com", "https://grafana.example.com");
}

}  // namespace

TEST_CASE("message: a firing group's title, common labels, since and links", "[notifiers]") {
  Notification n;
  n.receiver = "pager";
  n.group_key = "{}:{alertname=\"HighErrorRate\", model=\"llama3-8b\"}";
  n.group_labels = {{"alertname", "HighErrorRate"}, {"model", "llama3-8b"}};
  n.firing = {alert("llama3-8b", "chat", kT + 2min), alert("llama3-8b", "completion", kT)};
  const Message m = build_message(n, settings(), kT + 10min);

  CHECK(m.status == "firing");
  CHECK_FALSE(m.resolved);
  CHECK(m.subject == "[FIRING:2] HighErrorRate (llama3-8b)");
  CHECK(m.headline == "FIRING: HighErrorRate (llama3-8b)");
  CHECK(m.alertname == "HighErrorRate");
  CHECK(m.severity == "critical");
  CHECK(m.summary == "llama3-8b chat failing");
  CHECK(m.common_labels ==
        LabelSet{{"alertname", "HighErrorRate"}, {"model", "llama3-8b"}, {"severity", "critical"}});
  CHECK(m.since == kT);
  REQUIRE(m.firing.size() == 2);
  CHECK(m.resolved_alerts.empty());
  REQUIRE(m.links.dashboard);
  CHECK(m.links.dashboard->url ==
        "https://grafana.example.com/d/inference-detail?orgId=1&var-model=llama3-8b&from=" +
            std::to_string((1'700'000'000 - 1800) * 1000LL) + "&to=now");
  CHECK(m.links.runbook->url == "https://herald.example.com/runbooks/HighErrorRate");
  CHECK(m.firing[0].links.silence.url.find("mode%3D%22chat%22") != std::string::npos);
}

TEST_CASE("message: resolved groups, partial resolves and mixed alert names", "[notifiers]") {
  Notification n;
  n.group_labels = {{"model", "llama3-8b"}};
  n.resolved = {alert("llama3-8b", "chat", kT, kT + 20min)};
  Message m = build_message(n, settings(), kT + 30min);
  CHECK(m.resolved);
  CHECK(m.subject == "[RESOLVED] HighErrorRate (llama3-8b)");
  CHECK(m.summary == "llama3-8b chat failing");
  CHECK(m.resolved_alerts[0].ends_at == kT + 20min);

  n.firing = {alert("llama3-8b", "completion", kT + 5min)};  // one still fires
  m = build_message(n, settings(), kT + 30min);
  CHECK_FALSE(m.resolved);
  CHECK(m.subject == "[FIRING:1] HighErrorRate (llama3-8b)");
  CHECK(m.summary == "llama3-8b completion failing");
  CHECK(m.links.dashboard->url.ends_with("&to=now"));  // the group is still open

  Alert other = alert("llama3-8b", "chat", kT);
  other.labels.set("alertname", "HighLatency");
  n.firing.push_back(other);
  m = build_message(n, settings(), kT + 30min);
  CHECK(m.alertname.empty());
  CHECK(m.subject == "[FIRING:2] alerts (llama3-8b)");
}

TEST_CASE("message: group_suffix lists the group's label values besides alertname", "[notifiers]") {
  // Values in label-name order, as Alertmanager's GroupLabels.SortedPairs.Values.
  CHECK(group_suffix({}) == "");
  CHECK(group_suffix({{"alertname", "X"}}) == "");
  CHECK(group_suffix({{"alertname", "X"}, {"model", "m"}, {"mode", "chat"}}) == "(chat m)");
}

}  // namespace herald::notifiers
