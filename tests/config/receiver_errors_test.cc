// herald.yml's receivers and Alertmanager's global fields: each mistake in an integration is one
// error at its file:line:column, naming the field path; secret values never appear in a message.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "config/config.h"
#include "tests/config/config_errors_util.h"

using herald::Diagnostic;
using herald::Severity;
using herald::config::parse_config;
using herald::config::testing::errors_of;
using herald::config::testing::kNoEnv;
using Case = herald::config::testing::ErrorCase;

TEST_CASE("receivers: each integration mistake is one located error", "[config][routing]") {
  auto c = GENERATE(values<Case>({
      {"email without to",
       "receivers:\n  - name: a\n    email_configs: [{from: a@b, smarthost: 'h:25'}]\n",
       "herald.yml:3:21: error: receivers[0].email_configs[0]: missing required field \"to\""},
      {"email without smarthost",
       "receivers:\n  - name: a\n    email_configs: [{to: a@b, from: a@b}]\n",
       "herald.yml:3:21: error: receivers[0].email_configs[0]: missing required field "
       "\"smarthost\" (set it here or smtp_smarthost under global)"},
      {"email without from",
       "receivers:\n  - name: a\n    email_configs: [{to: a@b, smarthost: 'h:25'}]\n",
       "herald.yml:3:21: error: receivers[0].email_configs[0]: missing required field \"from\" "
       "(set it here or smtp_from under global)"},
      {"email smarthost without port",
       "receivers:\n  - name: a\n    email_configs: [{to: a@b, from: a@b, smarthost: mail}]\n",
       "herald.yml:3:53: error: receivers[0].email_configs[0].smarthost: invalid smarthost "
       "\"mail\": missing port (expected host:port)"},
      {"email empty port",
       "receivers:\n  - name: a\n    email_configs: [{to: a@b, from: a@b, smarthost: 'mail:'}]\n",
       "herald.yml:3:53: error: receivers[0].email_configs[0].smarthost: invalid smarthost "
       "\"mail:\": port cannot be empty"},
      {"email duplicate header",
       "receivers:\n  - name: a\n    email_configs:\n      - {to: a@b, from: a@b, smarthost: "
       "'h:25', headers: {subject: x, SUBJECT: y}}\n",
       "herald.yml:4:71: error: receivers[0].email_configs[0].headers: duplicate header "
       "\"Subject\" (header names ignore case)"},
      {"email both passwords",
       "receivers:\n  - name: a\n    email_configs:\n      - {to: a@b, from: a@b, smarthost: "
       "'h:25', auth_password: p, auth_password_file: f}\n",
       "herald.yml:4:67: error: receivers[0].email_configs[0]: at most one of auth_password and "
       "auth_password_file may be set"},
      {"slack without url", "receivers:\n  - name: a\n    slack_configs: [{channel: '#x'}]\n",
       "herald.yml:3:21: error: receivers[0].slack_configs[0]: no Slack webhook URL nor app token: "
       "set api_url, api_url_file or app_token here, or slack_api_url, slack_api_url_file or "
       "slack_app_token under global"},
      {"slack both urls",
       "receivers:\n  - name: a\n    slack_configs: [{api_url: 'https://h/x', api_url_file: f}]\n",
       "herald.yml:3:46: error: receivers[0].slack_configs[0]: at most one of api_url and "
       "api_url_file may be set"},
      {"slack bad url",
       "receivers:\n  - name: a\n    slack_configs: [{api_url: "
       "'hooks.slack.com/services/SECRETPATH'}]\n",
       "herald.yml:3:31: error: receivers[0].slack_configs[0].api_url: must be an http or https "
       "URL with a host (the value is secret)"},
      {"slack url and token",
       "receivers:\n  - name: a\n    slack_configs: [{api_url: 'https://h/x', app_token: t, "
       "channel: c}]\n",
       "herald.yml:3:46: error: receivers[0].slack_configs[0]: at most one of api_url/api_url_file "
       "and app_token/app_token_file may be set"},
      {"slack bot without channel",
       "receivers:\n  - name: a\n    slack_configs: [{app_token: xoxb-1}]\n",
       "herald.yml:3:21: error: receivers[0].slack_configs[0]: missing required field \"channel\" "
       "(chat.postMessage needs one in bot mode)"},
      {"slack bot with http authorization",
       "receivers:\n  - name: a\n    slack_configs:\n      - {app_token: t, channel: c, "
       "http_config: {bearer_token: b}}\n",
       "herald.yml:4:36: error: receivers[0].slack_configs[0].http_config: "
       "http_config.authorization cannot be set when using a Slack app token"},
      {"slack field without value",
       "receivers:\n  - name: a\n    slack_configs:\n      - api_url: 'https://h/x'\n        "
       "fields: [{title: t}]\n",
       "herald.yml:5:18: error: receivers[0].slack_configs[0].fields[0]: missing required field "
       "\"value\""},
      {"slack action without url or name",
       "receivers:\n  - name: a\n    slack_configs:\n      - api_url: 'https://h/x'\n        "
       "actions: [{type: button, text: t}]\n",
       "herald.yml:5:19: error: receivers[0].slack_configs[0].actions[0]: missing required field "
       "\"url\" or \"name\""},
      {"pagerduty without key",
       "receivers:\n  - name: a\n    pagerduty_configs: [{description: d}]\n",
       "herald.yml:3:25: error: receivers[0].pagerduty_configs[0]: missing required field "
       "\"routing_key\" (or \"routing_key_file\", \"service_key\", \"service_key_file\")"},
      {"pagerduty both routing keys",
       "receivers:\n  - name: a\n    pagerduty_configs: [{routing_key: k, routing_key_file: f}]\n",
       "herald.yml:3:42: error: receivers[0].pagerduty_configs[0]: at most one of routing_key and "
       "routing_key_file may be set"},
      {"pagerduty bad url",
       "receivers:\n  - name: a\n    pagerduty_configs: [{routing_key: k, url: 'ftp://pd'}]\n",
       "herald.yml:3:47: error: receivers[0].pagerduty_configs[0].url: must be an http or https "
       "URL with a host: \"ftp://pd\""},
      {"pagerduty bad severity map",
       "receivers:\n  - name: a\n    pagerduty_configs: [{routing_key: k, severity_map: {P1: "
       "page}}]\n",
       "herald.yml:3:61: error: receivers[0].pagerduty_configs[0].severity_map.P1: \"page\" is not "
       "a PagerDuty severity (critical, error, warning or info)"},
      {"webhook without url", "receivers:\n  - name: a\n    webhook_configs: [{max_alerts: 1}]\n",
       "herald.yml:3:23: error: receivers[0].webhook_configs[0]: missing required field \"url\" "
       "(or \"url_file\")"},
      {"webhook both urls",
       "receivers:\n  - name: a\n    webhook_configs: [{url: 'http://h', url_file: f}]\n",
       "herald.yml:3:41: error: receivers[0].webhook_configs[0]: at most one of url and url_file "
       "may be set"},
      {"webhook bad url",
       "receivers:\n  - name: a\n    webhook_configs: [{url: 'http:///hook?token=SECRETTOKEN'}]\n",
       "herald.yml:3:29: error: receivers[0].webhook_configs[0].url: must be an http or https URL "
       "with a host (no host) (the value is secret)"},
      {"webhook negative max_alerts",
       "receivers:\n  - name: a\n    webhook_configs: [{url: 'http://h', max_alerts: -1}]\n",
       "herald.yml:3:53: error: receivers[0].webhook_configs[0].max_alerts: must not be negative"},
      {"forwarder without urls",
       "receivers:\n  - name: a\n    alertmanager_configs: [{timeout: 1s}]\n",
       "herald.yml:3:28: error: receivers[0].alertmanager_configs[0]: missing required field "
       "\"urls\""},
      {"forwarder bad url",
       "receivers:\n  - name: a\n    alertmanager_configs: [{urls: ['am:9093']}]\n",
       "herald.yml:3:36: error: receivers[0].alertmanager_configs[0].urls[0]: must be an http or "
       "https URL with a host: \"am:9093\""},
      {"forwarder duplicate url",
       "receivers:\n  - name: a\n    alertmanager_configs: [{urls: ['http://am:9093', "
       "'http://am:9093']}]\n",
       "herald.yml:3:54: error: receivers[0].alertmanager_configs[0].urls[1]: duplicate url "
       "\"http://am:9093\""},
      {"forwarder api v1",
       "receivers:\n  - name: a\n    alertmanager_configs: [{urls: ['http://am'], api_version: "
       "v1}]\n",
       "herald.yml:3:63: error: receivers[0].alertmanager_configs[0].api_version: unsupported "
       "api_version \"v1\" (herald speaks Alertmanager's API v2 only)"},
      {"forwarder zero timeout",
       "receivers:\n  - name: a\n    alertmanager_configs: [{urls: ['http://am'], timeout: 0s}]\n",
       "herald.yml:3:59: error: receivers[0].alertmanager_configs[0].timeout: must be greater than "
       "0"},
      {"both bearer tokens",
       "receivers:\n  - name: a\n    webhook_configs:\n      - url: 'http://h'\n        "
       "http_config: {bearer_token: t, bearer_token_file: f}\n",
       "herald.yml:5:40: error: receivers[0].webhook_configs[0].http_config: at most one of "
       "bearer_token and bearer_token_file may be set"},
      {"basic auth and bearer",
       "receivers:\n  - name: a\n    webhook_configs:\n      - url: 'http://h'\n        "
       "http_config: {basic_auth: {username: u}, bearer_token: t}\n",
       "herald.yml:5:50: error: receivers[0].webhook_configs[0].http_config: at most one of "
       "basic_auth, bearer_token and bearer_token_file may be set"},
      {"basic auth both passwords",
       "receivers:\n  - name: a\n    webhook_configs:\n      - url: 'http://h'\n        "
       "http_config: {basic_auth: {username: u, password: p, password_file: f}}\n",
       "herald.yml:5:62: error: receivers[0].webhook_configs[0].http_config.basic_auth: at most "
       "one of password and password_file may be set"},
      {"authorization of type basic",
       "receivers:\n  - name: a\n    webhook_configs:\n      - url: 'http://h'\n        "
       "http_config: {authorization: {type: Basic, credentials: c}}\n",
       "herald.yml:5:45: error: receivers[0].webhook_configs[0].http_config.authorization.type: "
       "authorization type cannot be \"basic\": use basic_auth instead"},
      {"authorization and bearer",
       "receivers:\n  - name: a\n    webhook_configs:\n      - url: 'http://h'\n        "
       "http_config: {authorization: {credentials: c}, bearer_token: t}\n",
       "herald.yml:5:23: error: receivers[0].webhook_configs[0].http_config: authorization is not "
       "compatible with bearer_token and bearer_token_file"},
      {"global both slack urls",
       "global:\n  slack_api_url: 'https://h/x'\n  slack_api_url_file: f\n",
       "herald.yml:3:3: error: global: at most one of slack_api_url and slack_api_url_file may be "
       "set"},
      {"global both smtp passwords",
       "global:\n  smtp_auth_password: p\n  smtp_auth_password_file: f\n",
       "herald.yml:3:3: error: global: at most one of smtp_auth_password and "
       "smtp_auth_password_file may be set"},
      {"global bad smarthost", "global:\n  smtp_smarthost: 'a:b:25'\n",
       "herald.yml:2:19: error: global.smtp_smarthost: invalid smarthost \"a:b:25\": too many "
       "colons (write an IPv6 address as [addr]:port)"},
  }));
  CAPTURE(c.what, c.yaml);
  std::vector<std::string> errors = errors_of(c.yaml);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == c.error);
}

