// ${NAME} expansion for herald.yml scalars.
#include "config/env.h"

#include <cstdlib>

#include "config/names.h"

namespace herald::config {

EnvLookup process_env() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

Result<std::string> expand_env(std::string_view text, const EnvLookup& env) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t ref = text.find("${", i);
    if (ref == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    out.append(text.substr(i, ref - i));
    size_t close = text.find('}', ref + 2);
    if (close == std::string_view::npos) {
      return invalid_input("unterminated \"${\" (environment variable references are ${NAME})");
    }
    std::string_view name = text.substr(ref + 2, close - ref - 2);
    // Environment variable names follow the same syntax as label names.
    if (!is_valid_label_name(name)) {
      return invalid_input("invalid environment variable name \"" + std::string(name) + "\"");
    }
    std::optional<std::string> value = env(name);
    if (!value) {
      return invalid_input("environment variable \"" + std::string(name) + "\" is not defined");
    }
    out.append(*value);
    i = close + 1;
  }
  return out;
}

}  // namespace herald::config
