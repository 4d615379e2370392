// SHA-256 as lowercase hex (OpenSSL's libcrypto): the stable ids notifiers derive from a group
// key — PagerDuty's dedup_key, Slack's group id, email's thread root.
#pragma once

#include <string>
#include <string_view>

namespace herald::notifiers {

// 64 lowercase hex digits.
[[nodiscard]] std::string sha256_hex(std::string_view bytes);

}  // namespace herald::notifiers
