// `herald check links` as a pure function: config + rules + dashboards + runbook names →
// diagnostics. Each table row is one way a link can break (or must not be reported as broken).
#include "links/link_check.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

using herald::Diagnostic;
using herald::config::EnvLookup;
using herald::links::check_links;
using herald::links::Dashboard;

namespace {

const EnvLookup kNoEnv = [](std::string_view) -> std::optional<std::string> {
  return std::nullopt;
};

const char* const kDrilldowns = R"(
    - matchers: ['alertname=~"HighErrorRate|HighLatency"']
      dashboard: inference-detail
      vars: {model: model}
      also: [{title: Logs, dashboard: logs, vars: {query_model: model}}]
    - matchers: ['severity="page"', 'team="gpu"']
      dashboard: system-overview
      vars: {instance: instance}
)";

struct Dirs {
  bool dashboards = true;
  bool runbooks = true;
};

// herald.yml; `drilldowns` should start with a newline (its first item is then on line 7).
std::string config_yaml(const std::string& drilldowns, Dirs dirs = {}) {
  return std::string("global: {external_url: 'https://herald.example.com'}\n") + "links:\n" +
         "  grafana_url: https://grafana.example.com\n" +
         (dirs.dashboards ? "  dashboards_dir: dashboards\n" : "  # no dashboards_dir\n") +
         (dirs.runbooks ? "  runbooks_dir: runbooks\n" : "  # no runbooks_dir\n") +
         "  drilldowns:" + drilldowns;
}

// One group; its rule starts on line 5 (`- alert:` at column 9).
std::string rules_yaml(const std::string& alert, const std::string& group_labels = "{}",
                       const std::string& rule_lines = "") {
  return "groups:\n  - name: g\n    labels: " + group_labels +
         "\n    rules:\n      - alert: " + alert + "\n        expr: up == 0\n" + rule_lines;
}
const char* const kWikiRunbook =
    "        annotations: {runbook_url: 'https://wiki.example.com/x'}\n";

struct DashboardFile {
  std::string uid;
  std::vector<std::string> variables;
  std::vector<std::string> link_urls;  // on panel "Errors" (id 4), titled "Logs"
};

Dashboard load(const DashboardFile& f, const std::string& file = "") {
  nlohmann::json j = {{"uid", f.uid}, {"title", f.uid}};
  j["templating"]["list"] = nlohmann::json::array();
  for (const auto& v : f.variables)
    j["templating"]["list"].push_back({{"name", v}});
  nlohmann::json links = nlohmann::json::array();
  for (const auto& url : f.link_urls)
    links.push_back({{"title", "Logs"}, {"url", url}});
  j["panels"] = {{{"id", 4}, {"title", "Errors"}, {"links", links}}};
  auto loaded = herald::links::parse_dashboard(file.empty() ? f.uid + ".json" : file, j.dump());
  REQUIRE(loaded.value);
  return *loaded.value;
}

const std::vector<DashboardFile> kDashboards = {
    {"inference-detail", {"model", "instance"}, {}},
    {"logs", {"query_model"}, {}},
    {"system-overview", {"instance"}, {}},
};
const std::set<std::string> kRunbooks = {"HighErrorRate", "HighLatency"};

struct Input {
  std::string config = config_yaml(kDrilldowns);
  std::vector<std::string> rule_files = {
      rules_yaml("HighErrorRate", "{}",
                 "        annotations:\n"
                 "          runbook_url: '{{ $externalURL }}/runbooks/HighErrorRate'\n")};
  std::vector<Dashboard> dashboards;
  std::set<std::string> runbooks = kRunbooks;
};

Input with_dashboards(std::vector<DashboardFile> files) {
  Input in;
  for (const auto& f : files)
    in.dashboards.push_back(load(f));
  return in;
}

