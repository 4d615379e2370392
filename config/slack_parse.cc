// `slack_configs`: Alertmanager's SlackConfig (v0.25 fields) plus bot-token mode with
// Alertmanager ≥ 0.30's names (`app_token`, `app_token_file`, `app_url`, and the global
// `slack_app_token(_file)`, `slack_app_url`), and the global inheritance of config.go.
#include "config/routing_sections.h"

namespace herald::config::detail {
namespace {

std::vector<SlackField> read_fields(const Fields& slack) {
  std::vector<SlackField> out;
  std::optional<YAML::Node> list = read_list(slack, "fields");
  if (!list) return out;
  size_t i = 0;
  for (const YAML::Node& item : *list) {
    Fields f(slack.ctx(), item, slack.path().field("fields").index(i++),
             {"title", "value", "short"});
    SlackField field{read_template(f, "title"), read_template(f, "value"), read_bool(f, "short")};
    require_field(f, {"title"}, !field.title.empty());
    require_field(f, {"value"}, !field.value.empty());
    out.push_back(std::move(field));
  }
  return out;
}

std::optional<SlackConfirm> read_confirm(const Fields& action) {
  std::optional<YAML::Node> node = action.get("confirm");
  if (!node) return std::nullopt;
  Fields f(action.ctx(), *node, action.path().field("confirm"),
           {"text", "title", "ok_text", "dismiss_text"});
  SlackConfirm c{read_template(f, "text"), read_template(f, "title"), read_template(f, "ok_text"),
                 read_template(f, "dismiss_text")};
  require_field(f, {"text"}, !c.text.empty());
  return c;
}

SlackAction read_action(const Fields& f) {
  SlackAction a;
  a.type = read_template(f, "type");
  a.text = read_template(f, "text");
  a.url = read_template(f, "url");
  a.style = read_template(f, "style");
  a.name = read_template(f, "name");
  a.value = read_template(f, "value");
  a.confirm = read_confirm(f);
  require_field(f, {"type"}, !a.type.empty());
  require_field(f, {"text"}, !a.text.empty());
  if (!a.url.empty()) {  // a link button: the message-action fields do not apply
    a.name.clear();
    a.value.clear();
    a.confirm.reset();
  } else if (a.name.empty()) {
    f.ctx().error(f.pos(), f.path(), "missing required field \"url\" or \"name\"");
  }
  return a;
}

std::vector<SlackAction> read_actions(const Fields& slack) {
  std::vector<SlackAction> out;
  std::optional<YAML::Node> list = read_list(slack, "actions");
  if (!list) return out;
  size_t i = 0;
  for (const YAML::Node& item : *list) {
    Fields f(slack.ctx(), item, slack.path().field("actions").index(i++),
             {"type", "text", "url", "style", "name", "value", "confirm"});
    out.push_back(read_action(f));
  }
  return out;
}

void read_message(const Fields& f, SlackConfig& s) {
  s.channel = read_template(f, "channel");
  s.username = read_template(f, "username");
  s.color = read_template(f, "color");
  s.title = read_template(f, "title");
  s.title_link = read_template(f, "title_link");
  s.pretext = read_template(f, "pretext");
  s.text = read_template(f, "text");
  s.footer = read_template(f, "footer");
  s.fallback = read_template(f, "fallback");
  s.callback_id = read_template(f, "callback_id");
  s.icon_emoji = read_template(f, "icon_emoji");
  s.icon_url = read_template(f, "icon_url");
  s.image_url = read_template(f, "image_url");
  s.thumb_url = read_template(f, "thumb_url");
  s.fields = read_fields(f);
  s.short_fields = read_bool(f, "short_fields").value_or(false);
  s.link_names = read_bool(f, "link_names").value_or(false);
  for (const ScalarEntry& e : read_string_list(f, "mrkdwn_in"))
    s.mrkdwn_in.push_back(e.value);
  s.actions = read_actions(f);
}

bool own_authorization(const Fields& f, const SlackConfig& s) {
  return f.get("http_config") && !s.http_config.authorization_type.empty();
}

// Which credential applies: the receiver's webhook URL or bot token, else the global ones (a
// global bot token only when the receiver brings no credential of its own, as Alertmanager).
void read_credentials(const Fields& f, const ReceiverContext& rc, SlackConfig& s) {
  ParseContext& ctx = f.ctx();
  const NotifierDefaults& g = rc.defaults;
  s.api_url = read_secret_url(f, "api_url");
  s.api_url_file = read_path(f, "api_url_file", rc.dir);
  if (!s.api_url.empty() && !s.api_url_file.empty()) {
    ctx.error(f.key_pos("api_url_file"), f.path(),
              "at most one of api_url and api_url_file may be set");
  }
  const bool has_url = !s.api_url.empty() || !s.api_url_file.empty();
  const bool has_token = read_secret_pair(f, "app_token", rc.dir, s.app_token, s.app_token_file);
  if (has_url && has_token) {
    ctx.error(f.key_pos(s.app_token.empty() ? "app_token_file" : "app_token"), f.path(),
              "at most one of api_url/api_url_file and app_token/app_token_file may be set");
  }
  const bool has_auth = own_authorization(f, s);
  if (!has_url && !has_token && !has_auth) {
    s.app_token = g.slack_app_token;
    s.app_token_file = g.slack_app_token_file;
  }
  if (!has_url && !s.bot_mode()) {
    s.api_url = g.slack_api_url;
    s.api_url_file = g.slack_api_url_file;
  }
  s.app_url = read_url(f, "app_url");
  if (s.app_url.empty()) s.app_url = g.slack_app_url;
}

void check_mode(const Fields& f, const SlackConfig& s) {
  ParseContext& ctx = f.ctx();
  if (s.bot_mode()) {
    if (own_authorization(f, s)) {
      ctx.error(f.key_pos("http_config"), f.path().field("http_config"),
                "http_config.authorization cannot be set when using a Slack app token");
    }
    if (s.channel.empty()) {
      ctx.error(f.pos(), f.path(),
                "missing required field \"channel\" (chat.postMessage needs one in bot mode)");
    }
  } else if (s.api_url.empty() && s.api_url_file.empty()) {
    ctx.error(f.pos(), f.path(),
              "no Slack webhook URL nor app token: set api_url, api_url_file or app_token here, "
              "or slack_api_url, slack_api_url_file or slack_app_token under global");
  }
}

}  // namespace

SlackConfig parse_slack(ParseContext& ctx, const YAML::Node& node, const Path& path,
                        const ReceiverContext& rc) {
  Fields f(
      ctx, node, path,
      {"send_resolved", "http_config", "api_url",  "api_url_file", "app_token", "app_token_file",
       "app_url",       "channel",     "username", "color",        "title",     "title_link",
       "pretext",       "text",        "fields",   "short_fields", "footer",    "fallback",
       "callback_id",   "icon_emoji",  "icon_url", "image_url",    "thumb_url", "link_names",
       "mrkdwn_in",     "actions"});
  SlackConfig s;
  s.pos = f.pos();
  if (!f.is_mapping()) return s;
  s.send_resolved = read_bool(f, "send_resolved").value_or(false);
  s.http_config = read_http_config(f, rc.dir, &rc.defaults.http_config);
  read_credentials(f, rc, s);
  read_message(f, s);
  check_mode(f, s);
  return s;
}

}  // namespace herald::config::detail
