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
  const auto env = env_with({{"DEMO_PROMETHEUS_URL", "http://127.0.0.1:9090"},
                             {"DEMO_PROMETHEUS_TOKEN", "s3cr3t-token"},
                             {"DEMO_WEBHOOK_URL", "http://127.0.0.1:9999/hook-s3cr3t"}});
  const int code =
      herald::app::check_config(kRoot + "/deploy/demo/herald.yml", true, env, out, err);
  INFO(err.str());
  CHECK(code == 0);
  CHECK_THAT(out.str(), Catch::Contains("llm-serving.yml: OK"));
  CHECK_THAT(out.str(), Catch::Contains("<secret>"));
  CHECK_THAT(out.str(), !Catch::Contains("s3cr3t-token"));
  CHECK_THAT(out.str(), !Catch::Contains("hook-s3cr3t"));  // a webhook URL is a credential
}

TEST_CASE("check config: an undefined ${VAR} is an error naming its position", "[app]") {
  std::ostringstream out, err;
  CHECK(herald::app::check_config(kRoot + "/deploy/demo/herald.yml", false, env_with({}), out,
                                  err) == 1);
  CHECK_THAT(err.str(), Catch::Contains("herald.yml:"));
  CHECK_THAT(err.str(), Catch::Contains("DEMO_PROMETHEUS_URL"));
}
