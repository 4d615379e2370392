// herald.yml `route`: the routing tree, with Alertmanager's checks (config.Route.UnmarshalYAML
// and Config.UnmarshalYAML's root and cross-reference checks), each at the offending field.
#include "config/names.h"
#include "config/routing_sections.h"

namespace herald::config::detail {
namespace {

std::optional<std::vector<std::string>> read_group_by(const Fields& f, bool is_root) {
  std::optional<YAML::Node> node = f.get("group_by");
  const std::vector<ScalarEntry> entries = read_string_list(f, "group_by");
  if (!node || !node->IsSequence()) return std::nullopt;
  ParseContext& ctx = f.ctx();
  const Path about = f.path().field("group_by");
  if (entries.empty()) {
    if (!is_root) {
      ctx.warning(f.value_pos("group_by"), about,
                  "an empty group_by inherits the parent's group_by, as in Alertmanager (it does "
                  "not mean one group); remove it, or list the labels to group by");
    }
    return std::nullopt;
  }
  std::vector<std::string> labels;
  std::map<std::string, SourcePos> seen;
  bool all = false, others = false;
  for (const ScalarEntry& e : entries) {
    others = others || e.value != "...";
    if (e.value == "...") {
      all = true;
    } else if (!is_valid_label_name(e.value)) {
      ctx.error(e.value_pos, about, "invalid label name \"" + e.value + "\" in group_by list");
    } else if (!seen.emplace(e.value, e.value_pos).second) {
      ctx.error(e.value_pos, about, "duplicated label \"" + e.value + "\" in group_by");
    }
    labels.push_back(e.value);
  }
  if (all && others) {
    ctx.error(f.value_pos("group_by"), about,
              "cannot have wildcard group_by (`...`) and other labels at the same time");
  }
  return labels;
}

void read_timers(const Fields& f, RouteConfig& r) {
  r.group_wait = read_duration(f, "group_wait");
  r.group_interval = read_duration(f, "group_interval");
  r.repeat_interval = read_duration(f, "repeat_interval");
  for (auto [name, value] : {std::pair{"group_interval", r.group_interval},
                             std::pair{"repeat_interval", r.repeat_interval}}) {
    if (value && value->count() == 0) {
      f.ctx().error(f.value_pos(name), f.path().field(name), std::string(name) + " cannot be zero");
    }
  }
}

std::vector<std::string> read_interval_refs(const Fields& f, std::string_view name,
                                            const RouteRefs& refs) {
  std::vector<std::string> out;
  size_t i = 0;
  for (const ScalarEntry& e : read_string_list(f, name)) {
    if (!refs.time_intervals.contains(e.value)) {
      f.ctx().error(e.value_pos, f.path().field(name).index(i),
                    "undefined time interval \"" + e.value + "\" used in route");
    }
    out.push_back(e.value);
    ++i;
  }
  return out;
}

void read_receiver(const Fields& f, const RouteRefs& refs, RouteConfig& r) {
  std::string receiver = read_string(f, "receiver").value_or("");
  if (receiver.empty()) return;  // Alertmanager treats "" as unset: the parent's is inherited
  if (!refs.receivers.contains(receiver)) {
    f.ctx().error(f.value_pos("receiver"), f.path().field("receiver"),
                  "undefined receiver \"" + receiver + "\" used in route");
  }
  r.receiver = std::move(receiver);
}

// The root is the fallback for every alert (config.go): it has a receiver, matches everything,
// and is never muted or skipped.
void check_root(const Fields& f, const RouteConfig& r) {
  ParseContext& ctx = f.ctx();
  std::optional<YAML::Node> receiver = f.get("receiver");
  if (!r.receiver && !(receiver && !receiver->IsScalar())) {  // a non-string was reported
    ctx.error(f.pos(), f.path(), "root route must specify a default receiver");
  }
  for (const char* name : {"match", "match_re", "matchers"}) {
    std::optional<YAML::Node> node = f.get(name);
    if (node && node->size() > 0) {
      ctx.error(f.key_pos(name), f.path().field(name), "root route must not have any matchers");
    }
  }
  if (r.continue_) {
    ctx.error(f.key_pos("continue"), f.path().field("continue"),
              "cannot have continue in root route");
  }
  if (!r.mute_time_intervals.empty()) {
    ctx.error(f.key_pos("mute_time_intervals"), f.path().field("mute_time_intervals"),
              "root route must not have any mute time intervals");
  }
  if (!r.active_time_intervals.empty()) {
    ctx.error(f.key_pos("active_time_intervals"), f.path().field("active_time_intervals"),
              "root route must not have any active time intervals");
  }
}

Matchers read_route_matchers(const Fields& f) {
  Matchers out = read_match_map(f, "match", MatchType::kEqual);
  for (Matcher& m : read_match_map(f, "match_re", MatchType::kRegex))
    out.push_back(std::move(m));
  for (Matcher& m : read_matcher_list(f, "matchers"))
    out.push_back(std::move(m));
  return out;
}

RouteConfig parse_node(ParseContext& ctx, const YAML::Node& node, const Path& path,
                       const RouteRefs& refs, bool is_root) {
  Fields f(ctx, node, path,
           {"receiver", "group_by", "continue", "matchers", "match", "match_re", "group_wait",
            "group_interval", "repeat_interval", "mute_time_intervals", "active_time_intervals",
            "routes"});
  RouteConfig r;
  r.pos = f.pos();
  if (!f.is_mapping()) return r;
  read_receiver(f, refs, r);
  r.group_by = read_group_by(f, is_root);
  r.continue_ = read_bool(f, "continue").value_or(false);
  r.matchers = read_route_matchers(f);
  read_timers(f, r);
  r.mute_time_intervals = read_interval_refs(f, "mute_time_intervals", refs);
  r.active_time_intervals = read_interval_refs(f, "active_time_intervals", refs);
  if (is_root) check_root(f, r);
  if (std::optional<YAML::Node> routes = read_list(f, "routes")) {
    size_t i = 0;
    for (const YAML::Node& child : *routes)
      r.routes.push_back(parse_node(ctx, child, path.field("routes").index(i++), refs, false));
  }
  return r;
}

}  // namespace

std::optional<RouteConfig> parse_route(const Fields& top, const RouteRefs& refs) {
  std::optional<YAML::Node> node = top.get("route");
  if (!node) return std::nullopt;
  return parse_node(top.ctx(), *node, Path{{}, "route"}, refs, true);
}

}  // namespace herald::config::detail
