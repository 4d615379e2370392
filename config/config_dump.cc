// dump_config: the effective herald.yml, defaults included, secrets redacted.
#include <yaml-cpp/yaml.h>

#include "config/config.h"
#include "config/dump_helpers.h"
#include "config/routing_dump.h"
#include "config/url.h"

namespace herald::config {
namespace {

using detail::put;

void dump_global(YAML::Emitter& out, const GlobalConfig& g) {
  out << YAML::Key << "global" << YAML::Value << YAML::BeginMap;
  put(out, "external_url", redact_url(g.external_url));
  put(out, "evaluation_interval", g.evaluation_interval);
  put(out, "resolve_timeout", g.resolve_timeout);
  put(out, "external_labels", g.external_labels.to_map());
  put(out, "for_outage_tolerance", g.for_outage_tolerance);
  detail::dump_notifier_defaults(out, g.notifier_defaults);
  out << YAML::EndMap;
}

void dump_datasource(YAML::Emitter& out, const Datasource& d) {
  out << YAML::BeginMap;
  put(out, "name", d.name);
  put(out, "url", redact_url(d.url));
  put(out, "timeout", d.timeout);
  put(out, "bearer_token", d.bearer_token);
  put(out, "bearer_token_file", d.bearer_token_file);
  if (!d.headers.empty()) {
    out << YAML::Key << "headers" << YAML::Value << YAML::BeginMap;
    for (const auto& [name, value] : d.headers)
      put(out, name.c_str(), value);
    out << YAML::EndMap;
  }
  detail::dump_tls(out, d.tls_config);
  put(out, "unreachable_after", d.unreachable_after);
  out << YAML::Key << "default" << YAML::Value << d.is_default;
  out << YAML::EndMap;
}

void dump_link(YAML::Emitter& out, const DrilldownLink& l) {
  out << YAML::BeginMap;
  put(out, "title", l.title);
  put(out, "dashboard", l.dashboard);
  put(out, "vars", l.vars);
  out << YAML::EndMap;
}

void dump_drilldown(YAML::Emitter& out, const Drilldown& d) {
  out << YAML::BeginMap;
  out << YAML::Key << "matchers" << YAML::Value << YAML::BeginSeq;
  for (const Matcher& m : d.matchers)
    out << m.to_string();
  out << YAML::EndSeq;
  put(out, "dashboard", d.dashboard);
  put(out, "vars", d.vars);
  out << YAML::Key << "window" << YAML::Value << YAML::BeginMap;
  put(out, "before", d.window.before);
  put(out, "after", d.window.after);
  put(out, "min_span", d.window.min_span);
  out << YAML::EndMap;
  if (!d.also.empty()) {
    out << YAML::Key << "also" << YAML::Value << YAML::BeginSeq;
    for (const DrilldownLink& l : d.also)
      dump_link(out, l);
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
}

void dump_links(YAML::Emitter& out, const LinksConfig& l) {
  out << YAML::Key << "links" << YAML::Value << YAML::BeginMap;
  put(out, "grafana_url", redact_url(l.grafana_url));
  put(out, "dashboards_dir", l.dashboards_dir);
  put(out, "runbooks_dir", l.runbooks_dir);
  out << YAML::Key << "drilldowns" << YAML::Value << YAML::BeginSeq;
  for (const Drilldown& d : l.drilldowns)
    dump_drilldown(out, d);
  out << YAML::EndSeq << YAML::EndMap;
}

}  // namespace

std::string dump_config(const Config& c) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  dump_global(out, c.global);
  out << YAML::Key << "datasources" << YAML::Value << YAML::BeginSeq;
  for (const Datasource& d : c.datasources)
    dump_datasource(out, d);
  out << YAML::EndSeq;
  out << YAML::Key << "rule_files" << YAML::Value << YAML::BeginSeq;
  for (const RuleFilePattern& p : c.rule_files)
    out << p.pattern;
  out << YAML::EndSeq;
  dump_links(out, c.links);
  out << YAML::Key << "web" << YAML::Value << YAML::BeginMap;
  put(out, "auth_token_file", c.web.auth_token_file);
  out << YAML::EndMap;
  detail::dump_routing(out, c.routing);
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace herald::config
