// Quoted-printable decoding for tests that read rendered emails (CRLF line ends become "\n"; an
// '=' not followed by two hex digits stays, so headers can pass through).
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace herald::test {

inline std::string qp_decode(std::string_view in) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in.substr(i, 3) == "=\r\n") {
      i += 2;
    } else if (in[i] == '=' && i + 2 < in.size() &&
               std::isxdigit(static_cast<unsigned char>(in[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(in[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(in.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else if (in.substr(i, 2) == "\r\n") {
      out += '\n';
      ++i;
    } else {
      out += in[i];
    }
  }
  return out;
}

}  // namespace herald::test
