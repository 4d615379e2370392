// Internal to config/: whole-file reads for the loaders.
#pragma once

#include <string>

#include "model/error.h"

namespace herald::config::detail {

// The file's bytes; errors say why (e.g. "No such file or directory", "is a directory").
[[nodiscard]] Result<std::string> read_file(const std::string& path);

}  // namespace herald::config::detail
