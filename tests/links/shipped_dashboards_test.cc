// The dashboards in deploy/grafana/dashboards meet what herald's links and the on-call workflow
// need of them: a current schema, datasources as variables, the variables the links fill,
// variables that mean "all" when a link leaves them out, and the overview → metrics → detail →
// logs chain of data links carrying the time range.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "links/dashboard_catalog.h"

namespace herald::links {
namespace {

using nlohmann::json;

const std::string kDir = HERALD_SOURCE_DIR "/deploy/grafana/dashboards";

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every panel, rows' nested panels included.
void each_panel(const json& panels, const std::function<void(const json&)>& f) {
  for (const json& p : panels) {
    f(p);
    if (p.contains("panels")) each_panel(p["panels"], f);
  }
}

const std::map<std::string, std::set<std::string>> kRequiredVariables{
    {"system-overview", {"datasource", "instance", "gpu"}},
    {"inference-metrics", {"datasource", "model"}},
    {"inference-detail", {"datasource", "loki", "model", "endpoint", "status_code"}},
    {"logs-dashboard", {"loki", "model", "pod", "run_id", "search"}},
    {"training-metrics", {"datasource", "experiment_id", "run_id"}},
    {"training-detail", {"datasource", "experiment_id", "run_id", "instance", "gpu"}},
};

}  // namespace

TEST_CASE("shipped dashboards: schema, datasource variables and the variables links fill",
          "[links]") {
  std::set<std::string> seen;
  for (const auto& entry : std::filesystem::directory_iterator(kDir)) {
    const std::string uid = entry.path().stem().string();
    INFO(entry.path().string());
    const json d = json::parse(read(entry.path().string()));
    seen.insert(uid);
    CHECK(d.at("uid") == uid);
    CHECK(d.at("schemaVersion").get<int>() >= 36);

    std::map<std::string, json> vars;
    for (const json& v : d.at("templating").at("list"))
      vars[v.at("name").get<std::string>()] = v;
    REQUIRE(kRequiredVariables.contains(uid));
    for (const std::string& name : kRequiredVariables.at(uid)) {
      INFO("variable " << name);
      CHECK(vars.contains(name));
    }
    if (vars.contains("datasource")) CHECK(vars["datasource"].at("query") == "prometheus");
    if (vars.contains("loki")) CHECK(vars["loki"].at("query") == "loki");
    for (const auto& [name, v] : vars) {
      if (v.at("type") != "query") continue;
      INFO("variable " << name << " must mean 'all' when a link leaves it out");
      CHECK(v.value("includeAll", false));
      CHECK_FALSE(v.value("allValue", std::string()).empty());
    }

    // No hard-coded datasource: every panel and query picks it through a variable.
    each_panel(d.at("panels"), [&](const json& p) {
      INFO("panel " << p.value("title", ""));
      if (p.value("type", "") == "row") return;
      const std::string ds = p.at("datasource").at("uid").get<std::string>();
      CHECK(ds.starts_with("${"));
      for (const json& t : p.value("targets", json::array())) {
        CHECK(t.at("datasource").at("uid").get<std::string>().starts_with("${"));
        // Loki needs one non-empty matcher: the fixed namespace keeps `.*` variables legal.
        if (ds == "${loki}")
          CHECK(t.at("expr").get<std::string>().find("namespace=\"llm-serving\"") !=
                std::string::npos);
      }
    });
  }
  CHECK(seen.size() == kRequiredVariables.size());
}

TEST_CASE("shipped dashboards: data links chain overview → metrics → detail → logs", "[links]") {
  std::map<std::string, std::vector<DataLink>> links;
  for (const auto& entry : std::filesystem::directory_iterator(kDir)) {
    config::Loaded<Dashboard> d =
        parse_dashboard(entry.path().string(), read(entry.path().string()));
    REQUIRE(d.ok());
    links[d.value->uid] = d.value->links;
  }
  const std::vector<std::pair<std::string, std::string>> chain{
      {"system-overview", "/d/inference-metrics?"}, {"inference-metrics", "/d/inference-detail?"},
      {"inference-detail", "/d/logs-dashboard?"},   {"system-overview", "/d/training-metrics?"},
      {"training-metrics", "/d/training-detail?"},  {"training-detail", "/d/logs-dashboard?"},
  };
  for (const auto& [from, to] : chain) {
    INFO(from << " → " << to);
    bool found = false;
    for (const DataLink& l : links[from]) {
      if (l.url.find(to) == std::string::npos || l.url.find("var-") == std::string::npos) continue;
      found = true;
      CHECK(l.url.find("from=${__from}") != std::string::npos);
      CHECK(l.url.find("to=${__to}") != std::string::npos);
    }
    CHECK(found);
  }
}

}  // namespace herald::links
