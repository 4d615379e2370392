// herald's version: CMake's project version, compiled into model/version.cc only. `herald
// version`, /api/v2/status and the notifiers' User-Agent all show this one string.
#pragma once

#include <string>
#include <string_view>

namespace herald {

[[nodiscard]] std::string_view version();
// "herald/<version>", the User-Agent of notifications.
[[nodiscard]] std::string user_agent();

}  // namespace herald
