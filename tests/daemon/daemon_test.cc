// The daemon as one object: build refuses a broken configuration with every diagnostic, and a
// built daemon starts, reloads (keeping the old configuration when the new one is broken),
// drains and stops. The datasource is a closed port: evaluation fails fast and changes nothing.
#include "daemon/daemon.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace herald::daemon {
namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "herald-daemon-XXXXXX").string();
    path = ::mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path); }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
  }
};

std::string herald_yml(const std::string& interval) {
  return "global: {evaluation_interval: " + interval +
         "}\n"
         "datasources: [{name: prometheus, url: 'http://127.0.0.1:1', timeout: 1s}]\n"
         "rule_files: [rules.yml]\n";
}

const char* kRules = R"(groups:
  - name: g
    rules:
      - alert: Up
        expr: up == 0
)";

DaemonOptions options_in(const TempDir& dir) {
  return {.config_file = (dir.path / "herald.yml").string(),
          .workers = 1,
          .storage_path = (dir.path / "herald.db").string()};
}

}  // namespace

TEST_CASE("daemon: a broken configuration is refused with every diagnostic", "[daemon]") {
  TempDir dir;
  dir.write("herald.yml", herald_yml("1m"));
  dir.write(
      "rules.yml",
      "groups:\n  - name: g\n    rules:\n      - alert: X\n        expr: up\n        for: 1x\n"
      "      - alert: Y\n        expr: ''\n");
  SystemClock clock;
  std::ostringstream diagnostics;
  auto d = Daemon::build(options_in(dir), clock, diagnostics);
  REQUIRE_FALSE(d);
  CHECK_THAT(d.error().message, Catch::Contains("herald.yml has errors"));
  CHECK_THAT(diagnostics.str(), Catch::Contains("rules.yml:6:"));  // the bad `for`
  CHECK_THAT(diagnostics.str(), Catch::Contains("rules.yml:8:"));  // and the empty expr
  CHECK_FALSE(fs::exists(dir.path / "herald.db"));  // nothing is touched before the config is good
}

TEST_CASE("daemon: starts, reloads, keeps running on a broken reload, drains", "[daemon]") {
  TempDir dir;
  dir.write("herald.yml", herald_yml("1m"));
  dir.write("rules.yml", kRules);
  SystemClock clock;
  std::ostringstream diagnostics;
  auto built = Daemon::build(options_in(dir), clock, diagnostics);
  REQUIRE(built);
  Daemon& d = **built;
  REQUIRE(d.start());
  CHECK(d.config()->config.global.evaluation_interval == std::chrono::minutes(1));

  dir.write("herald.yml", herald_yml("2m"));
  const ReloadOutcome ok = d.reload("test");
  CHECK(ok.ok);
  CHECK(d.config()->config.global.evaluation_interval == std::chrono::minutes(2));
  CHECK(d.evaluator().groups().size() == 2);  // the rule group and herald's meta group

  dir.write("herald.yml", herald_yml("never"));
  const ReloadOutcome broken = d.reload("test");
  CHECK_FALSE(broken.ok);
  CHECK_THAT(broken.errors, Catch::Contains("herald.yml:1:"));
  CHECK(d.config()->config.global.evaluation_interval == std::chrono::minutes(2));
  CHECK_THAT(d.reloader().runtimeinfo_json(), Catch::Contains("\"reloadConfigSuccess\":false"));

  d.drain(Duration::zero());
  d.wait();
}

}  // namespace herald::daemon
