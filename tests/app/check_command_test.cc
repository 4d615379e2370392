// `herald check`: exit codes and that every error of every file is listed.
#include "app/check_command.h"

#include <catch2/catch.hpp>
#include <map>
#include <sstream>

namespace {

const std::string kRoot = HERALD_SOURCE_DIR;

herald::config::EnvLookup env_with(std::map<std::string, std::string> vars) {
  return [vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace

TEST_CASE("check rules: the shipped rules are valid", "[app]") {
  std::ostringstream out, err;
  CHECK(herald::app::check_rules({kRoot + "/rules/llm-serving.yml"}, out, err) == 0);
  CHECK_THAT(out.str(), Catch::Contains("4 alerting rules"));
  CHECK(err.str().empty());
}

TEST_CASE("check rules: every error of every file is listed with file:line:col", "[app]") {
  std::ostringstream out, err;
  const std::string bad = kRoot + "/tests/fixtures/rules/bad/";
  const int code = herald::app::check_rules(
      {bad + "several_mistakes.yml", bad + "bad_yaml.yml", bad + "missing_expr.yml"}, out, err);
  CHECK(code == 1);
  const std::string e = err.str();
  CHECK_THAT(e, Catch::Contains("several_mistakes.yml:4:15: error:"));
  CHECK_THAT(e, Catch::Contains("several_mistakes.yml:8:14: error:"));
  CHECK_THAT(e, Catch::Contains("several_mistakes.yml:14:5: error: groupname: \"llm-serving\" is "
                                "repeated"));
  CHECK_THAT(e, Catch::Contains("bad_yaml.yml:4:7: error: invalid YAML"));
  CHECK_THAT(e, Catch::Contains("missing_expr.yml:4:9: error:"));
  CHECK_THAT(e, Catch::EndsWith("8 errors\n"));
}

TEST_CASE("check rules: a missing file is an error, not a crash", "[app]") {
  std::ostringstream out, err;
  CHECK(herald::app::check_rules({"/nonexistent/rules.yml"}, out, err) == 1);
  CHECK_THAT(err.str(), Catch::Contains("/nonexistent/rules.yml"));
}

TEST_CASE("check config: the demo config and its rules are valid; --dump hides secrets", "[app]") {
  std::ostringstream out, err;
  const auto env = env_with({{"DEMO_EXTERNAL_URL", "http://127.0.0.1:9095"},
                             {"DEMO_PROMETHEUS_URL", "http://127.0.0.1:9090"},
                             {"DEMO_PROMETHEUS_TOKEN", "s3cr3t-token"},
                             {"DEMO_SLACK_URL", "http://127.0.0.1:9999"},
                             {"DEMO_SLACK_TOKEN", "xoxb-s3cr3t"},
                             {"DEMO_SMTP", "127.0.0.1:2525"}});
  const int code =
      herald::app::check_config(kRoot + "/deploy/demo/herald.yml", true, env, out, err);
  INFO(err.str());
  CHECK(code == 0);
  CHECK_THAT(out.str(), Catch::Contains("llm-serving.yml: OK"));
  CHECK_THAT(out.str(), Catch::Contains("<secret>"));
  CHECK_THAT(out.str(), !Catch::Contains("s3cr3t-token"));
  CHECK_THAT(out.str(), !Catch::Contains("xoxb-s3cr3t"));
  CHECK_THAT(out.str(), !Catch::Contains("demo-webhook-secret"));  // a webhook URL is a credential
}

TEST_CASE("check config: an undefined ${VAR} is an error naming its position", "[app]") {
  std::ostringstream out, err;
  CHECK(herald::app::check_config(kRoot + "/deploy/demo/herald.yml", false, env_with({}), out,
                                  err) == 1);
  CHECK_THAT(err.str(), Catch::Contains("herald.yml:"));
  CHECK_THAT(err.str(), Catch::Contains("DEMO_PROMETHEUS_URL"));
}

TEST_CASE("check links: a config whose every link resolves passes", "[app]") {
  std::ostringstream out, err;
  const std::string config = kRoot + "/tests/fixtures/links/good.yml";
  const int code = herald::app::check_links(config, env_with({}), out, err);
  INFO(err.str());
  CHECK(code == 0);
  CHECK(err.str().empty());
  CHECK(out.str() == config + ": OK: links: 1 drilldown, 2 dashboards, 2 runbooks\n");
}

TEST_CASE("check links: each kind of broken link fails, naming the problem", "[app]") {
  struct Case {
    const char* config;  // under tests/fixtures/links/
    const char* error;   // a substring of the output
    const char* count = "1 error\n";
  };
  auto c = GENERATE(values<Case>({
      {"unknown-uid.yml",
       "unknown-uid.yml:11:7: error: links.drilldowns[0]: dashboard \"nope\" not found in "},
      {"unknown-variable.yml",
       "unknown-variable.yml:11:7: error: links.drilldowns[0].vars.modle: dashboard "
       "\"inference-detail\" has no variable \"modle\""},
      {"missing-runbook.yml",
       "rules-missing-runbook.yml:8:24: error: rule \"GpuOomRisk\": no runbook: "},
      {"broken-link.yml",
       "dashboards/broken-link/inference-detail.json: error: panel \"Errors\" (id 4) link "
       "\"Logs\": unknown dashboard uid \"logz\""},
      {"invalid-json.yml",
       "dashboards/invalid-json/inference-detail.json:4:10: error: invalid JSON: ",
       "2 errors\n"},  // and so its uid is "not found" for the drilldown
  }));
  INFO(c.config);
  std::ostringstream out, err;
  const int code =
      herald::app::check_links(kRoot + "/tests/fixtures/links/" + c.config, env_with({}), out, err);
  CHECK(code == 1);
  CHECK_THAT(err.str(), Catch::Contains(c.error));
  CHECK_THAT(err.str(), Catch::EndsWith(c.count));
  CHECK(out.str().empty());
}

TEST_CASE("check config: also checks links when dashboards_dir or runbooks_dir is set", "[app]") {
  const std::string dir = kRoot + "/tests/fixtures/links/";
  std::ostringstream out, err;
  CHECK(herald::app::check_config(dir + "good.yml", false, env_with({}), out, err) == 0);
  CHECK_THAT(out.str(), Catch::Contains("good.yml: OK: links: 1 drilldown"));
  std::ostringstream bad_out, bad_err;
  CHECK(herald::app::check_config(dir + "unknown-uid.yml", false, env_with({}), bad_out, bad_err) ==
        1);
  CHECK_THAT(bad_err.str(), Catch::Contains("dashboard \"nope\" not found"));
}

// Needs the lead's deploy/demo/herald.yml (dashboards_dir, runbooks_dir), the shipped dashboards
// (deploy/grafana/dashboards) and the runbooks (runbooks/*.md).
TEST_CASE("check links passes on the shipped config", "[app]") {
  std::ostringstream out, err;
  const auto env = env_with({{"DEMO_EXTERNAL_URL", "http://127.0.0.1:9095"},
                             {"DEMO_PROMETHEUS_URL", "http://127.0.0.1:9090"},
                             {"DEMO_PROMETHEUS_TOKEN", "token"},
                             {"DEMO_SLACK_URL", "http://127.0.0.1:9999"},
                             {"DEMO_SLACK_TOKEN", "xoxb-token"},
                             {"DEMO_SMTP", "127.0.0.1:2525"}});
  const int code = herald::app::check_links(kRoot + "/deploy/demo/herald.yml", env, out, err);
  INFO(err.str());
  CHECK(code == 0);
  CHECK_THAT(out.str(), Catch::Contains("herald.yml: OK: links:"));
}
