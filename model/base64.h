// RFC 4648 base64 with padding (HTTP Basic credentials, MIME encoded-words, SMTP AUTH's forms of
// a password), by OpenSSL's EVP_EncodeBlock. Pure.
#pragma once

#include <string>
#include <string_view>

namespace herald {

[[nodiscard]] std::string base64_encode(std::string_view bytes);

}  // namespace herald
