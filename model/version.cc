// The version CMake passes in (model/CMakeLists.txt).
#include "model/version.h"

namespace herald {

std::string_view version() {
  return HERALD_VERSION;
}

std::string user_agent() {
  return "herald/" + std::string(version());
}

}  // namespace herald
