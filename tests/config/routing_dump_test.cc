// The config dump of the Alertmanager sections: it shows the effective routing configuration and
// never a secret (docs/architecture.md "Secrets").
#include <catch2/catch.hpp>

#include "config/config.h"

using herald::config::dump_config;
using herald::config::EnvLookup;
using herald::config::load_config;
using herald::config::parse_config;

namespace {

const EnvLookup kEnv = [](std::string_view name) -> std::optional<std::string> {
  if (name == "PD_KEY") return "pd-SECRET-from-env";
  return std::nullopt;
};

size_t count(const std::string& text, std::string_view what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

}  // namespace

TEST_CASE("routing dump: the pasted alertmanager.yml dumps without its secrets",
          "[config][routing]") {
  auto loaded = load_config(HERALD_SOURCE_DIR "/tests/fixtures/config/alertmanager.yml", kEnv);
  REQUIRE(loaded.ok());
  const std::string dump = dump_config(*loaded.value);
  CAPTURE(dump);
  CHECK_THAT(dump, !Catch::Contains("SECRET"));
  // The smtp password and the slack url (each global and inherited), the routing key, the webhook
  // url and its basic auth password.
  CHECK(count(dump, "<secret>") == 7);
  CHECK_THAT(dump, Catch::Contains("route:\n  receiver: default-slack\n"));
  CHECK_THAT(dump, Catch::Contains("- service=~\"^(?:inference-.*)$\""));
  CHECK_THAT(dump, Catch::Contains("{start_time: \"09:00\", end_time: \"18:00\"}"));
  CHECK_THAT(dump, Catch::Contains("weekdays: [monday:friday]"));
  CHECK_THAT(dump, Catch::Contains("location: Asia/Seoul"));
}

TEST_CASE("routing dump: every kind of secret prints as <secret>", "[config][routing]") {
  auto loaded = parse_config(
      "herald.yml",
      "global:\n"
      "  smtp_auth_secret: cram-SECRET-1\n"
      "  slack_app_token: xoxb-SECRET-2\n"
      "  http_config: {basic_auth: {username: u, password: basic-SECRET-3}}\n"
      "route: {receiver: r}\n"
      "receivers:\n"
      "  - name: r\n"
      "    slack_configs: [{channel: C1}]\n"
      "    email_configs: [{to: a@b, from: a@b, smarthost: 'h:25', auth_password: pw-SECRET-4}]\n"
      "    pagerduty_configs: [{service_key: svc-SECRET-5, routing_key: '${PD_KEY}'}]\n"
      "    webhook_configs:\n"
      "      - url: https://hook.example/SECRET-6\n"
      "        http_config: {authorization: {type: Token, credentials: auth-SECRET-7}}\n"
      "    alertmanager_configs:\n"
      "      - urls: ['https://user:am-SECRET-8@am.example']\n"
      "        http_config: {bearer_token: bearer-SECRET-9, proxy_url: "
      "'http://p:proxy-SECRET-10@proxy:3128'}\n",
      kEnv);
  for (const auto& d : loaded.diagnostics)
    UNSCOPED_INFO(d.to_string());
  REQUIRE(loaded.ok());
  const std::string dump = dump_config(*loaded.value);
  CAPTURE(dump);
  CHECK_THAT(dump, !Catch::Contains("SECRET"));
  CHECK_THAT(dump, Catch::Contains("type: Token"));
  CHECK_THAT(dump, Catch::Contains("https://user:<secret>@am.example"));
}
