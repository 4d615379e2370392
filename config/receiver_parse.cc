// herald.yml `receivers`: named lists of integrations (config.Receiver), names unique.
#include <map>

#include "config/routing_sections.h"

namespace herald::config::detail {
namespace {

template <class T>
using IntegrationParser = T (*)(ParseContext&, const YAML::Node&, const Path&,
                                const ReceiverContext&);

template <class T>
std::vector<T> read_integrations(const Fields& f, std::string_view name, const ReceiverContext& rc,
                                 IntegrationParser<T> parse) {
  std::vector<T> out;
  std::optional<YAML::Node> list = read_list(f, name);
  if (!list) return out;
  size_t i = 0;
  for (const YAML::Node& item : *list)
    out.push_back(parse(f.ctx(), item, f.path().field(name).index(i++), rc));
  return out;
}

Receiver parse_receiver(ParseContext& ctx, const YAML::Node& node, const Path& path,
                        const ReceiverContext& rc) {
  Fields f(ctx, node, path,
           {"name", "slack_configs", "email_configs", "pagerduty_configs", "webhook_configs",
            "alertmanager_configs"});
  Receiver r;
  r.pos = f.pos();
  if (!f.is_mapping()) return r;
  r.name = read_string(f, "name").value_or("");
  require_field(f, {"name"}, !r.name.empty());
  r.slack_configs = read_integrations<SlackConfig>(f, "slack_configs", rc, parse_slack);
  r.email_configs = read_integrations<EmailConfig>(f, "email_configs", rc, parse_email);
  r.pagerduty_configs =
      read_integrations<PagerdutyConfig>(f, "pagerduty_configs", rc, parse_pagerduty);
  r.webhook_configs = read_integrations<WebhookConfig>(f, "webhook_configs", rc, parse_webhook);
  r.alertmanager_configs = read_integrations<AlertmanagerForwardConfig>(
      f, "alertmanager_configs", rc, parse_alertmanager_forward);
  return r;
}

}  // namespace

std::vector<Receiver> parse_receivers(const Fields& top, const ReceiverContext& rc) {
  std::vector<Receiver> out;
  std::optional<YAML::Node> list = read_list(top, "receivers");
  if (!list) return out;
  std::map<std::string, SourcePos> names;
  size_t i = 0;
  for (const YAML::Node& item : *list) {
    const Path path = Path{{}, "receivers"}.index(i++);
    Receiver r = parse_receiver(top.ctx(), item, path, rc);
    if (!r.name.empty()) {
      auto [prev, inserted] = names.emplace(r.name, r.pos);
      if (!inserted) {
        top.ctx().error(r.pos, path.field("name"),
                        "duplicate receiver name \"" + r.name + "\" (first at line " +
                            std::to_string(prev->second.line) + ")");
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace herald::config::detail
