// ${NAME} references in herald.yml: how secrets reach the config without being written in it.
// The environment is injected (EnvLookup) so tests never touch the process environment.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "model/error.h"

namespace herald::config {

// Returns the variable's value, or nullopt when it is not defined.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// The process environment (getenv). Safe to call from any thread as long as nothing calls
// setenv concurrently.
[[nodiscard]] EnvLookup process_env();

// Replaces every ${NAME} (NAME = [A-Za-z_][A-Za-z0-9_]*) with its value. There is no escape:
// a literal "${" cannot be written in herald.yml (no field needs one). A "$" not followed by
// "{" is kept as is. Errors name the variable, never a value: undefined variable, bad name,
// unterminated reference.
[[nodiscard]] Result<std::string> expand_env(std::string_view text, const EnvLookup& env);

}  // namespace herald::config