// Every diagnostic, rendered.
std::vector<std::string> run(const Input& in) {
  const auto cfg = herald::config::parse_config("/etc/herald/herald.yml", in.config, kNoEnv);
  INFO(in.config);
  for (const Diagnostic& d : cfg.diagnostics)
    UNSCOPED_INFO(d.to_string());
  REQUIRE(cfg.ok());
  std::vector<herald::config::RuleFile> rules;
  for (const auto& text : in.rule_files) {
    auto loaded = herald::config::parse_rule_file("rules.yml", text);
    REQUIRE(loaded.ok());
    rules.push_back(*loaded.value);
  }
  std::vector<std::string> out;
  for (const Diagnostic& d : check_links(*cfg.value, rules, in.dashboards, in.runbooks))
    out.push_back(d.to_string());
  return out;
}

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("link check: a consistent config, rules and dashboards give no diagnostics", "[links]") {
  CHECK(run(with_dashboards(kDashboards)).empty());
}

TEST_CASE("link check: each drilldown entry is checked once, whatever the rules", "[links]") {
  struct Case {
    const char* what;
    const char* drilldowns;
    Lines expected;
  };
  auto c = GENERATE(values<Case>({
      {"unknown dashboard",
       R"(
    - matchers: ['alertname=~"High.*"']
      dashboard: nope
      vars: {model: model}
)",
       {"/etc/herald/herald.yml:7:7: error: links.drilldowns[0]: dashboard \"nope\" not found in "
        "/etc/herald/dashboards"}},
      {"unknown variable",
       R"(
    - matchers: ['alertname=~"High.*"']
      dashboard: inference-detail
      vars: {modle: model, model: model}
)",
       {"/etc/herald/herald.yml:7:7: error: links.drilldowns[0].vars.modle: dashboard "
        "\"inference-detail\" has no variable \"modle\""}},
      {"an `also` link's dashboard and variables",
       R"(
    - matchers: ['alertname=~"High.*"']
      dashboard: inference-detail
      also: [{dashboard: logz}, {title: Logs, dashboard: logs, vars: {model: model}}]
)",
       {"/etc/herald/herald.yml:7:7: error: links.drilldowns[0].also[0]: dashboard \"logz\" not "
        "found in /etc/herald/dashboards",
        "/etc/herald/herald.yml:7:7: error: links.drilldowns[0].also[1].vars.model: dashboard "
        "\"logs\" has no variable \"model\""}},
      {"an entry no rule uses is still checked",
       R"(
    - matchers: ['alertname=~"High.*"']
      dashboard: inference-detail
    - matchers: ['alertname="NoSuchRule"']
      dashboard: gone
)",
       {"/etc/herald/herald.yml:9:7: error: links.drilldowns[1]: dashboard \"gone\" not found "
        "in /etc/herald/dashboards"}},
  }));
  INFO(c.what);
  Input in = with_dashboards(kDashboards);
  in.config = config_yaml(c.drilldowns);
  in.rule_files.push_back(rules_yaml("HighLatency", "{}", kWikiRunbook));  // a second user
  CHECK(run(in) == c.expected);
}

TEST_CASE("link check: an alerting rule no drilldown can match is a warning", "[links]") {
  // Drilldown 1 wants severity="page" and team="gpu"; labels the rule does not set are assumed
  // producible by its expression.
  struct Case {
    const char* what;
    const char* group_labels;
    const char* rule_lines;
    bool warned;
  };
  auto c = GENERATE(values<Case>({
      {"labels left to the expression", "{}", "", false},
      {"a static rule label rules it out", "{}", "        labels: {team: storage}\n", true},
      {"a static group label rules it out", "{team: db}", "", true},
      {"the rule's label wins over the group's", "{team: db}", "        labels: {team: gpu}\n",
       false},
      {"a templated label is unknown", "{team: db}",
       "        labels: {team: '{{ $labels.owner }}'}\n", false},
      {"every matcher counts", "{}", "        labels: {team: gpu, severity: warning}\n", true},
  }));
  INFO(c.what);
  Input in = with_dashboards(kDashboards);
  in.rule_files = {
      rules_yaml("DiskFull", c.group_labels, c.rule_lines + std::string(kWikiRunbook))};
  const Lines expected =
      c.warned ? Lines{"rules.yml:5:9: warning: rule \"DiskFull\": no drilldown in "
                       "links.drilldowns matches it"}
               : Lines{};
  CHECK(run(in) == expected);
}

