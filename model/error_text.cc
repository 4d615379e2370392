// Excerpts and redaction for error text.
#include "model/error_text.h"

#include <algorithm>
#include <vector>

#include "model/go_json.h"
#include "model/trim.h"

namespace herald {

std::string error_excerpt(std::string_view text, size_t max_bytes) {
  if (text.size() > max_bytes) {
    size_t cut = max_bytes;
    // Back up over continuation bytes so a multi-byte character is not split.
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
      --cut;
    text = text.substr(0, cut);
  }
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) {
      out += ' ';
    } else if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      char32_t rune = 0;
      const size_t n = utf8_sequence(text.substr(i), rune);
      if (n == 0) {
        out += ' ';
        continue;
      }
      out.append(text.substr(i, n));
      i += n - 1;
    }
  }
  return std::string(trim(out));
}

std::string redact(std::string text, std::span<const std::string> secrets) {
  std::vector<std::string_view> sorted(secrets.begin(), secrets.end());
  std::sort(sorted.begin(), sorted.end(),
            [](std::string_view a, std::string_view b) { return a.size() > b.size(); });
  static constexpr std::string_view kRedacted = "<redacted>";
  for (std::string_view secret : sorted) {
    if (secret.empty()) continue;
    for (size_t pos = text.find(secret); pos != std::string::npos;
         pos = text.find(secret, pos + kRedacted.size()))
      text.replace(pos, secret.size(), kRedacted);
  }
  return text;
}

}  // namespace herald
