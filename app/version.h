// herald's version, printed by `herald version` and served in /api/v2/status.
#pragma once

#include <string_view>

namespace herald::app {

inline constexpr std::string_view kVersion = "0.1.0";

}  // namespace herald::app
