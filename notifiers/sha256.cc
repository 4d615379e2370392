// SHA-256 through libcrypto's one-shot EVP_Digest.
#include "notifiers/sha256.h"

#include <openssl/evp.h>

#include <array>
#include <cstdlib>

namespace herald::notifiers {

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), md.data(), &len, EVP_sha256(), nullptr) != 1)
    std::abort();  // hashing a memory buffer cannot fail short of a broken libcrypto
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * len);
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0xF];
  }
  return out;
}

}  // namespace herald::notifiers