TEST_CASE("link check: a runbook leading to herald must exist in runbooks_dir", "[links]") {
  struct Case {
    const char* what;
    const char* alert;
    const char* runbook_url;  // "" = no annotation
    bool runbooks_dir;
    const char* error;  // "" = none
  };
  auto c = GENERATE(values<Case>({
      {"herald runbook exists", "HighErrorRate", "{{ $externalURL }}/runbooks/HighErrorRate", true,
       ""},
      {"{{ $externalURL }}", "HighErrorRate", "{{ $externalURL }}/runbooks/Missing", true,
       "rules.yml:8:24: error: rule \"HighErrorRate\": no runbook: "
       "/etc/herald/runbooks/Missing.md does not exist"},
      {"{{$externalURL}} with a query", "HighErrorRate", "{{$externalURL}}/runbooks/Missing?x=1",
       true,
       "rules.yml:8:24: error: rule \"HighErrorRate\": no runbook: "
       "/etc/herald/runbooks/Missing.md does not exist"},
      {"global.external_url", "HighErrorRate", "https://herald.example.com/runbooks/Missing", true,
       "rules.yml:8:24: error: rule \"HighErrorRate\": no runbook: "
       "/etc/herald/runbooks/Missing.md does not exist"},
      {"root-relative", "HighErrorRate", "/runbooks/Missing", true,
       "rules.yml:8:24: error: rule \"HighErrorRate\": no runbook: "
       "/etc/herald/runbooks/Missing.md does not exist"},
      {"a wiki is accepted", "HighErrorRate", "https://wiki.example.com/runbooks/Missing", true,
       ""},
      {"no runbook_url: the alert name's runbook exists", "HighLatency", "", true, ""},
      {"no runbook_url: the alert name's runbook is missing", "HighErrorRateX", "", true,
       "rules.yml:5:9: error: rule \"HighErrorRateX\": no runbook: "
       "/etc/herald/runbooks/HighErrorRateX.md does not exist"},
      {"templated with the alert name", "HighErrorRateX",
       "{{ $externalURL }}/runbooks/{{ $labels.alertname }}", true,
       "rules.yml:8:24: error: rule \"HighErrorRateX\": no runbook: "
       "/etc/herald/runbooks/HighErrorRateX.md does not exist"},
      {"templated otherwise: undecidable, accepted", "HighErrorRate",
       "{{ $externalURL }}/runbooks/{{ $labels.team }}", true, ""},
      {"runbooks_dir not set", "HighErrorRate", "{{ $externalURL }}/runbooks/HighErrorRate", false,
       "rules.yml:8:24: error: rule \"HighErrorRate\": no runbook: links.runbooks_dir is not set "
       "(herald runbook \"HighErrorRate\")"},
  }));
  INFO(c.what);
  Input in = with_dashboards(kDashboards);
  in.config = config_yaml(kDrilldowns, Dirs{true, c.runbooks_dir});
  const std::string annotation =
      *c.runbook_url == '\0'
          ? ""
          : std::string("        annotations:\n          runbook_url: '") + c.runbook_url + "'\n";
  in.rule_files = {rules_yaml(c.alert, "{}", annotation)};
  CHECK(run(in) == (*c.error == '\0' ? Lines{} : Lines{c.error}));
}

