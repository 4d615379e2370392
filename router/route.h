// The routing tree: config::RouteConfig nodes with inheritance resolved, and Alertmanager's
// depth-first matching (dispatch/route.go, v0.25). Pure and immutable after build(), so it is
// safe to share between threads; a config reload builds a new tree.
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "config/routing.h"
#include "model/diagnostic.h"
#include "model/duration.h"
#include "model/labels.h"
#include "model/matcher.h"

namespace herald::router {

// What the root inherits (Alertmanager's DefaultRouteOpts).
struct RouteDefaults {
  Duration group_wait = std::chrono::seconds(30);
  Duration group_interval = std::chrono::minutes(5);
  Duration repeat_interval = std::chrono::hours(4);
};

class Route {
 public:
  // Builds the tree as NewRoute does: receiver, group_by and the three timers come from the
  // parent unless the node sets them; matchers, `continue` and time intervals are the node's own.
  // REQUIRES: `root` was validated by config/ (root has a receiver and no matchers).
  [[nodiscard]] static std::unique_ptr<Route> build(const config::RouteConfig& root,
                                                    const RouteDefaults& defaults = {});

  Route(const Route&) = delete;
  Route& operator=(const Route&) = delete;

  [[nodiscard]] const std::string& receiver() const { return receiver_; }
  [[nodiscard]] const std::set<std::string>& group_by() const { return group_by_; }
  // group_by: ['...']: every label of the alert is a group label (group_by() is then unused).
  [[nodiscard]] bool group_by_all() const { return group_by_all_; }
  [[nodiscard]] Duration group_wait() const { return group_wait_; }
  [[nodiscard]] Duration group_interval() const { return group_interval_; }
  [[nodiscard]] Duration repeat_interval() const { return repeat_interval_; }
  // Sorted by labels.Matchers.Less, which is what key() renders.
  [[nodiscard]] const Matchers& matchers() const { return matchers_; }
  [[nodiscard]] bool continue_matching() const { return continue_; }
  [[nodiscard]] const std::vector<std::string>& mute_time_intervals() const { return mute_; }
  [[nodiscard]] const std::vector<std::string>& active_time_intervals() const { return active_; }
  [[nodiscard]] const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }
  [[nodiscard]] const Route* parent() const { return parent_; }
  [[nodiscard]] int depth() const { return depth_; }  // the root is 0
  [[nodiscard]] const SourcePos& pos() const { return pos_; }

  // Alertmanager's Route.Key(): the parent's key, "/", and this node's matchers string; the
  // root's is "{}". Not unique: siblings with equal matchers share a key (and so their groups'
  // keys), exactly as in Alertmanager. (Route.ID(), which adds sibling positions, is newer than
  // Alertmanager 0.25.)
  [[nodiscard]] const std::string& key() const { return key_; }

  // Route.Match: the routes an alert with `labels` is delivered through, in tree order; empty if
  // this node's own matchers fail. Depth first; after the first matching child the search stops
  // unless that child has `continue`; a node none of whose children matched is itself the match.
  [[nodiscard]] std::vector<const Route*> match(const LabelSet& labels) const;

  // Visits this node, then each subtree in order (Route.Walk).
  void walk(const std::function<void(const Route&)>& visit) const;

 private:
  Route() = default;
  static std::unique_ptr<Route> build_node(const config::RouteConfig& cfg, const Route* parent,
                                           const RouteDefaults& defaults);
  void inherit(const Route* parent, const RouteDefaults& defaults);
  void apply(const config::RouteConfig& cfg);
  void collect(const LabelSet& labels, std::vector<const Route*>& out) const;

  const Route* parent_ = nullptr;
  int depth_ = 0;
  std::string receiver_;
  std::set<std::string> group_by_;
  bool group_by_all_ = false;
  Duration group_wait_{};
  Duration group_interval_{};
  Duration repeat_interval_{};
  Matchers matchers_;
  bool continue_ = false;
  std::vector<std::string> mute_;
  std::vector<std::string> active_;
  std::vector<std::unique_ptr<Route>> routes_;
  std::string key_;
  SourcePos pos_;
};

}  // namespace herald::router
