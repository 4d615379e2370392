// `pagerduty_configs`: Alertmanager's PagerdutyConfig (v0.25) plus herald's `severity_map`
// (notifiers issue: the event severity from the alerts' `severity` label).
#include <algorithm>

#include "config/routing_sections.h"

namespace herald::config::detail {
namespace {

constexpr std::string_view kSeverities[] = {"critical", "error", "warning", "info"};

std::vector<PagerdutyLink> read_links(const Fields& pd) {
  std::vector<PagerdutyLink> out;
  std::optional<YAML::Node> list = read_list(pd, "links");
  if (!list) return out;
  size_t i = 0;
  for (const YAML::Node& item : *list) {
    Fields f(pd.ctx(), item, pd.path().field("links").index(i++), {"href", "text"});
    out.push_back(PagerdutyLink{read_template(f, "href"), read_template(f, "text")});
  }
  return out;
}

std::vector<PagerdutyImage> read_images(const Fields& pd) {
  std::vector<PagerdutyImage> out;
  std::optional<YAML::Node> list = read_list(pd, "images");
  if (!list) return out;
  size_t i = 0;
  for (const YAML::Node& item : *list) {
    Fields f(pd.ctx(), item, pd.path().field("images").index(i++), {"src", "alt", "href"});
    out.push_back(
        PagerdutyImage{read_template(f, "src"), read_template(f, "alt"), read_template(f, "href")});
  }
  return out;
}

void read_severity_map(const Fields& f, PagerdutyConfig& p) {
  if (!f.get("severity_map")) return;  // keep the default map
  p.severity_map.clear();
  for (const ScalarEntry& e : read_string_map(f, "severity_map")) {
    if (std::find(std::begin(kSeverities), std::end(kSeverities), e.value) ==
        std::end(kSeverities)) {
      f.ctx().error(
          e.value_pos, f.path().field("severity_map").field(e.key),
          "\"" + e.value + "\" is not a PagerDuty severity (critical, error, warning or info)");
    }
    p.severity_map[e.key] = e.value;
  }
}

void read_keys(const Fields& f, const ReceiverContext& rc, PagerdutyConfig& p) {
  const bool routing =
      read_secret_pair(f, "routing_key", rc.dir, p.routing_key, p.routing_key_file);
  const bool service =
      read_secret_pair(f, "service_key", rc.dir, p.service_key, p.service_key_file);
  require_field(f, {"routing_key", "routing_key_file", "service_key", "service_key_file"},
                routing || service);
}

void read_event_fields(const Fields& f, PagerdutyConfig& p) {
  p.client = read_template(f, "client");
  p.client_url = read_template(f, "client_url");
  p.description = read_template(f, "description");
  p.source = read_template(f, "source");
  if (p.source.empty()) p.source = p.client;  // as Alertmanager's UnmarshalYAML
  p.severity = read_template(f, "severity");
  p.class_ = read_template(f, "class");
  p.component = read_template(f, "component");
  p.group = read_template(f, "group");
  for (const ScalarEntry& e : read_template_map(f, "details"))
    p.details[e.key] = e.value;
  p.images = read_images(f);
  p.links = read_links(f);
}

}  // namespace

PagerdutyConfig parse_pagerduty(ParseContext& ctx, const YAML::Node& node, const Path& path,
                                const ReceiverContext& rc) {
  Fields f(ctx, node, path,
           {"send_resolved", "http_config", "routing_key", "routing_key_file", "service_key",
            "service_key_file", "url", "client", "client_url", "description", "details", "images",
            "links", "source", "severity", "class", "component", "group", "severity_map"});
  PagerdutyConfig p;
  p.pos = f.pos();
  if (!f.is_mapping()) return p;
  p.send_resolved = read_bool(f, "send_resolved").value_or(true);
  p.http_config = read_http_config(f, rc.dir, &rc.defaults.http_config);
  read_keys(f, rc, p);
  p.url = read_url(f, "url");
  if (p.url.empty()) p.url = rc.defaults.pagerduty_url;
  read_event_fields(f, p);
  read_severity_map(f, p);
  return p;
}

}  // namespace herald::config::detail