TEST_CASE("link check: every link inside a dashboard leads to a dashboard and variables that exist",
          "[links]") {
  struct Case {
    const char* url;
    const char* error;  // "" = none; else what follows `panel "Errors" (id 4) link "Logs": `
  };
  auto c = GENERATE(values<Case>({
      {"/d/logs/logs?orgId=1&var-query_model=${model}&from=${__from}&to=${__to}", ""},
      {"/d/logz/logs?orgId=1", "unknown dashboard uid \"logz\""},
      {"d/logz", "unknown dashboard uid \"logz\""},
      {"/d-solo/logz?panelId=2", "unknown dashboard uid \"logz\""},
      {"https://grafana.example.com/d/logz", "unknown dashboard uid \"logz\""},
      {"https://grafana.example.com/grafana/d/logz", "unknown dashboard uid \"logz\""},
      {"https://wiki.example.com/d/logz?var-nope=1", ""},  // not Grafana: its own scheme
      {"/d/logs?var-modle=${model}", "var-modle: dashboard \"logs\" has no variable \"modle\""},
      {"?var-modle=x", "var-modle: dashboard \"inference-detail\" has no variable \"modle\""},
      {"/d/logs?var-query_model=${modle}",
       "${modle}: dashboard \"inference-detail\" has no variable \"modle\""},
      {"/d/logs?var-query_model=$modle&from=now-1h",
       "$modle: dashboard \"inference-detail\" has no variable \"modle\""},
      {"/d/logs?var-query_model=[[modle:csv]]",
       "[[modle:csv]]: dashboard \"inference-detail\" has no variable \"modle\""},
      {"/d/logs?var-query_model=${modle:queryparam}",
       "${modle:queryparam}: dashboard \"inference-detail\" has no variable \"modle\""},
      {"https://wiki.example.com/${modle}",
       "${modle}: dashboard \"inference-detail\" has no variable \"modle\""},
      {"/d/logs?var-query_model=${__field.labels.model}&${__url_time_range}&${__all_variables}",
       ""},
      {"/d/logs?var-query_model=${__value.raw}&x=${__data.fields.model}&t=$__interval", ""},
      {"/d/${__field.labels.dash}?var-anything=1", ""},  // a uid chosen at click time
      {"/d/logs?var-${instance}=1&var-query_model=[[model]]", ""},
      {"/explore?left=${model}&var-anything=1", ""},  // not a dashboard: no var- to check
      {"https://example.com/price$", ""},             // a `$` naming nothing
  }));
  INFO(c.url);
  Input in = with_dashboards({{"inference-detail", {"model", "instance"}, {c.url}},
                              {"logs", {"query_model"}, {}},
                              {"system-overview", {"instance"}, {}}});
  const Lines expected =
      *c.error == '\0'
          ? Lines{}
          : Lines{std::string("inference-detail.json: error: panel \"Errors\" (id 4) link "
                              "\"Logs\": ") +
                  c.error};
  CHECK(run(in) == expected);
}

TEST_CASE("link check: an undefined variable used twice in a link is reported once", "[links]") {
  Input in = with_dashboards({{"inference-detail", {"model", "instance"}, {"?a=$x&b=${x}"}},
                              {"logs", {"query_model"}, {}},
                              {"system-overview", {"instance"}, {}}});
  CHECK(run(in) == Lines{"inference-detail.json: error: panel \"Errors\" (id 4) link \"Logs\": "
                         "$x: dashboard \"inference-detail\" has no variable \"x\""});
}

TEST_CASE("link check: two dashboard files with one uid is an error", "[links]") {
  Input in = with_dashboards(kDashboards);
  in.dashboards.push_back(load({"logs", {}, {}}, "more/logs-copy.json"));
  CHECK(run(in) ==
        Lines{"more/logs-copy.json: error: dashboard uid \"logs\" is also used by logs.json"});
}

TEST_CASE("link check: without dashboards_dir, dashboards are not checked (one warning)",
          "[links]") {
  Input in;  // no dashboards at all: every drilldown would be "not found"
  in.config = config_yaml(kDrilldowns, Dirs{false, true});
  CHECK(run(in) == Lines{"/etc/herald/herald.yml: warning: links.dashboards_dir is not set: "
                         "drilldown dashboards and variables are not checked"});
}
