// Template fields of Slack, email and PagerDuty configs, expanded per notification.
#include "notifiers/message_templates.h"

#include "notifiers/template_data.h"
#include "template/am_defaults.h"
#include "template/execute.h"

namespace herald::notifiers {

FieldExpander::FieldExpander(const Templating& templating, const Notification& n,
                             std::string_view receiver, const links::LinkSettings& links,
                             WallTime now)
    : templating_(templating), n_(n), receiver_(receiver), links_(links), now_(now) {}

const tmpl::Value& FieldExpander::data() {
  if (!data_) {
    data_ = template_value(template_data(n_, receiver_), templating_.external_url, links_, now_);
  }
  return *data_;
}

std::optional<std::string> FieldExpander::expand(std::string_view field, const std::string& text,
                                                 bool html) {
  if (text.empty()) return std::string();
  const tmpl::Template* base =
      templating_.set ? templating_.set.get() : &tmpl::alertmanager_defaults();
  auto parsed = tmpl::parse(field, text, tmpl::FuncSet::kMessage, base);
  if (!parsed) {  // the config check prevents this; a set reloaded under us could not
    warnings_.push_back(std::string(field) + ": template: " + parsed.error().message);
    return std::nullopt;
  }
  tmpl::ExecEnv env;
  env.external_url = templating_.external_url;
  env.html = html;
  Result<std::string> out = tmpl::execute(*parsed, data(), env);
  if (!out) {
    warnings_.push_back(std::string(field) + ": " + out.error().message);
    return std::nullopt;
  }
  return std::move(*out);
}

std::string FieldExpander::content(std::string_view field, const std::string& text, bool html) {
  return expand(field, text, html).value_or("");
}

std::optional<config::SlackConfig> expand_slack(const config::SlackConfig& c, FieldExpander& x) {
  config::SlackConfig out = c;
  std::optional<std::string> channel = x.expand("slack_configs.channel", c.channel);
  if (!channel) return std::nullopt;
  out.channel = std::move(*channel);
  for (auto [field, name] : {std::pair{&out.username, "username"},
                             {&out.color, "color"},
                             {&out.title, "title"},
                             {&out.title_link, "title_link"},
                             {&out.pretext, "pretext"},
                             {&out.text, "text"},
                             {&out.footer, "footer"},
                             {&out.fallback, "fallback"},
                             {&out.callback_id, "callback_id"},
                             {&out.icon_emoji, "icon_emoji"},
                             {&out.icon_url, "icon_url"},
                             {&out.image_url, "image_url"},
                             {&out.thumb_url, "thumb_url"}})
    *field = x.content(std::string("slack_configs.") + name, *field);
  for (config::SlackField& f : out.fields) {
    f.title = x.content("slack_configs.fields.title", f.title);
    f.value = x.content("slack_configs.fields.value", f.value);
  }
  for (config::SlackAction& a : out.actions) {
    a.text = x.content("slack_configs.actions.text", a.text);
    a.url = x.content("slack_configs.actions.url", a.url);
  }
  return out;
}

config::PagerdutyConfig expand_pagerduty(const config::PagerdutyConfig& c, FieldExpander& x) {
  config::PagerdutyConfig out = c;
  for (auto [field, name] : {std::pair{&out.client, "client"},
                             {&out.client_url, "client_url"},
                             {&out.description, "description"},
                             {&out.source, "source"},
                             {&out.severity, "severity"},
                             {&out.class_, "class"},
                             {&out.component, "component"},
                             {&out.group, "group"}})
    *field = x.content(std::string("pagerduty_configs.") + name, *field);
  for (auto& [key, value] : out.details)
    value = x.content("pagerduty_configs.details." + key, value);
  for (config::PagerdutyLink& l : out.links) {
    l.href = x.content("pagerduty_configs.links.href", l.href);
    l.text = x.content("pagerduty_configs.links.text", l.text);
  }
  for (config::PagerdutyImage& i : out.images) {
    i.src = x.content("pagerduty_configs.images.src", i.src);
    i.alt = x.content("pagerduty_configs.images.alt", i.alt);
    i.href = x.content("pagerduty_configs.images.href", i.href);
  }
  return out;
}

std::optional<config::EmailConfig> expand_email(const config::EmailConfig& c, FieldExpander& x) {
  config::EmailConfig out = c;
  std::optional<std::string> to = x.expand("email_configs.to", c.to);
  std::optional<std::string> from = x.expand("email_configs.from", c.from);
  if (!to || !from) return std::nullopt;
  out.to = std::move(*to);
  out.from = std::move(*from);
  for (auto& [name, value] : out.headers)
    value = x.content("email_configs.headers." + name, value);
  out.html = x.content("email_configs.html", c.html, true);
  out.text = x.content("email_configs.text", c.text);
  return out;
}

}  // namespace herald::notifiers
