// Grafana dashboard JSON → uid, variables and every link url, with where each link sits.
#include "links/dashboard_catalog.h"

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <vector>

using herald::links::Dashboard;
using herald::links::parse_dashboard;

namespace {

// A dashboard with a link in every place Grafana keeps them.
const char* const kDashboard = R"({
  "uid": "inference-detail",
  "title": "Inference detail",
  "templating": {"list": [{"name": "model", "type": "query"}, {"name": "instance"}]},
  "links": [
    {"title": "Runbooks", "type": "link", "url": "https://wiki.example.com/runbooks"},
    {"title": "Related", "type": "dashboards", "tags": ["llm"]},
    {"type": "link", "url": "/d/system-overview"}
  ],
  "panels": [
    {"id": 3, "title": "Error ratio by model", "type": "timeseries",
     "links": [{"title": "Logs", "url": "/d/logs?var-model=${model}"}],
     "fieldConfig": {
       "defaults": {"links": [{"title": "Model", "url": "/d/model?var-model=${__field.labels.model}"}]},
       "overrides": [
         {"matcher": {"id": "byName", "options": "x"},
          "properties": [{"id": "color", "value": {}},
                         {"id": "links", "value": [{"title": "GPU", "url": "/d/gpu"}]}]}
       ]}},
    {"id": 10, "type": "row", "title": "Details", "collapsed": true,
     "panels": [{"id": 11, "links": [{"url": "/d/nested"}]}]},
    {"type": "text"}
  ]
})";

std::vector<std::pair<std::string, std::string>> links_of(const Dashboard& d) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& l : d.links)
    out.emplace_back(l.where, l.url);
  return out;
}

}  // namespace

TEST_CASE("dashboard catalog: uid, title, variables and every link with where it is", "[links]") {
  const auto loaded = parse_dashboard("dash.json", kDashboard);
  REQUIRE(loaded.diagnostics.empty());
  REQUIRE(loaded.value);
  const Dashboard& d = *loaded.value;
  CHECK(d.file == "dash.json");
  CHECK(d.uid == "inference-detail");
  CHECK(d.title == "Inference detail");
  CHECK(d.variables == std::set<std::string>{"instance", "model"});
  CHECK(links_of(d) ==
        std::vector<std::pair<std::string, std::string>>{
            {"dashboard link \"Runbooks\"", "https://wiki.example.com/runbooks"},
            {"dashboard links[2]", "/d/system-overview"},
            {"panel \"Error ratio by model\" (id 3) link \"Logs\"", "/d/logs?var-model=${model}"},
            {"panel \"Error ratio by model\" (id 3) data link \"Model\"",
             "/d/model?var-model=${__field.labels.model}"},
            {"panel \"Error ratio by model\" (id 3) overrides[0] data link \"GPU\"", "/d/gpu"},
            {"panel (id 11) links[0]", "/d/nested"},
        });
}

TEST_CASE("dashboard catalog: fields of unexpected types are ignored, not fatal", "[links]") {
  const auto loaded = parse_dashboard("odd.json", R"({
    "uid": "odd", "templating": {"list": [{"name": 3}, "x", {"name": "ok"}]},
    "links": {"url": "/d/x"},
    "panels": [1, {"title": "untitled id", "links": [{"url": 5}, {"url": "/d/y"}]},
               {"fieldConfig": {"defaults": [], "overrides": [{"properties": {}}]}}]
  })");
  REQUIRE(loaded.value);
  CHECK(loaded.value->variables == std::set<std::string>{"ok"});
  REQUIRE(loaded.value->links.size() == 1);
  CHECK(loaded.value->links[0].where == "panel \"untitled id\" links[1]");
}

TEST_CASE("dashboard catalog: a file that is not a usable dashboard is one located error",
          "[links]") {
  struct Case {
    const char* what;
    const char* json;
    const char* error;  // the whole rendered diagnostic
  };
  auto c = GENERATE(values<Case>({
      {"syntax error, located", "{\n  \"uid\": \"x\",\n  oops\n}",
       "d.json:3:3: error: invalid JSON: syntax error while parsing object key - invalid "
       "literal; last read: '\"x\",<U+000A>  o'; expected string literal"},
      {"truncated", "{\"uid\": \"x\"",
       "d.json:1:12: error: invalid JSON: syntax error while parsing object - unexpected end of "
       "input; expected '}'"},
      {"empty file", "",
       "d.json:1:1: error: invalid JSON: syntax error while parsing value - unexpected end of "
       "input; expected '[', '{', or a literal"},
      {"no uid", "{\"title\": \"x\"}",
       "d.json: error: dashboard has no \"uid\" (drilldowns and links name dashboards by uid)"},
      {"uid not a string", "{\"uid\": 7}",
       "d.json: error: dashboard has no \"uid\" (drilldowns and links name dashboards by uid)"},
      {"not an object", "[]", "d.json: error: not a Grafana dashboard: not a JSON object"},
  }));
  INFO(c.what);
  const auto loaded = parse_dashboard("d.json", c.json);
  CHECK_FALSE(loaded.value);
  REQUIRE(loaded.diagnostics.size() == 1);
  CHECK(loaded.diagnostics[0].to_string() == c.error);
}
