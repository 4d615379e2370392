// Broken herald.yml: each mistake is an error at its file:line:column naming the field path.
#include <catch2/catch.hpp>
#include <string>

#include "config/config.h"

using herald::Diagnostic;
using herald::Severity;
using herald::config::EnvLookup;
using herald::config::parse_config;

namespace {

const EnvLookup kEnv = [](std::string_view name) -> std::optional<std::string> {
  if (name == "TOKEN") return "s3cr3t";
  return std::nullopt;
};

std::vector<std::string> errors_of(std::string_view yaml) {
  std::vector<std::string> out;
  for (const Diagnostic& d : parse_config("herald.yml", yaml, kEnv).diagnostics) {
    if (d.severity == Severity::kError) out.push_back(d.to_string());
  }
  return out;
}

}  // namespace

TEST_CASE("config: each kind of mistake is one error at its position", "[config]") {
  struct Case {
    const char* what;
    const char* yaml;
    const char* error;  // the whole rendered diagnostic
  };
  auto c = GENERATE(values<Case>({
      {"bad duration", "datasources:\n  - name: p\n    url: http://p\n    timeout: 30x\n",
       "herald.yml:4:14: error: datasources[0].timeout: not a valid duration string: \"30x\""},
      {"unknown field", "global:\n  evaluation_intervall: 1m\n",
       "herald.yml:2:3: error: global: unknown field \"evaluation_intervall\" (allowed: "
       "external_url, evaluation_interval, resolve_timeout, external_labels, "
       "for_outage_tolerance, http_config, smtp_from, "},
      {"unknown top-level field", "rules: []\n",
       "herald.yml:1:1: error: unknown field \"rules\" (allowed: global, datasources, "
       "rule_files, links, web, route, receivers, inhibit_rules, time_intervals, "
       "mute_time_intervals, templates)"},
      {"wrong type", "datasources: {name: p}\n",
       "herald.yml:1:14: error: datasources: expected a list, got a mapping"},
      {"wrong scalar type", "datasources: [{name: p, url: 'http://p', default: yes}]\n",
       "herald.yml:1:51: error: datasources[0].default: expected true or false, got \"yes\""},
      {"not a mapping", "- a\n", "herald.yml:1:1: error: herald.yml must be a mapping, got a list"},
      {"missing url", "datasources:\n  - name: p\n",
       "herald.yml:2:5: error: datasources[0]: missing required field \"url\""},
      {"missing name", "datasources:\n  - url: http://p\n",
       "herald.yml:2:5: error: datasources[0]: missing required field \"name\""},
      {"bad url scheme", "datasources:\n  - name: p\n    url: prometheus:9090\n",
       "herald.yml:3:10: error: datasources[0].url: must be an http or https URL with a host: "
       "\"prometheus:9090\""},
      {"url without host", "global: {external_url: 'https:///x'}\n",
       "herald.yml:1:24: error: global.external_url: must be an http or https URL with a host (no "
       "host): \"https:///x\""},
      {"bad grafana url", "links: {grafana_url: grafana.example.com}\n",
       "herald.yml:1:22: error: links.grafana_url: must be an http or https URL with a host: "
       "\"grafana.example.com\""},
      {"duplicate datasource names",
       "datasources:\n  - {name: p, url: 'http://a', default: true}\n  - {name: p, url: "
       "'http://b'}\n",
       "herald.yml:3:5: error: datasources[1].name: duplicate datasource name \"p\" (first at line "
       "2)"},
      {"two defaults",
       "datasources:\n  - {name: a, url: 'http://a', default: true}\n"
       "  - {name: b, url: 'http://b', default: true}\n",
       "herald.yml:3:5: error: datasources[1]: more than one datasource is marked default (\"a\" "
       "already is)"},
      {"no default among several",
       "datasources:\n  - {name: a, url: 'http://a'}\n  - {name: b, url: 'http://b'}\n",
       "herald.yml:1:1: error: datasources: several datasources and none is marked \"default: "
       "true\""},
      {"bad external label name", "global:\n  external_labels: {cluster-name: prod}\n",
       "herald.yml:2:21: error: global.external_labels: invalid label name: \"cluster-name\""},
      {"missing drilldown dashboard",
       "links:\n  grafana_url: https://g\n  drilldowns:\n    - matchers: ['a=\"b\"']\n",
       "herald.yml:4:7: error: links.drilldowns[0]: missing required field \"dashboard\""},
      {"drilldown var is not a label name",
       "links:\n  grafana_url: https://g\n  drilldowns:\n    - {dashboard: d, vars: {m: mo-del}}\n",
       "herald.yml:4:32: error: links.drilldowns[0].vars.m: invalid label name: \"mo-del\""},
      {"drilldowns without grafana_url", "links:\n  drilldowns: [{dashboard: d}]\n",
       "herald.yml:2:3: error: links.grafana_url: required when drilldowns are configured"},
      {"undefined env var",
       "datasources:\n  - {name: p, url: 'http://p', bearer_token: '${NOPE}'}\n",
       "herald.yml:2:46: error: datasources[0].bearer_token: environment variable \"NOPE\" is not "
       "defined"},
      {"undefined env var in a receiver",
       "receivers:\n  - name: x\n    webhook_configs: [{url: '${NOPE}'}]\n",
       "herald.yml:3:29: error: receivers[0].webhook_configs[0].url: environment variable "
       "\"NOPE\" is not defined"},
      {"route is not a mapping", "route: [a]\n",
       "herald.yml:1:8: error: route: expected a mapping, got a list"},
      {"receivers is not a list", "receivers: {name: x}\n",
       "herald.yml:1:12: error: receivers: expected a list, got a mapping"},
      {"duplicate key", "global:\n  resolve_timeout: 1m\n  resolve_timeout: 2m\n",
       "herald.yml:3:3: error: global: mapping key \"resolve_timeout\" already defined at line 2"},
      {"bad YAML", "global:\n  a: [1, 2\n", "herald.yml:3:1: error: invalid YAML: "},
      {"rules without a datasource", "rule_files: ['rules/*.yml']\n",
       "herald.yml:1:1: error: rule_files: rules need a datasource to query"},
      {"both bearer token kinds",
       "datasources:\n  - {name: p, url: 'http://p', bearer_token: x, bearer_token_file: f}\n",
       "herald.yml:2:49: error: datasources[0]: at most one of bearer_token and bearer_token_file "
       "may be set"},
  }));
  CAPTURE(c.what, c.yaml);
  std::vector<std::string> errors = errors_of(c.yaml);
  REQUIRE(errors.size() == 1);
  CHECK_THAT(errors[0], Catch::StartsWith(c.error));
}

TEST_CASE("config: every mistake in a file is reported", "[config]") {
  std::vector<std::string> errors = errors_of(
      "global:\n"
      "  evaluation_interval: 1x\n"
      "  external_url: ftp://herald\n"
      "datasources:\n"
      "  - name: p\n"
      "    url: http://p\n"
      "    unreachable_after: soon\n"
      "    tls_config: {insecure_skip_verify: maybe}\n"
      "web: {auth_token: x}\n");
  CHECK(errors.size() == 5);
}

TEST_CASE("config: a broken config yields no value", "[config]") {
  auto loaded = parse_config("herald.yml", "global: {resolve_timeout: x}\n", kEnv);
  CHECK_FALSE(loaded.ok());
  CHECK_FALSE(loaded.value.has_value());
}
