// Receivers: a name and its integrations, with Alertmanager's field names and defaults
// (config/notifiers.go, v0.25) plus herald's additions (Slack bot mode, the PagerDuty severity
// map, the Alertmanager forwarder). `global:` defaults are already applied at load. Template
// fields hold Go-template text that parsed at load; empty means herald's built-in template.
// Immutable after load.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/secret.h"
#include "config/tls_config.h"
#include "model/diagnostic.h"
#include "model/duration.h"
#include "model/host_port.h"

namespace herald::config {

struct BasicAuth {
  std::string username;
  Secret password;
  std::string password_file;  // read at use time
};

// prometheus/common's HTTPClientConfig, the parts herald's HTTP client honours. `bearer_token`
// and `bearer_token_file` load as an authorization of type "Bearer", as prometheus/common does.
struct HttpConfig {
  std::optional<BasicAuth> basic_auth;
  std::string authorization_type;  // "Bearer" unless set; empty when there are no credentials
  Secret authorization_credentials;
  std::string authorization_credentials_file;  // read at use time
  TlsConfig tls_config;
  std::string proxy_url;
  bool follow_redirects = true;
};

using HostPort = herald::HostPort;

struct SlackField {
  std::string title;  // template
  std::string value;  // template
  std::optional<bool> short_;
};

struct SlackConfirm {
  std::string text;
  std::string title;
  std::string ok_text;
  std::string dismiss_text;
};

struct SlackAction {
  std::string type;
  std::string text;  // template
  std::string url;   // template; when set, name/value/confirm are dropped (as Alertmanager does)
  std::string style;
  std::string name;
  std::string value;
  std::optional<SlackConfirm> confirm;
};

// Two modes (docs/compatibility.md "Slack"): an incoming webhook (`api_url`), or the Web API with
// a bot token (`app_token`, Alertmanager ≥ 0.30's name), which lets herald update and thread.
struct SlackConfig {
  bool send_resolved = false;
  HttpConfig http_config;
  Secret api_url;  // the webhook URL is itself the credential
  std::string api_url_file;
  Secret app_token;  // xoxb-…
  std::string app_token_file;
  std::string app_url;  // chat.postMessage's URL in bot mode
  std::string channel;  // template; required in bot mode
  std::string username, color, title, title_link, pretext, text, footer, fallback, callback_id,
      icon_emoji, icon_url, image_url, thumb_url;  // templates
  std::vector<SlackField> fields;
  bool short_fields = false;
  bool link_names = false;
  std::vector<std::string> mrkdwn_in;
  std::vector<SlackAction> actions;
  SourcePos pos;

  [[nodiscard]] bool bot_mode() const { return !app_token.empty() || !app_token_file.empty(); }
};

struct EmailConfig {
  bool send_resolved = false;
  std::string to;    // template; comma-separated addresses
  std::string from;  // template
  std::string hello = "localhost";
  HostPort smarthost;
  std::string auth_username;
  Secret auth_password;
  std::string auth_password_file;
  Secret auth_secret;  // CRAM-MD5
  std::string auth_identity;
  std::map<std::string, std::string> headers;  // canonical MIME names → templates
  std::string html;                            // template
  std::string text;                            // template
  bool require_tls = true;
  TlsConfig tls_config;
  SourcePos pos;
};

struct PagerdutyLink {
  std::string href;  // template
  std::string text;  // template
};

struct PagerdutyImage {
  std::string src;   // template
  std::string alt;   // template
  std::string href;  // template
};

struct PagerdutyConfig {
  bool send_resolved = true;
  HttpConfig http_config;
  Secret routing_key;  // Events API v2
  std::string routing_key_file;
  Secret service_key;  // Events API v1 (deprecated by PagerDuty)
  std::string service_key_file;
  std::string url;  // events endpoint; global pagerduty_url by default
  std::string client, client_url, description, source, severity, class_, component,
      group;                                   // templates; source defaults to client
  std::map<std::string, std::string> details;  // templates
  std::vector<PagerdutyImage> images;
  std::vector<PagerdutyLink> links;
  // herald: the event's severity from the alerts' `severity` label value when `severity` is
  // not set; a value missing from the map gives "error" (notifiers issue).
  std::map<std::string, std::string> severity_map = {
      {"critical", "critical"}, {"warning", "warning"}, {"info", "info"}};
  SourcePos pos;
};

struct WebhookConfig {
  bool send_resolved = true;
  HttpConfig http_config;
  Secret url;  // webhook URLs often carry a token in the path or query
  std::string url_file;
  uint64_t max_alerts = 0;  // 0: no limit
  SourcePos pos;
};

// herald: forwards alerts to external Alertmanagers' API v2 (POST <url>/api/v2/alerts), as
// Prometheus's `alerting.alertmanagers` does.
struct AlertmanagerForwardConfig {
  bool send_resolved = true;
  HttpConfig http_config;
  std::vector<std::string> urls;  // base URLs, path prefix included
  std::string api_version = "v2";
  Duration timeout = std::chrono::seconds(10);         // Prometheus's default
  Duration resend_interval = std::chrono::minutes(1);  // --rules.alert.resend-delay's default
  SourcePos pos;
};

struct Receiver {
  std::string name;
  std::vector<SlackConfig> slack_configs;
  std::vector<EmailConfig> email_configs;
  std::vector<PagerdutyConfig> pagerduty_configs;
  std::vector<WebhookConfig> webhook_configs;
  std::vector<AlertmanagerForwardConfig> alertmanager_configs;
  SourcePos pos;
};

// Alertmanager's `global:` fields that receivers inherit; herald.yml accepts them under its own
// `global:`. Defaults are Alertmanager's (config.DefaultGlobalConfig).
struct NotifierDefaults {
  HttpConfig http_config;  // for integrations without their own http_config
  std::string smtp_from;
  std::string smtp_hello = "localhost";
  HostPort smtp_smarthost;
  std::string smtp_auth_username;
  Secret smtp_auth_password;
  std::string smtp_auth_password_file;
  Secret smtp_auth_secret;
  std::string smtp_auth_identity;
  bool smtp_require_tls = true;
  Secret slack_api_url;
  std::string slack_api_url_file;
  Secret slack_app_token;
  std::string slack_app_token_file;
  std::string slack_app_url = "https://slack.com/api/chat.postMessage";
  std::string pagerduty_url = "https://events.pagerduty.com/v2/enqueue";
};

}  // namespace herald::config
