// libcurl's process-wide initialisation.
#include "net/curl_handles.h"

#include <mutex>

namespace herald::net {

void init_curl() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace herald::net
