// Runbook pages: GFM rendering in safe mode, escaping of label values, the active-alerts section
// with its links, and GET /runbooks/<name> through the real HTTP server.
#include "server/runbook_page.h"

#include <httplib.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "config/config.h"
#include "daemon/config_loader.h"
#include "daemon/link_inputs.h"
#include "server/http_server.h"

using namespace std::chrono_literals;

namespace herald::server {
namespace {

const WallTime kActive = WallTime(std::chrono::seconds(1'700'000'000));  // 2023-11-14T22:13:20Z

const char* kMarkdown = R"(# HighErrorRate

| Step | Action |
|------|--------|
| 1 | Check the ~~old~~ dashboard |

- [x] page acknowledged
- [ ] cause found

See https://example.com/status for more.
)";

links::LinkSettings demo_settings() {
  const char* yaml = R"(
links:
  grafana_url: http://grafana.invalid
  drilldowns:
    - matchers: ['alertname="HighErrorRate"']
      dashboard: inference-detail
      vars: {model: model}
      also: [{title: Logs, dashboard: logs-dashboard, vars: {model: model}}]
)";
  auto no_env = [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
  config::Loaded<config::Config> c = config::parse_config("herald.yml", yaml, no_env);
  for (const Diagnostic& d : c.diagnostics)
    UNSCOPED_INFO(d.to_string());
  REQUIRE(c.ok());
  return daemon::link_settings(*c.value);
}

ActiveRuleAlert rule_alert(AlertState state, LabelSet labels, WallTime active_at = kActive) {
  RuleAlert a;
  a.labels = std::move(labels);
  a.state = state;
  a.active_at = active_at;
  return {a, "http://prometheus.invalid/graph?g0.expr=up&g0.tab=1"};
}

// A fresh directory under the system temp dir, removed at scope exit.
struct TempDir {
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "herald-runbooks-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
  }
  std::filesystem::path path;
};

}  // namespace

TEST_CASE("runbook page: GFM tables, strikethrough, task lists and autolinks render",
          "[app][runbooks]") {
  auto html = markdown_to_html(kMarkdown);
  REQUIRE(html);
  CHECK_THAT(*html, Catch::Contains("<table>"));
  CHECK_THAT(*html, Catch::Contains("<th>Step</th>"));
  CHECK_THAT(*html, Catch::Contains("<del>old</del>"));
  CHECK_THAT(*html, Catch::Contains("type=\"checkbox\""));
  CHECK_THAT(*html, Catch::Contains("<a href=\"https://example.com/status\">"));
}

TEST_CASE("runbook page: raw HTML and javascript: links in markdown are not passed through",
          "[app][runbooks]") {
  const std::string md =
      "Hello <script>alert(1)</script>\n\n<div onclick=\"x()\">block</div>\n\n"
      "<img src=x onerror=alert(2)>\n\n[click](javascript:alert(3))\n";
  auto html = markdown_to_html(md);
  REQUIRE(html);
  CHECK_THAT(*html, !Catch::Contains("<script"));
  CHECK_THAT(*html, !Catch::Contains("<div"));
  CHECK_THAT(*html, !Catch::Contains("<img"));
  CHECK_THAT(*html, !Catch::Contains("javascript:"));
  CHECK_THAT(*html, Catch::Contains("raw HTML omitted"));
}

TEST_CASE("runbook page: label values are escaped, and non-ASCII is kept", "[app][runbooks]") {
  const auto active =
      active_instances({rule_alert(AlertState::kFiring, {{"alertname", "HighErrorRate"},
                                                         {"model", "<script>alert(1)</script>"},
                                                         {"team", "모델"}})},
                       demo_settings(), kActive + 5min);
  const std::string page = render_runbook_page("HighErrorRate", "# HighErrorRate\n", active);
  CHECK_THAT(page, !Catch::Contains("<script>"));
  CHECK_THAT(page, Catch::Contains("model=&#34;&lt;script&gt;alert(1)&lt;/script&gt;&#34;"));
  CHECK_THAT(page, Catch::Contains("team=&#34;모델&#34;"));
  // The label value in the link is URL-escaped, then HTML-escaped.
  CHECK_THAT(page, Catch::Contains("var-model=%3Cscript%3Ealert%281%29%3C%2Fscript%3E"));
}

TEST_CASE("runbook page: active alerts are listed with their links", "[app][runbooks]") {
  const auto active = active_instances(
      {rule_alert(AlertState::kPending, {{"alertname", "HighErrorRate"}, {"model", "phi3-mini"}},
                  kActive + 1min),
       rule_alert(AlertState::kFiring, {{"alertname", "HighErrorRate"}, {"model", "llama3-8b"}})},
      demo_settings(), kActive + 5min);
  REQUIRE(active.size() == 2);
  CHECK(active[0].state == AlertState::kFiring);  // firing before pending
  const std::string page = render_runbook_page("HighErrorRate", kMarkdown, active);

  CHECK(page.starts_with("<!doctype html>\n"));
  CHECK_THAT(page, Catch::Contains("<title>HighErrorRate runbook — herald</title>"));
  const size_t section = page.find("<section id=\"active-alerts\">");
  const size_t article = page.find("<article>");
  REQUIRE(section != std::string::npos);
  REQUIRE(article != std::string::npos);
  CHECK(section < article);
  CHECK(page.find("<table>") > article);
  CHECK_THAT(page, Catch::Contains("<li class=\"firing\"><span class=\"state\">firing</span> "
                                   "active since <time datetime=\"2023-11-14T22:13:20Z\">"));
  CHECK_THAT(page, Catch::Contains("<code>model=&#34;llama3-8b&#34;</code>"));
  CHECK_THAT(page, Catch::Contains("<a href=\"http://grafana.invalid/d/inference-detail?orgId=1"
                                   "&amp;var-model=llama3-8b&amp;from=1699998200000&amp;to=now\">"
                                   "Dashboard</a>"));
  CHECK_THAT(page, Catch::Contains(">Logs</a>"));
  CHECK_THAT(page,
             Catch::Contains("<a href=\"http://prometheus.invalid/graph?g0.expr=up&amp;g0.tab=0"));
  CHECK_THAT(page, Catch::Contains(">Silence</a>"));
  CHECK_THAT(page, !Catch::Contains("No active"));
}

TEST_CASE("runbook page: without active alerts it says so", "[app][runbooks]") {
  const std::string page = render_runbook_page("HighErrorRate", kMarkdown, {});
  CHECK_THAT(page, Catch::Contains("<p>No active HighErrorRate alerts.</p>"));
}

TEST_CASE("runbook page: a dashboard_url that is not a web URL is not linked", "[app][runbooks]") {
  ActiveRuleAlert a = rule_alert(AlertState::kFiring, {{"alertname", "X"}});
  a.alert.annotations["dashboard_url"] = "javascript:alert(1)";
  const auto active = active_instances({a}, demo_settings(), kActive);
  CHECK_THAT(render_runbook_page("X", "", active), !Catch::Contains("javascript:"));
}

TEST_CASE("runbook page: the active alerts of one rule name, with generator URLs",
          "[app][runbooks]") {
  evaluator::RuleStatus r;
  r.name = "HighErrorRate";
  r.query = "rate(x[5m]) > 0.05";
  r.alerts = {rule_alert(AlertState::kFiring, {{"model", "a"}}).alert,
              rule_alert(AlertState::kInactive, {{"model", "b"}}).alert,
              rule_alert(AlertState::kPending, {{"model", "c"}}).alert};
  evaluator::RuleStatus other = r;
  other.name = "HighLatency";
  evaluator::GroupStatus g{"llm", "rules.yml", 1min, 0, std::nullopt, {}, {r, other}};
  const auto got = active_rule_alerts({g}, "HighErrorRate", "http://prom:9090");
  REQUIRE(got.size() == 2);
  CHECK(got[0].alert.labels.get("model") == "a");
  CHECK(got[1].alert.labels.get("model") == "c");
  CHECK(got[0].generator_url ==
        "http://prom:9090/graph?g0.expr=rate%28x%5B5m%5D%29+%3E+0.05&g0.tab=1");
  CHECK(active_rule_alerts({g}, "Nope", "http://prom:9090").empty());
}

TEST_CASE("runbook page: runbooks are listed and read from the runbooks dir", "[app][runbooks]") {
  TempDir dir;
  dir.write("HighErrorRate.md", "# HighErrorRate\n");
  dir.write("README.txt", "not a runbook");
  dir.write("README.md", "the folder's guide, not a runbook");
  dir.write(".hidden.md", "not a runbook either");
  std::filesystem::create_directory(dir.path / "Dir.md");
  std::error_code ec;
  CHECK(daemon::runbook_names(dir.path.string(), ec) == std::set<std::string>{"HighErrorRate"});
  CHECK_FALSE(ec);
  CHECK(daemon::runbook_names(dir.path.string() + "/missing", ec).empty());
  CHECK(ec);
  CHECK(*read_runbook(dir.path.string(), "HighErrorRate") == "# HighErrorRate\n");
  CHECK(read_runbook(dir.path.string(), "Dir").error().code == ErrorCode::kNotFound);
  CHECK(read_runbook(dir.path.string(), "Nope").error().code == ErrorCode::kNotFound);
  CHECK(read_runbook("", "HighErrorRate").error().code == ErrorCode::kNotFound);
}

TEST_CASE("runbook page: GET /runbooks/<name> through the HTTP server", "[app][runbooks]") {
  TempDir dir;
  dir.write("HighErrorRate.md", kMarkdown);
  links::LinkSettings settings = demo_settings();
  settings.links.runbooks_dir = dir.path.string();
  auto shared = std::make_shared<const links::LinkSettings>(settings);
  FakeClock clock(kActive + 10min);
  ServerHooks hooks;
  hooks.prometheus.groups = [] { return std::vector<evaluator::GroupStatus>{}; };
  hooks.ops.ready = [] { return true; };
  hooks.ops.metrics = [] { return std::string(); };
  hooks.runbooks.settings = [shared] { return shared; };
  hooks.runbooks.active_alerts = [](const std::string& name) {
    std::vector<ActiveRuleAlert> out;
    if (name == "HighErrorRate") {
      out.push_back(rule_alert(AlertState::kFiring, {{"alertname", name}, {"model", "llama3-8b"}}));
    }
    return out;
  };
  hooks.runbooks.clock = &clock;
  HttpServer server(std::move(hooks));
  REQUIRE(server.start("127.0.0.1:0"));
  httplib::Client c("127.0.0.1", server.port());

  auto res = c.Get("/runbooks/HighErrorRate");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "text/html; charset=utf-8");
  const std::string& page = res->body;
  CHECK(page.starts_with("<!doctype html>"));
  CHECK_THAT(page, Catch::Contains("<title>HighErrorRate runbook — herald</title>"));
  CHECK_THAT(page, Catch::Contains("<section id=\"active-alerts\">"));
  CHECK_THAT(page, Catch::Contains("<table>"));
  CHECK_THAT(page, Catch::Contains("<a href=\"http://grafana.invalid/d/inference-detail?orgId=1"
                                   "&amp;var-model=llama3-8b&amp;from=1699998200000&amp;to=now\">"
                                   "Dashboard</a>"));