TEST_CASE("receivers: a broken message template is an error located in the scalar",
          "[config][routing]") {
  auto c = GENERATE(values<Case>({
      {"slack unknown function",
       "receivers:\n  - name: a\n    slack_configs:\n      - api_url: 'https://h/x'\n        "
       "title: '{{ .Status | nosuchfunc }}'\n",
       "herald.yml:5:30: error: receivers[0].slack_configs[0].title: template: function "
       "\"nosuchfunc\" not defined"},
      {"unclosed template",
       "receivers:\n  - name: a\n    slack_configs:\n      - api_url: 'https://h/x'\n        text: "
       "|\n          line one\n          {{ range .Alerts }}\n",
       "herald.yml:7:14: error: receivers[0].slack_configs[0].text: template: unexpected "
       "EOF: missing {{end}} for {{range}}"},
      {"pagerduty bad detail template",
       "receivers:\n  - name: a\n    pagerduty_configs:\n      - routing_key: k\n        details: "
       "{firing: '{{ .Alerts.Firing '}\n",
       "herald.yml:5:28: error: receivers[0].pagerduty_configs[0].details.firing: template: "
       "unclosed action"},
      {"undefined named template",
       "receivers:\n  - name: a\n    email_configs:\n      - {to: a@b, from: a@b, smarthost: "
       "'h:25', html: '{{ template \"email.custom.html\" . }}'}\n",
       "herald.yml:4:68: error: receivers[0].email_configs[0].html: template: no such template "
       "\"email.custom.html\""},
      {"a Prometheus function Alertmanager lacks",
       "receivers:\n  - name: a\n    slack_configs:\n      - api_url: 'https://h/x'\n        "
       "text: '{{ humanize 1 }}'\n",
       "herald.yml:5:19: error: receivers[0].slack_configs[0].text: template: function "
       "\"humanize\" not defined"},
  }));
  CAPTURE(c.what);
  CHECK(errors_of(c.yaml) == std::vector<std::string>{c.error});
}

