// Group labels and group keys. Expected keys are the groupKey values a running Alertmanager 0.25
// sent to a webhook for the same tree and alerts.
#include "router/group_key.h"

#include <catch2/catch.hpp>

#include "tests/router/route_builders.h"

using namespace herald::router::testing;
using herald::LabelSet;
using herald::router::group_key;
using herald::router::group_labels;
using herald::router::render_group_labels;
using herald::router::Route;

namespace {

// route: {receiver: default, group_by: [alertname], routes: [
//   {receiver: a, matchers: [team="x"], group_by: [], continue: true, routes: [{receiver: b,
//   ...}]}, {receiver: c, matchers: [team=~"x|y"], group_by: ['...'], routes: [
//     {receiver: d, matchers: [sub="1"], group_by: [sub, alertname, missing]}]}]}
std::unique_ptr<Route> tree() {
  auto a = with_continue(with_group_by(route("a", R"(team="x")"), {}));
  a.routes = {route("b", R"(zz="new\nline", sub=~"1|2", a!="q\"x\\", m="v", mre=~"^(?:x.*)$")")};
  auto c = with_group_by(route("c", R"(team=~"x|y")"), {"..."});
  c.routes = {with_group_by(route("d", R"(sub="1")"), {"sub", "alertname", "missing"})};
  return Route::build(with_group_by(route("default", "", {a, c}), {"alertname"}));
}

std::vector<std::string> keys_for(const Route& root, const LabelSet& alert) {
  std::vector<std::string> out;
  for (const Route* r : root.match(alert))
    out.push_back(r->receiver() + " " + group_key(*r, group_labels(*r, alert)));
  return out;
}

}  // namespace

TEST_CASE("group key: nested routes and several matchers, as Alertmanager's webhook sent them",
          "[router]") {
  struct Case {
    LabelSet alert;
    std::vector<std::string> want;
  };
  const Case c = GENERATE(values<Case>({
      {{{"alertname", "A1"}, {"team", "x"}, {"inst", "i1"}},
       {R"(a {}/{team="x"}:{alertname="A1"})",
        R"(c {}/{team=~"x|y"}:{alertname="A1", inst="i1", team="x"})"}},
      {{{"alertname", "A1"},
        {"team", "x"},
        {"sub", "1"},
        {"zz", "new\nline"},
        {"m", "v"},
        {"mre", "xyz"},
        {"inst", "i2"}},
       {R"(b {}/{team="x"}/{a!="q\"x\\",m="v",mre=~"^(?:x.*)$",sub=~"1|2",zz="new\nline"}:{alertname="A1"})",
        R"(d {}/{team=~"x|y"}/{sub="1"}:{alertname="A1", sub="1"})"}},
      {{{"alertname", "A2"}, {"team", "y"}, {"inst", "i3"}, {"q", "a\"b\\c"}},
       {R"(c {}/{team=~"x|y"}:{alertname="A2", inst="i3", q="a\"b\\c", team="y"})"}},
      {{{"alertname", "Z"}}, {R"(default {}:{alertname="Z"})"}},
  }));
  CAPTURE(c.alert.to_string());
  CHECK(keys_for(*tree(), c.alert) == c.want);
}

TEST_CASE("group key: group labels leave out what the alert lacks", "[router]") {
  const auto t = tree();
  const Route& d = *t->routes()[1]->routes()[0];
  const LabelSet alert{{"alertname", "A"}, {"sub", "1"}, {"other", "x"}};
  CHECK(group_labels(d, alert) == LabelSet{{"alertname", "A"}, {"sub", "1"}});
  CHECK(group_labels(*t->routes()[1], alert) == alert);  // '...'
  CHECK(group_labels(*Route::build(route("r")), alert).empty());
  CHECK(group_key(*Route::build(route("r")), {}) == "{}:{}");
}

TEST_CASE("group key: labels sorted as rendered strings, values Go-quoted", "[router]") {
  // Alertmanager 0.25 printed {a0="y", a="x", ...}: the rendered pairs are sorted, and '0' < '='.
  CHECK(render_group_labels(LabelSet{{"a", "x"}, {"a0", "y"}, {"alertname", "A3"}}) ==
        R"({a0="y", a="x", alertname="A3"})");
  CHECK(render_group_labels(LabelSet{{"b", "tab\there"}, {"a_b", "1"}, {"a", "2"}}) ==
        R"({a="2", a_b="1", b="tab\there"})");
  CHECK(render_group_labels({}) == "{}");
}
