// Building the routing tree from config and matching alerts against it, as Alertmanager's
// dispatch/route.go (NewRoute, Match, Key, Walk) does.
#include "router/route.h"

#include <algorithm>

namespace herald::router {

std::unique_ptr<Route> Route::build(const config::RouteConfig& root,
                                    const RouteDefaults& defaults) {
  return build_node(root, nullptr, defaults);
}

std::unique_ptr<Route> Route::build_node(const config::RouteConfig& cfg, const Route* parent,
                                         const RouteDefaults& defaults) {
  std::unique_ptr<Route> route(new Route());  // the constructor is private
  route->inherit(parent, defaults);
  route->apply(cfg);
  route->key_ = parent != nullptr ? parent->key_ + "/" + to_string(route->matchers_)
                                  : to_string(route->matchers_);
  route->routes_.reserve(cfg.routes.size());
  for (const config::RouteConfig& child : cfg.routes)
    route->routes_.push_back(build_node(child, route.get(), defaults));
  return route;
}

void Route::inherit(const Route* parent, const RouteDefaults& defaults) {
  if (parent == nullptr) {
    group_wait_ = defaults.group_wait;
    group_interval_ = defaults.group_interval;
    repeat_interval_ = defaults.repeat_interval;
    return;
  }
  parent_ = parent;
  depth_ = parent->depth_ + 1;
  receiver_ = parent->receiver_;
  group_by_ = parent->group_by_;
  group_by_all_ = parent->group_by_all_;
  group_wait_ = parent->group_wait_;
  group_interval_ = parent->group_interval_;
  repeat_interval_ = parent->repeat_interval_;
}

void Route::apply(const config::RouteConfig& cfg) {
  // An empty receiver string counts as unset (NewRoute tests `cr.Receiver != ""`).
  if (cfg.receiver && !cfg.receiver->empty()) receiver_ = *cfg.receiver;
  if (cfg.group_by) {
    // config.go keeps "..." apart (GroupByAll) and collects the other names in GroupBy, which
    // stays nil when there are none; NewRoute only overrides when GroupBy is non-nil. So
    // `group_by: []` inherits like an absent group_by, and `['...']` sets group_by_all and leaves
    // the inherited names in place (unused from then on).
    std::set<std::string> names;
    bool all = false;
    for (const std::string& name : *cfg.group_by) {
      if (name == "...") {
        all = true;
      } else {
        names.insert(name);
      }
    }
    if (!names.empty()) {
      group_by_ = std::move(names);
      group_by_all_ = false;
    } else if (all) {
      group_by_all_ = true;
    }
  }
  if (cfg.group_wait) group_wait_ = *cfg.group_wait;
  if (cfg.group_interval) group_interval_ = *cfg.group_interval;
  if (cfg.repeat_interval) repeat_interval_ = *cfg.repeat_interval;
  matchers_ = cfg.matchers;
  sort_matchers(matchers_);
  continue_ = cfg.continue_;
  mute_ = cfg.mute_time_intervals;
  active_ = cfg.active_time_intervals;
  pos_ = cfg.pos;
}

std::vector<const Route*> Route::match(const LabelSet& labels) const {
  std::vector<const Route*> out;
  collect(labels, out);
  return out;
}

void Route::collect(const LabelSet& labels, std::vector<const Route*>& out) const {
  if (!matches_all(matchers_, labels)) return;
  const size_t before = out.size();
  for (const auto& child : routes_) {
    const size_t mark = out.size();
    child->collect(labels, out);
    if (out.size() > mark && !child->continue_) break;
  }
  if (out.size() == before) out.push_back(this);
}

void Route::walk(const std::function<void(const Route&)>& visit) const {
  visit(*this);
  for (const auto& child : routes_)
    child->walk(visit);
}

}  // namespace herald::router
