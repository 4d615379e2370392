// The routing tree: inheritance as Alertmanager's NewRoute, matching as Route.Match, keys as
// Route.Key. Expected receivers were checked with `amtool config routes test` (0.25) on the
// same tree written as YAML.
#include "router/route.h"

#include <catch2/catch.hpp>

#include "tests/router/route_builders.h"

using namespace herald::router::testing;
using herald::LabelSet;
using herald::router::Route;
using namespace std::chrono_literals;

namespace {

std::string receivers(const std::vector<const Route*>& routes) {
  std::string out;
  for (const Route* r : routes)
    out += (out.empty() ? "" : ",") + r->receiver();
  return out;
}

LabelSet labels(const std::vector<std::pair<std::string, std::string>>& pairs) {
  LabelSet ls;
  for (const auto& [name, value] : pairs)
    ls.set(name, value);
  return ls;
}

// One tree exercising continue, nesting, regex and negative matchers and missing labels.
std::unique_ptr<Route> sample_tree() {
  auto root =
      route("default", "",
            {
                with_continue(route("ml", R"(team="ml")",
                                    {route("ml-pager", R"(severity="critical")"),
                                     route("ml-slack", R"(severity=~"warning|info")")})),
                route("infra", R"(team=~"ml|infra")", {route("infra-dev", R"(env!="prod")")}),
                route("no-team", R"(team!~".+")"),
                with_continue(route("other", R"(team=~"oth.*")")),
                route("other-2", R"(team="other", env=~"prod|")"),
                with_continue(route("catch-all", R"(severity!="none")")),
            });
  return Route::build(with_group_by(root, {"alertname"}));
}

}  // namespace

TEST_CASE("route: an alert reaches the receivers amtool reports, in tree order", "[router]") {
  struct Case {
    std::vector<std::pair<std::string, std::string>> labels;
    std::string want;
  };
  const Case c = GENERATE(values<Case>({
      {{{"alertname", "X"}}, "no-team"},  // a missing label is "", which !~".+" accepts
      {{{"team", "ml"}, {"severity", "critical"}}, "ml-pager,infra-dev"},
      {{{"team", "ml"}, {"severity", "critical"}, {"env", "prod"}}, "ml-pager,infra"},
      {{{"team", "ml"}, {"severity", "debug"}, {"env", "prod"}}, "ml,infra"},
      {{{"team", "ml"}, {"severity", "info"}, {"env", "prod"}}, "ml-slack,infra"},
      {{{"team", "infra"}, {"env", "prod"}}, "infra"},
      {{{"team", "infra"}, {"env", "dev"}}, "infra-dev"},
      {{{"team", "other"}}, "other,other-2"},
      {{{"team", "other"}, {"env", "prod"}}, "other,other-2"},
      {{{"team", "other"}, {"env", "dev"}}, "other,catch-all"},
      {{{"team", "otherwise"}}, "other,catch-all"},
      {{{"team", "otherwise"}, {"severity", "none"}}, "other"},  // a match ends the fallback
      {{{"team", "unknown"}}, "catch-all"},
      {{{"team", "unknown"}, {"severity", "none"}}, "default"},
      {{{"team", "ML"}}, "catch-all"},  // matching is case-sensitive
  }));
  const auto tree = sample_tree();
  CAPTURE(LabelSet(labels(c.labels)).to_string());
  CHECK(receivers(tree->match(labels(c.labels))) == c.want);
}

TEST_CASE("route: a child inherits receiver, group_by and timers", "[router]") {
  auto root = with_group_by(route("default"), {"alertname", "cluster"});
  root.group_wait = 10s;
  auto child = route("", R"(team="ml")", {route("", R"(severity="critical")")});
  child.group_interval = 1min;
  child.mute_time_intervals = {"nights"};
  child.active_time_intervals = {"office"};
  root.routes = {child};
  const auto tree = Route::build(root);
  const Route& grandchild = *tree->routes()[0]->routes()[0];
  CHECK(grandchild.receiver() == "default");
  CHECK(grandchild.group_by() == std::set<std::string>{"alertname", "cluster"});
  CHECK_FALSE(grandchild.group_by_all());
  CHECK(grandchild.group_wait() == 10s);
  CHECK(grandchild.group_interval() == 1min);
  CHECK(grandchild.repeat_interval() == 4h);
  CHECK(grandchild.mute_time_intervals().empty());  // time intervals are not inherited
  CHECK(grandchild.active_time_intervals().empty());
  CHECK(tree->routes()[0]->mute_time_intervals() == std::vector<std::string>{"nights"});
  CHECK(tree->routes()[0]->active_time_intervals() == std::vector<std::string>{"office"});
  CHECK(grandchild.parent() == tree->routes()[0].get());
  CHECK(grandchild.depth() == 2);
  CHECK(tree->parent() == nullptr);
}