TEST_CASE("receivers: Alertmanager's default named templates and functions load",
          "[config][routing]") {
  const std::string yaml =
      "receivers:\n  - name: a\n    slack_configs:\n      - api_url: 'https://h/x'\n"
      "        title: '{{ template \"slack.default.title\" . }}'\n"
      "        text: '{{ range .Alerts.Firing }}{{ .Labels.SortedPairs.Values | join \" \" }}"
      "{{ end }}{{ .CommonLabels.Remove (stringSlice \"a\") | len }}{{ safeHtml \"x\" }}'\n"
      "    pagerduty_configs:\n      - routing_key: k\n"
      "        description: '{{ template \"pagerduty.default.description\" . }}'\n"
      "    email_configs:\n      - {to: a@b, from: a@b, smarthost: 'h:25',\n"
      "         html: '{{ template \"email.default.html\" . }}'}\n";
  CHECK(errors_of(yaml).empty());
}

TEST_CASE("receivers: no message repeats a secret", "[config][routing]") {
  auto loaded = parse_config(
      "herald.yml",
      "global:\n"
      "  slack_api_url: 'slack.example/SECRET-1'\n"
      "route: {receiver: a}\n"
      "receivers:\n"
      "  - name: a\n"
      "    slack_configs: [{api_url: 'hooks.slack.com/SECRET-2'}]\n"
      "    webhook_configs: [{url: 'ftp://hook/SECRET-3', http_config: {bearer_token: SECRET-4,\n"
      "                       bearer_token_file: f}}]\n"
      "    pagerduty_configs: [{routing_key: SECRET-5, routing_key_file: f}]\n"
      "    email_configs: [{to: a@b, from: a@b, smarthost: 'h:1', auth_password: SECRET-6,\n"
      "                     auth_password_file: f}]\n",
      kNoEnv);
  REQUIRE(loaded.diagnostics.size() == 6);
  for (const Diagnostic& d : loaded.diagnostics) {
    CAPTURE(d.to_string());
    CHECK_THAT(d.to_string(), !Catch::Contains("SECRET"));
  }
}

TEST_CASE("templates: files' named templates serve the fields; their errors name the file",
          "[config][routing]") {
  const std::string dir = std::string(HERALD_BINARY_DIR) + "/receiver_errors_templates";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/good.tmpl") << "{{ define \"slack.ml.title\" }}{{ .Status }}{{ end }}\n";
  const std::string yaml = "templates: ['" + dir +
                           "/*.tmpl']\nreceivers:\n  - name: a\n    slack_configs:\n      - "
                           "api_url: 'https://h/x'\n        title: '{{ template \"slack.ml.title\" "
                           ". }}'\n";
  auto loaded = parse_config("herald.yml", yaml, kNoEnv);
  REQUIRE(loaded.ok());
  CHECK(loaded.value->routing.templates == std::vector<std::string>{dir + "/*.tmpl"});
  CHECK(dump_config(*loaded.value).find("templates:") != std::string::npos);

  std::ofstream(dir + "/zbad.tmpl") << "{{ define \"x\" }}\n{{ .Status | nosuch }}{{ end }}\n";
  CHECK(errors_of(yaml) ==
        std::vector<std::string>{dir + "/zbad.tmpl:2:14: error: template: function \"nosuch\" "
                                       "not defined"});
  std::filesystem::remove_all(dir);
}