  // Read per request: an edited runbook shows at once.
  dir.write("HighErrorRate.md", "# Edited\n");
  CHECK_THAT(c.Get("/runbooks/HighErrorRate")->body, Catch::Contains("<h1>Edited</h1>"));

  for (const char* path : {"/runbooks/..%2Fetc", "/runbooks/..%2F..%2Fetc%2Fpasswd",
                           "/runbooks/Nope", "/runbooks/", "/runbooks/a%2Fb"}) {
    CAPTURE(path);
    auto missing = c.Get(path);
    REQUIRE(missing);
    CHECK(missing->status == 404);
  }
  auto nope = c.Get("/runbooks/Nope");
  CHECK(nope->body == "no runbook for Nope\n");
  CHECK(nope->get_header_value("Content-Type") == "text/plain; charset=utf-8");
  server.stop();
}

TEST_CASE("runbook page: without link settings every runbook is 404", "[app][runbooks]") {
  ServerHooks hooks;
  hooks.prometheus.groups = [] { return std::vector<evaluator::GroupStatus>{}; };
  hooks.ops.ready = [] { return true; };
  hooks.ops.metrics = [] { return std::string(); };
  HttpServer server(std::move(hooks));
  REQUIRE(server.start("127.0.0.1:0"));
  httplib::Client c("127.0.0.1", server.port());
  CHECK(c.Get("/runbooks/HighErrorRate")->status == 404);
  server.stop();
}

}  // namespace herald::server
