// herald.yml `links`: Grafana drilldowns and the runbook and dashboard directories.
#include "config/config_sections.h"
#include "config/names.h"
#include "config/routing_sections.h"

namespace herald::config::detail {
namespace {

// vars map a Grafana variable to an alert label name, so the values must be label names.
std::map<std::string, std::string> read_vars(const Fields& f) {
  std::map<std::string, std::string> vars;
  for (const ScalarEntry& e : read_string_map(f, "vars")) {
    if (!is_valid_label_name(e.value)) {
      f.ctx().error(e.value_pos, f.path().field("vars").field(e.key),
                    "invalid label name: \"" + e.value + "\"");
    }
    vars[e.key] = e.value;
  }
  return vars;
}

std::string read_dashboard(const Fields& f) {
  std::string uid = read_string(f, "dashboard").value_or("");
  if (uid.empty()) f.ctx().error(f.pos(), f.path(), "missing required field \"dashboard\"");
  return uid;
}

DrilldownWindow parse_window(const Fields& drilldown) {
  Fields f(drilldown.ctx(), drilldown.get("window").value_or(YAML::Node()),
           drilldown.path().field("window"), {"before", "after", "min_span"});
  DrilldownWindow w;
  w.before = read_duration(f, "before").value_or(w.before);
  w.after = read_duration(f, "after").value_or(w.after);
  w.min_span = read_duration(f, "min_span").value_or(w.min_span);
  return w;
}

std::vector<DrilldownLink> parse_also(const Fields& drilldown) {
  std::vector<DrilldownLink> out;
  std::optional<YAML::Node> list = read_list(drilldown, "also");
  if (!list) return out;
  size_t i = 0;
  for (const YAML::Node& item : *list) {
    Fields f(drilldown.ctx(), item, drilldown.path().field("also").index(i++),
             {"title", "dashboard", "vars"});
    if (!f.is_mapping()) continue;
    DrilldownLink link;
    link.dashboard = read_dashboard(f);
    link.title = read_string(f, "title").value_or(link.dashboard);  // the uid, when untitled
    link.vars = read_vars(f);
    out.push_back(std::move(link));
  }
  return out;
}

Drilldown parse_drilldown(ParseContext& ctx, const YAML::Node& node, const Path& path) {
  Fields f(ctx, node, path, {"matchers", "dashboard", "vars", "window", "also"});
  Drilldown d;
  d.pos = f.pos();
  if (!f.is_mapping()) return d;
  d.matchers = read_matcher_list(f, "matchers");
  d.dashboard = read_dashboard(f);
  d.vars = read_vars(f);
  d.window = parse_window(f);
  d.also = parse_also(f);
  return d;
}

}  // namespace

void parse_links(const Fields& top, const std::string& dir, LinksConfig& out) {
  Fields f(top.ctx(), top.get("links").value_or(YAML::Node()), Path{{}, "links"},
           {"grafana_url", "dashboards_dir", "runbooks_dir", "drilldowns"});
  out.grafana_url = read_url(f, "grafana_url");
  out.dashboards_dir = read_path(f, "dashboards_dir", dir);
  out.runbooks_dir = read_path(f, "runbooks_dir", dir);
  std::optional<YAML::Node> list = read_list(f, "drilldowns");
  if (!list) return;
  size_t i = 0;
  for (const YAML::Node& item : *list) {
    out.drilldowns.push_back(
        parse_drilldown(f.ctx(), item, f.path().field("drilldowns").index(i++)));
  }
  if (!out.drilldowns.empty() && out.grafana_url.empty()) {
    f.ctx().error(f.key_pos("drilldowns"), f.path().field("grafana_url"),
                  "required when drilldowns are configured");
  }
}

}  // namespace herald::config::detail
