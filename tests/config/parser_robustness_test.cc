// Robustness of the rule-file and herald.yml parsers (docs/architecture.md "Tests"): random
// mutations of valid files must yield a value or diagnostics — never a crash, a hang or an
// exception. Deterministic seed, bounded iterations, so it runs as an ordinary test (and under ASan
// in CI).
#include <catch2/catch.hpp>
#include <fstream>
#include <random>
#include <sstream>

#include "config/config.h"
#include "config/rule_file.h"

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Deletes, duplicates, or replaces a byte with one that matters to YAML or templates.
std::string mutate(std::string s, std::mt19937& rng) {
  static const std::string kInteresting = ":-{}[]\"'|>#&*!%@`\n \t{}$.0";
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits && !s.empty(); ++e) {
    const size_t at = rng() % s.size();
    switch (rng() % 3) {
      case 0:
        s.erase(at, 1 + rng() % 8);
        break;
      case 1:
        s.insert(at, s.substr(at, 1 + rng() % 16));
        break;
      default:
        s[at] = kInteresting[rng() % kInteresting.size()];
    }
  }
  return s;
}

}  // namespace

TEST_CASE("rule files: mutated inputs give diagnostics, never a crash", "[config][fuzz]") {
  const std::string seed = read(std::string(HERALD_SOURCE_DIR) + "/rules/llm-serving.yml");
  REQUIRE_FALSE(seed.empty());
  std::mt19937 rng(20261123);
  int rejected = 0;
  for (int i = 0; i < 1500; ++i) {
    const auto loaded = herald::config::parse_rule_file("fuzz.yml", mutate(seed, rng));
    if (!loaded.ok()) {
      ++rejected;
      REQUIRE_FALSE(loaded.diagnostics.empty());  // a rejection always says why
      for (const auto& d : loaded.diagnostics)
        REQUIRE(d.pos.file == "fuzz.yml");
    }
  }
  CHECK(rejected > 100);  // the mutations really do break files
}

TEST_CASE("herald.yml: mutated inputs give diagnostics, never a crash", "[config][fuzz]") {
  const std::string seed =
      read(std::string(HERALD_SOURCE_DIR) + "/tests/fixtures/config/herald.yml");
  REQUIRE_FALSE(seed.empty());
  const herald::config::EnvLookup env = [](std::string_view) -> std::optional<std::string> {
    return "x";
  };
  std::mt19937 rng(7);
  for (int i = 0; i < 1500; ++i) {
    const auto loaded = herald::config::parse_config("fuzz.yml", mutate(seed, rng), env);
    if (!loaded.ok()) REQUIRE(herald::has_errors(loaded.diagnostics));
  }
}

TEST_CASE("herald.yml: mutated Alertmanager sections give diagnostics, never a crash",
          "[config][fuzz]") {
  const std::string seed =
      read(std::string(HERALD_SOURCE_DIR) + "/tests/fixtures/config/alertmanager.yml");
  REQUIRE_FALSE(seed.empty());
  const herald::config::EnvLookup env = [](std::string_view) -> std::optional<std::string> {
    return "x";
  };
  std::mt19937 rng(20261124);
  int rejected = 0;
  for (int i = 0; i < 2000; ++i) {
    const auto loaded = herald::config::parse_config("fuzz.yml", mutate(seed, rng), env);
    if (!loaded.ok()) {
      ++rejected;
      REQUIRE(herald::has_errors(loaded.diagnostics));
    } else {
      REQUIRE_FALSE(herald::config::dump_config(*loaded.value).empty());
    }
  }
  CHECK(rejected > 100);
}
