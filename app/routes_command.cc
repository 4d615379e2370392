// amtool-compatible routing tree printing and label-set routing on herald.yml.
#include "app/routes_command.h"

#include <functional>
#include <ostream>

#include "config/config.h"
#include "config/env.h"
#include "model/matcher.h"
#include "router/group_key.h"
#include "router/route.h"

namespace herald::app {
namespace {

// amtool's branch slug (cli/routing.go getRouteTreeSlug); amtool 0.25 prints no grouping.
std::string slug(const router::Route& r, bool show_continue, bool show_receiver) {
  std::string out = r.matchers().empty() ? "default-route" : to_string(r.matchers());
  if (show_continue && r.continue_matching()) out += "  continue: true";
  if (show_receiver) out += "  receiver: " + r.receiver();
  return out;
}

// treeprint's continuation of a branch: a bar, two no-break spaces (U+00A0) and a space.
constexpr const char* kPipe = "│\u00a0\u00a0 ";

// The ASCII tree of github.com/xlab/treeprint, which amtool prints: "." then one line per node.
void print_tree(
    std::ostream& out, const router::Route& root,
    const std::function<std::string(const router::Route&)>& label,
    const std::function<std::vector<const router::Route*>(const router::Route&)>& children) {
  std::function<void(const router::Route&, const std::string&, bool)> node =
      [&](const router::Route& r, const std::string& prefix, bool last) {
        out << prefix << (last ? "└── " : "├── ") << label(r) << "\n";
        const auto kids = children(r);
        for (size_t i = 0; i < kids.size(); ++i)
          node(*kids[i], prefix + (last ? "    " : kPipe), i + 1 == kids.size());
      };
  out << ".\n";
  node(root, "", true);
}

std::vector<const router::Route*> all_children(const router::Route& r) {
  std::vector<const router::Route*> out;
  for (const auto& c : r.routes())
    out.push_back(c.get());
  return out;
}

// amtool's getMatchingTree: the children a label set descends into, stopping at the first
// matching child without `continue`.
std::vector<const router::Route*> matching_children(const router::Route& r,
                                                    const LabelSet& labels) {
  std::vector<const router::Route*> out;
  for (const auto& c : r.routes()) {
    if (!matches_all(c->matchers(), labels)) continue;
    out.push_back(c.get());
    if (!c->continue_matching()) break;
  }
  return out;
}

struct LoadedRoutes {
  std::unique_ptr<router::Route> root;
  int code = 0;
};

LoadedRoutes load_routes(const std::string& path, std::ostream& err) {
  auto cfg = config::load_config(path, config::process_env());
  for (const Diagnostic& d : cfg.diagnostics) {
    if (d.severity == Severity::kError) err << d.to_string() << "\n";
  }
  if (!cfg.value || has_errors(cfg.diagnostics)) return {nullptr, 1};
  if (!cfg.value->routing.route) {
    err << "herald: error: " << path << " has no route section\n";
    return {nullptr, 1};
  }
  return {router::Route::build(*cfg.value->routing.route, router::RouteDefaults{}), 0};
}

std::string group_by_text(const router::Route& r) {
  if (r.group_by_all()) return "[...]";
  std::string out = "[";
  for (const std::string& name : r.group_by())
    out += (out.size() > 1 ? "," : "") + name;
  return out + "]";
}

// herald's addition: where the alert lands on this route and which timers apply there.
std::string route_detail(const router::Route& r, const LabelSet& labels) {
  return "  " + r.receiver() + ": route " + r.key() +
         " group=" + router::render_group_labels(router::group_labels(r, labels)) +
         " group_by=" + group_by_text(r) + " group_wait=" + format_duration(r.group_wait()) +
         " group_interval=" + format_duration(r.group_interval()) +
         " repeat_interval=" + format_duration(r.repeat_interval());
}

}  // namespace

int routes_show(const std::string& config_file, std::ostream& out, std::ostream& err) {
  LoadedRoutes loaded = load_routes(config_file, err);
  if (!loaded.root) return loaded.code;
  out << "Routing tree:\n";
  print_tree(
      out, *loaded.root, [](const router::Route& r) { return slug(r, true, true); }, all_children);
  out << "\n";
  return 0;
}

int routes_test(const RoutesTestOptions& options, std::ostream& out, std::ostream& err) {
  LabelSet labels;
  for (const std::string& arg : options.labels) {
    auto m = parse_matcher(arg);
    if (!m) {
      err << "herald: error: Failed to parse labels: " << m.error().message << "\n";
      return 1;
    }
    if (m->type() != MatchType::kEqual) {
      err << "herald: error: labels must be specified as key=value pairs\n";
      return 1;
    }
    labels.set(m->name(), m->value());
  }
  LoadedRoutes loaded = load_routes(options.config_file, err);
  if (!loaded.root) return loaded.code;
  const std::vector<const router::Route*> matched = loaded.root->match(labels);
  if (options.tree) {
    out << "Matching routes:\n";
    print_tree(
        out, *loaded.root,
        [&](const router::Route& r) {
          return slug(r, false, matching_children(r, labels).empty());
        },
        [&](const router::Route& r) { return matching_children(r, labels); });
    out << "\n\n";
  }
  std::string receivers;
  for (const router::Route* r : matched)
    receivers += (receivers.empty() ? "" : ",") + r->receiver();
  out << receivers << "\n";
  for (const router::Route* r : matched)
    out << route_detail(*r, labels) << "\n";
  if (!options.verify_receivers.empty() && options.verify_receivers != receivers) {
    out << "WARNING: Expected receivers did not match resolved receivers.\n";
    return 1;
  }
  return 0;
}

}  // namespace herald::app
