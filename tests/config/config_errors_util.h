// Shared by the config error tables: herald.yml text → its error diagnostics, rendered.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace herald::config::testing {

inline const EnvLookup kNoEnv = [](std::string_view) -> std::optional<std::string> {
  return std::nullopt;
};

// Every error of parsing `yaml` as herald.yml, as "herald.yml:L:C: error: …".
inline std::vector<std::string> errors_of(std::string_view yaml) {
  std::vector<std::string> out;
  for (const Diagnostic& d : parse_config("herald.yml", yaml, kNoEnv).diagnostics) {
    if (d.severity == Severity::kError) out.push_back(d.to_string());
  }
  return out;
}

// One row of an error table.
struct ErrorCase {
  const char* what;
  const char* yaml;
  const char* error;  // the whole rendered diagnostic
};

}  // namespace herald::config::testing
