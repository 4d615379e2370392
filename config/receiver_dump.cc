// The config dump of receivers and their integrations: every field that is set, credentials
// (keys, tokens, passwords, webhook URLs) as "<secret>".
#include "config/dump_helpers.h"
#include "config/routing_dump.h"
#include "config/url.h"

namespace herald::config::detail {
namespace {

void dump_slack_extras(YAML::Emitter& out, const SlackConfig& s) {
  if (!s.fields.empty()) {
    out << YAML::Key << "fields" << YAML::Value << YAML::BeginSeq;
    for (const SlackField& f : s.fields) {
      out << YAML::BeginMap;
      put(out, "title", f.title);
      put(out, "value", f.value);
      if (f.short_) put(out, "short", *f.short_);
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  if (!s.mrkdwn_in.empty()) out << YAML::Key << "mrkdwn_in" << YAML::Value << s.mrkdwn_in;
  if (s.actions.empty()) return;
  out << YAML::Key << "actions" << YAML::Value << YAML::BeginSeq;
  for (const SlackAction& a : s.actions) {
    out << YAML::BeginMap;
    put(out, "type", a.type);
    put(out, "text", a.text);
    put(out, "url", a.url);
    put(out, "style", a.style);
    put(out, "name", a.name);
    put(out, "value", a.value);
    if (a.confirm) {
      out << YAML::Key << "confirm" << YAML::Value << YAML::BeginMap;
      put(out, "text", a.confirm->text);
      put(out, "title", a.confirm->title);
      put(out, "ok_text", a.confirm->ok_text);
      put(out, "dismiss_text", a.confirm->dismiss_text);
      out << YAML::EndMap;
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

void dump_slack(YAML::Emitter& out, const SlackConfig& s) {
  out << YAML::BeginMap;
  put(out, "send_resolved", s.send_resolved);
  dump_http_config(out, s.http_config);
  put(out, "api_url", s.api_url);
  put(out, "api_url_file", s.api_url_file);
  put(out, "app_token", s.app_token);
  put(out, "app_token_file", s.app_token_file);
  if (s.bot_mode()) put(out, "app_url", redact_url(s.app_url));
  const std::pair<const char*, const std::string*> texts[] = {{"channel", &s.channel},
                                                              {"username", &s.username},
                                                              {"color", &s.color},
                                                              {"title", &s.title},
                                                              {"title_link", &s.title_link},
                                                              {"pretext", &s.pretext},
                                                              {"text", &s.text},
                                                              {"footer", &s.footer},
                                                              {"fallback", &s.fallback},
                                                              {"callback_id", &s.callback_id},
                                                              {"icon_emoji", &s.icon_emoji},
                                                              {"icon_url", &s.icon_url},
                                                              {"image_url", &s.image_url},
                                                              {"thumb_url", &s.thumb_url}};
  for (auto [key, value] : texts)
    put(out, key, *value);
  put(out, "short_fields", s.short_fields);
  put(out, "link_names", s.link_names);
  dump_slack_extras(out, s);
  out << YAML::EndMap;
}

void dump_email(YAML::Emitter& out, const EmailConfig& e) {
  out << YAML::BeginMap;
  put(out, "send_resolved", e.send_resolved);
  put(out, "to", e.to);
  put(out, "from", e.from);
  put(out, "hello", e.hello);
  put(out, "smarthost", e.smarthost.str());
  put(out, "auth_username", e.auth_username);
  put(out, "auth_password", e.auth_password);
  put(out, "auth_password_file", e.auth_password_file);
  put(out, "auth_secret", e.auth_secret);
  put(out, "auth_identity", e.auth_identity);
  put(out, "headers", e.headers);
  put(out, "html", e.html);
  put(out, "text", e.text);
  put(out, "require_tls", e.require_tls);
  dump_tls(out, e.tls_config);
  out << YAML::EndMap;
}

void dump_pagerduty_lists(YAML::Emitter& out, const PagerdutyConfig& p) {
  if (!p.images.empty()) {
    out << YAML::Key << "images" << YAML::Value << YAML::BeginSeq;
    for (const PagerdutyImage& i : p.images) {
      out << YAML::BeginMap;
      put(out, "src", i.src);
      put(out, "alt", i.alt);
      put(out, "href", i.href);
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  if (!p.links.empty()) {
    out << YAML::Key << "links" << YAML::Value << YAML::BeginSeq;
    for (const PagerdutyLink& l : p.links) {
      out << YAML::BeginMap;
      put(out, "href", l.href);
      put(out, "text", l.text);
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
}

void dump_pagerduty(YAML::Emitter& out, const PagerdutyConfig& p) {
  out << YAML::BeginMap;
  put(out, "send_resolved", p.send_resolved);
  dump_http_config(out, p.http_config);
  put(out, "routing_key", p.routing_key);
  put(out, "routing_key_file", p.routing_key_file);
  put(out, "service_key", p.service_key);
  put(out, "service_key_file", p.service_key_file);
  put(out, "url", redact_url(p.url));
  const std::pair<const char*, const std::string*> texts[] = {
      {"client", &p.client},           {"client_url", &p.client_url},
      {"description", &p.description}, {"source", &p.source},
      {"severity", &p.severity},       {"class", &p.class_},
      {"component", &p.component},     {"group", &p.group}};
  for (auto [key, value] : texts)
    put(out, key, *value);
  put(out, "details", p.details);
  dump_pagerduty_lists(out, p);
  put(out, "severity_map", p.severity_map);
  out << YAML::EndMap;
}

void dump_webhook(YAML::Emitter& out, const WebhookConfig& w) {
  out << YAML::BeginMap;
  put(out, "send_resolved", w.send_resolved);
  dump_http_config(out, w.http_config);
  put(out, "url", w.url);
  put(out, "url_file", w.url_file);
  out << YAML::Key << "max_alerts" << YAML::Value << w.max_alerts;
  out << YAML::EndMap;
}

void dump_forward(YAML::Emitter& out, const AlertmanagerForwardConfig& a) {
  out << YAML::BeginMap;
  put(out, "send_resolved", a.send_resolved);
  dump_http_config(out, a.http_config);
  out << YAML::Key << "urls" << YAML::Value << YAML::BeginSeq;
  for (const std::string& u : a.urls)
    out << redact_url(u);
  out << YAML::EndSeq;
  put(out, "api_version", a.api_version);
  put(out, "timeout", a.timeout);
  put(out, "resend_interval", a.resend_interval);
  out << YAML::EndMap;
}

template <class T>
void dump_list(YAML::Emitter& out, const char* key, const std::vector<T>& list,
               void (*dump)(YAML::Emitter&, const T&)) {
  if (list.empty()) return;
  out << YAML::Key << key << YAML::Value << YAML::BeginSeq;
  for (const T& item : list)
    dump(out, item);
  out << YAML::EndSeq;
}

}  // namespace

void dump_tls(YAML::Emitter& out, const TlsConfig& t) {
  out << YAML::Key << "tls_config" << YAML::Value << YAML::BeginMap;
  put(out, "ca_file", t.ca_file);
  put(out, "cert_file", t.cert_file);
  put(out, "key_file", t.key_file);
  put(out, "server_name", t.server_name);
  put(out, "insecure_skip_verify", t.insecure_skip_verify);
  out << YAML::EndMap;
}

void dump_http_config(YAML::Emitter& out, const HttpConfig& h) {
  out << YAML::Key << "http_config" << YAML::Value << YAML::BeginMap;
  if (h.basic_auth) {
    out << YAML::Key << "basic_auth" << YAML::Value << YAML::BeginMap;
    put(out, "username", h.basic_auth->username);
    put(out, "password", h.basic_auth->password);
    put(out, "password_file", h.basic_auth->password_file);
    out << YAML::EndMap;
  }
  if (!h.authorization_type.empty()) {
    out << YAML::Key << "authorization" << YAML::Value << YAML::BeginMap;
    put(out, "type", h.authorization_type);
    put(out, "credentials", h.authorization_credentials);
    put(out, "credentials_file", h.authorization_credentials_file);
    out << YAML::EndMap;
  }
  dump_tls(out, h.tls_config);
  put(out, "proxy_url", redact_url(h.proxy_url));
  put(out, "follow_redirects", h.follow_redirects);
  out << YAML::EndMap;
}

void dump_receiver(YAML::Emitter& out, const Receiver& r) {
  out << YAML::BeginMap;
  put(out, "name", r.name);
  dump_list(out, "slack_configs", r.slack_configs, dump_slack);
  dump_list(out, "email_configs", r.email_configs, dump_email);
  dump_list(out, "pagerduty_configs", r.pagerduty_configs, dump_pagerduty);
  dump_list(out, "webhook_configs", r.webhook_configs, dump_webhook);
  dump_list(out, "alertmanager_configs", r.alertmanager_configs, dump_forward);
  out << YAML::EndMap;
}

}  // namespace herald::config::detail
