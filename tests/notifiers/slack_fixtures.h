// What the SlackNotifier tests share: a notification of HighErrorRate for llama3-8b, link
// settings, FakeSlack configurations for bot and webhook mode, and a check that an error names
// no secret.
#pragma once

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "links/alert_links.h"
#include "notifiers/slack.h"
#include "tests/notifiers/fake_slack.h"

namespace herald::notifiers::slack_testing {

using herald::fakes::FakeSlack;

inline const WallTime kT = WallTime(std::chrono::seconds(1777636800));

inline Alert alert(const char* mode, WallTime start = kT) {
  Alert a;
  a.labels = {{"alertname", "HighErrorRate"},
              {"model", "llama3-8b"},
              {"mode", mode},
              {"severity", "critical"}};
  a.annotations = {{"summary", std::string(mode) + " 5xx above 5%"}};
  a.starts_at = start;
  return a;
}

inline Notification notification(std::vector<Alert> firing, std::vector<Alert> resolved = {},
                                 std::string previous_data = "") {
  Notification n;
  n.receiver = "ml";
  n.group_key = R"({}:{alertname="HighErrorRate", model="llama3-8b"})";
  n.group_labels = {{"alertname", "HighErrorRate"}, {"model", "llama3-8b"}};
  n.firing = std::move(firing);
  n.resolved = std::move(resolved);
  n.previous_data = std::move(previous_data);
  return n;
}

inline Alert resolved(Alert a, WallTime end) {
  a.ends_at = end;
  return a;
}

inline std::shared_ptr<const links::LinkSettings> settings() {
  auto s = std::make_shared<links::LinkSettings>();
  s->external_url = "https://herald.example";
  s->links.grafana_url = "https://grafana.example";
  return s;
}

inline config::SlackConfig bot_config(const FakeSlack& slack, std::string token = "") {
  config::SlackConfig c;
  c.send_resolved = true;
  c.app_token = config::Secret(token.empty() ? slack.token() : token);
  c.app_url = slack.post_message_url();
  c.channel = FakeSlack::kChannel;
  return c;
}

inline config::SlackConfig webhook_config(const FakeSlack& slack) {
  config::SlackConfig c;
  c.api_url = config::Secret(slack.webhook_url());
  return c;
}

inline void check_no_secret(const DeliveryResult& r, const FakeSlack& slack) {
  CAPTURE(r.error);
  CHECK(r.error.find(slack.token()) == std::string::npos);
  CHECK(r.error.find("TOKEN") == std::string::npos);
  CHECK(r.error.find("XXXX") == std::string::npos);
  CHECK(r.error.find("/services/") == std::string::npos);
}

inline std::filesystem::path write_temp(const std::string& name, const std::string& content) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("herald-slack-" + std::to_string(::getpid()) + "-" + name);
  std::ofstream(path) << content;
  return path;
}

}  // namespace herald::notifiers::slack_testing
