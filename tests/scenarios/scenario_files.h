// The one walker for the scenario drivers: every scenario of every tests/scenarios/<kind>/*.yml,
// files in name order, scenarios in file order, each named "<file>: <name>" for its SECTION.
#pragma once

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace herald::testing {

struct Scenario {
  std::string name;  // "<file>.yml: <the scenario's name>"
  YAML::Node node;
};

inline std::vector<Scenario> load_scenarios(const std::string& kind) {
  const std::filesystem::path dir =
      std::filesystem::path(HERALD_SOURCE_DIR) / "tests/scenarios" / kind;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".yml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<Scenario> out;
  for (const auto& file : files) {
    for (const auto& sc : YAML::LoadFile(file.string()))
      out.push_back({file.filename().string() + ": " + sc["name"].as<std::string>(), sc});
  }
  return out;
}

}  // namespace herald::testing
