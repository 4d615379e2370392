// herald.yml: the example config loads into the structs, defaults are filled in, relative
// paths resolve against the config's directory, and rule_files globs expand.
#include "config/config.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>

using herald::Severity;
using herald::config::Config;
using herald::config::EnvLookup;
using herald::config::expand_rule_files;
using herald::config::load_config;
using herald::config::parse_config;
using namespace std::chrono_literals;

namespace {

const std::string kDir = HERALD_SOURCE_DIR "/tests/fixtures/config";

const EnvLookup kEnv = [](std::string_view name) -> std::optional<std::string> {
  if (name == "PROM_TOKEN") return "prom-token-value";
  if (name == "SLACK_URL") return "https://hooks.slack.com/services/T0/B0/slack-secret";
  return std::nullopt;
};

}  // namespace

TEST_CASE("config: the example herald.yml loads with every section", "[config]") {
  auto loaded = load_config(kDir + "/herald.yml", kEnv);
  REQUIRE(loaded.diagnostics.empty());
  REQUIRE(loaded.ok());
  const Config& c = *loaded.value;
  CHECK(c.dir == kDir);
  CHECK(c.global.external_url == "https://herald.example.com");
  CHECK(c.global.evaluation_interval == 30s);
  CHECK(c.global.resolve_timeout == 5min);
  CHECK(c.global.for_outage_tolerance == 1h);
  CHECK(c.global.external_labels.get("cluster") == "prod-kr");

  REQUIRE(c.datasources.size() == 2);
  const auto& prom = c.datasources[0];
  CHECK(prom.name == "prometheus");
  CHECK(prom.url == "http://prometheus.monitoring:9090");
  CHECK(prom.timeout == 20s);
  CHECK(prom.bearer_token_file == "/var/run/secrets/kubernetes.io/serviceaccount/token");
  CHECK(prom.tls_config.ca_file == kDir + "/certs/ca.pem");
  CHECK(prom.tls_config.server_name == "prometheus.monitoring");
  CHECK(prom.unreachable_after == 3min);
  CHECK(prom.is_default);
  const auto& thanos = c.datasources[1];
  CHECK(thanos.bearer_token.reveal() == "prom-token-value");
  CHECK(thanos.headers.at("X-Scope-OrgID").reveal() == "team-ml");
  CHECK(thanos.timeout == 30s);
  CHECK(thanos.unreachable_after == 2min);
  CHECK_FALSE(thanos.is_default);
  CHECK(c.default_datasource() == &prom);

  REQUIRE(c.rule_files.size() == 1);
  CHECK(c.rule_files[0].pattern == kDir + "/rules/*.yml");

  CHECK(c.links.grafana_url == "https://grafana.example.com");
  CHECK(c.links.dashboards_dir == kDir + "/deploy/grafana/dashboards");
  CHECK(c.links.runbooks_dir == kDir + "/runbooks");
  REQUIRE(c.links.drilldowns.size() == 2);
  const auto& d = c.links.drilldowns[0];
  CHECK(to_string(d.matchers) ==
        "{alertname=~\"HighErrorRate|HighLatency|ModelNotLoaded\",model!=\"\"}");
  CHECK(d.dashboard == "inference-detail");
  CHECK(d.vars == std::map<std::string, std::string>{{"model", "model"}, {"endpoint", "endpoint"}});
  CHECK(d.window.before == 30min);
  CHECK(d.window.after == 15min);
  CHECK(d.window.min_span == 1h);
  REQUIRE(d.also.size() == 1);
  CHECK(d.also[0].title == "Logs");
  CHECK(d.also[0].dashboard == "logs-dashboard");
  CHECK(c.web.auth_token_file == kDir + "/secrets/auth-token");

  REQUIRE(c.routing.route.has_value());
  CHECK(c.routing.route->pos.line == 38);
  CHECK(c.routing.route->receiver == "slack-ml");
  CHECK(c.routing.route->group_by == std::vector<std::string>{"alertname", "model"});
  REQUIRE(c.routing.receivers.size() == 1);
  REQUIRE(c.routing.receivers[0].slack_configs.size() == 1);
  CHECK(c.routing.receivers[0].slack_configs[0].api_url.reveal() ==
        "https://hooks.slack.com/services/T0/B0/slack-secret");
  CHECK(c.routing.inhibit_rules.empty());
  CHECK(c.routing.time_intervals.empty());
}

TEST_CASE("config: an empty herald.yml gets every default", "[config]") {
  auto loaded = parse_config("herald.yml", "", kEnv);
  REQUIRE(loaded.ok());
  const Config& c = *loaded.value;
  CHECK(c.global.evaluation_interval == 1min);
  CHECK(c.global.resolve_timeout == 5min);
  CHECK(c.global.for_outage_tolerance == 1h);
  CHECK(c.datasources.empty());
  CHECK(c.default_datasource() == nullptr);
  CHECK_FALSE(c.routing.route.has_value());
}

TEST_CASE("config: datasource defaults, and a lone datasource is the default", "[config]") {
  auto loaded = parse_config("herald.yml", "datasources: [{name: p, url: 'http://p:9090'}]", kEnv);
  REQUIRE(loaded.ok());
  const auto& ds = loaded.value->datasources.at(0);
  CHECK(ds.timeout == 30s);
  CHECK(ds.unreachable_after == 2min);
  CHECK(ds.is_default);
  CHECK_FALSE(ds.tls_config.insecure_skip_verify);
}

TEST_CASE("config: rule_files globs expand, sorted; an empty match is a warning", "[config]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("herald-config-test-" + std::to_string(::getpid()));
  fs::create_directories(dir / "rules");
  for (const char* name : {"b.yml", "a.yml", "c.txt"})
    std::ofstream(dir / "rules" / name) << "";
  std::string text =
      "datasources: [{name: p, url: 'http://p'}]\n"
      "rule_files: ['rules/*.yml', 'rules/a.yml', 'missing/*.yml']\n";
  auto loaded = parse_config((dir / "herald.yml").string(), text, kEnv);
  REQUIRE(loaded.ok());
  auto list = expand_rule_files(*loaded.value);
  CHECK(list.files ==
        std::vector<std::string>{(dir / "rules/a.yml").string(), (dir / "rules/b.yml").string()});
  REQUIRE(list.diagnostics.size() == 1);
  CHECK(list.diagnostics[0].severity == Severity::kWarning);
  CHECK(list.diagnostics[0].pos.line == 2);
  CHECK(list.diagnostics[0].pos.column == 44);
  CHECK_THAT(list.diagnostics[0].message, Catch::Contains("missing/*.yml\" matches no file"));
  fs::remove_all(dir);
}