TEST_CASE("route: the root takes the defaults, and a child overrides what it sets", "[router]") {
  auto child = route("pager", R"(severity="critical")");
  child.group_wait = 0s;
  child.repeat_interval = 1h;
  auto root = route("default", "", {child});
  const auto tree = Route::build(root, {.group_wait = 5s, .group_interval = 2min});
  CHECK(tree->receiver() == "default");
  CHECK(tree->group_by().empty());
  CHECK(tree->group_wait() == 5s);
  CHECK(tree->group_interval() == 2min);
  CHECK(tree->repeat_interval() == 4h);
  const Route& c = *tree->routes()[0];
  CHECK(c.receiver() == "pager");
  CHECK(c.group_wait() == 0s);
  CHECK(c.group_interval() == 2min);
  CHECK(c.repeat_interval() == 1h);
  CHECK(Route::build(route("r"))->group_wait() == 30s);
  CHECK(Route::build(route("r"))->group_interval() == 5min);
}

TEST_CASE("route: an empty receiver string inherits, as NewRoute's `!= \"\"` test", "[router]") {
  auto child = route("", R"(a="b")");
  child.receiver = "";
  const auto tree = Route::build(route("default", "", {child}));
  CHECK(tree->routes()[0]->receiver() == "default");
}

TEST_CASE("route: group_by '...' groups by all labels; an explicit [] inherits", "[router]") {
  // config.go puts "..." in GroupByAll and other names in GroupBy, which stays nil for [];
  // NewRoute only overrides on a non-nil GroupBy. Verified against a running Alertmanager 0.25.
  auto all = with_group_by(route("all", R"(team="y")"), {"..."});
  all.routes = {route("all-child", R"(sub="1")"),
                with_group_by(route("all-empty", R"(sub="2")"), {}),
                with_group_by(route("named", R"(sub="3")"), {"sub", "alertname"})};
  auto empty = with_group_by(route("empty", R"(team="x")"), {});
  const auto tree = Route::build(with_group_by(route("default", "", {all, empty}), {"alertname"}));
  const auto& kids = tree->routes();
  CHECK(kids[0]->group_by_all());
  CHECK(kids[0]->routes()[0]->group_by_all());  // inherited
  CHECK(kids[0]->routes()[1]->group_by_all());  // [] under '...' still inherits '...'
  CHECK_FALSE(kids[0]->routes()[2]->group_by_all());
  CHECK(kids[0]->routes()[2]->group_by() == std::set<std::string>{"alertname", "sub"});
  CHECK_FALSE(kids[1]->group_by_all());
  CHECK(kids[1]->group_by() == std::set<std::string>{"alertname"});
  // At the root, [] (like absent) means no grouping labels: one group per route.
  CHECK(Route::build(with_group_by(route("r"), {}))->group_by().empty());
}

TEST_CASE("route: matchers are sorted and the key chains the parents' matchers", "[router]") {
  // The same tree was loaded by Alertmanager 0.25; these keys are what `amtool config routes
  // show` printed and what its webhook groupKey carried.
  auto leaf = route("b", R"(zz="new\nline", sub=~"1|2", a!="q\"x\\", m="v", mre=~"^(?:x.*)$")");
  const auto tree = Route::build(route("default", "", {route("a", R"(team="x")", {leaf})}));
  const Route& b = *tree->routes()[0]->routes()[0];
  CHECK(tree->key() == "{}");
  CHECK(tree->routes()[0]->key() == R"({}/{team="x"})");
  CHECK(b.key() ==
        R"({}/{team="x"}/{a!="q\"x\\",m="v",mre=~"^(?:x.*)$",sub=~"1|2",zz="new\nline"})");
  CHECK(herald::to_string(b.matchers()) ==
        R"({a!="q\"x\\",m="v",mre=~"^(?:x.*)$",sub=~"1|2",zz="new\nline"})");
}

TEST_CASE("route: siblings with equal matchers share a key, as in Alertmanager", "[router]") {
  const auto tree = Route::build(
      route("default", "", {with_continue(route("a", R"(x="1")")), route("b", R"(x="1")")}));
  CHECK(tree->routes()[0]->key() == tree->routes()[1]->key());
  CHECK(receivers(tree->match(LabelSet{{"x", "1"}})) == "a,b");
}

TEST_CASE("route: a node whose own matchers fail matches nothing", "[router]") {
  const auto tree = Route::build(route("default", "", {route("a", R"(x="1")")}));
  CHECK(tree->routes()[0]->match(LabelSet{{"x", "2"}}).empty());
  CHECK(receivers(tree->routes()[0]->match(LabelSet{{"x", "1"}})) == "a");
  CHECK(receivers(tree->match(LabelSet{})) == "default");
}

TEST_CASE("route: continue on the last matching child still suppresses the parent", "[router]") {
  const auto tree = Route::build(route("default", "", {with_continue(route("a", R"(x="1")"))}));
  CHECK(receivers(tree->match(LabelSet{{"x", "1"}})) == "a");
}

TEST_CASE("route: walk visits depth first, children in order", "[router]") {
  const auto tree = sample_tree();
  std::vector<std::string> seen;
  tree->walk([&](const Route& r) { seen.push_back(std::to_string(r.depth()) + r.receiver()); });
  CHECK(seen == std::vector<std::string>{"0default", "1ml", "2ml-pager", "2ml-slack", "1infra",
                                         "2infra-dev", "1no-team", "1other", "1other-2",
                                         "1catch-all"});
}
