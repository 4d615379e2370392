// Go string helpers, reimplemented from their documented behaviour.
#include "template/go_strings.h"

#include <arpa/inet.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

#include "model/labels.h"

namespace herald::tmpl {
namespace {

bool is_ascii_alnum(unsigned char c) {
  return std::isalnum(c) != 0;
}
bool is_ascii_letter(unsigned char c) {
  return std::isalpha(c) != 0;
}

}  // namespace

std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"':
        out += "&#34;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '\0':
        out += "\xEF\xBF\xBD";
        break;  // U+FFFD
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string js_escape(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\'':
        out += "\\'";
        break;
      case '"':
        out += "\\\"";
        break;
      case '<':
        out += "\\u003C";
        break;
      case '>':
        out += "\\u003E";
        break;
      case '&':
        out += "\\u0026";
        break;
      case '=':
        out += "\\u003D";
        break;
      default:
        if (c < ' ') {
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 15]);
        } else {
          out.push_back(ch);  // non-ASCII runes pass through (treated as printable)
        }
    }
  }
  return out;
}

std::string go_title(std::string_view s) {
  std::string out(s);
  auto separator = [&](size_t i) {  // is s[i] a word separator?
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) return false;  // treat non-ASCII as letters
    if (is_ascii_alnum(c) || c == '_') return false;
    if ((c == '\'' || c == '.' || c == ':') && i > 0 && i + 1 < s.size() &&
        is_ascii_letter(static_cast<unsigned char>(s[i - 1])) &&
        is_ascii_letter(static_cast<unsigned char>(s[i + 1]))) {
      return false;
    }
    return true;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (i == 0 || separator(i - 1))
      out[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[i])));
  }
  return out;
}

std::string ascii_upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

tl::expected<HostPort, std::string> split_host_port(std::string_view hp) {
  auto fail = [&](std::string_view why) {
    return tl::unexpected("address " + std::string(hp) + ": " + std::string(why));
  };
  size_t i = hp.rfind(':');
  if (i == std::string_view::npos) return fail("missing port in address");
  HostPort out;
  size_t j = 0, k = 0;
  if (!hp.empty() && hp[0] == '[') {
    size_t end = hp.find(']');
    if (end == std::string_view::npos) return fail("missing ']' in address");
    if (end + 1 == hp.size()) return fail("missing port in address");
    if (end + 1 != i) {
      if (hp[end + 1] == ':') return fail("too many colons in address");
      return fail("missing port in address");
    }
    out.host = std::string(hp.substr(1, end - 1));
    j = 1;
    k = end + 1;
  } else {
    out.host = std::string(hp.substr(0, i));
    if (out.host.find(':') != std::string::npos) return fail("too many colons in address");
  }
  if (hp.substr(j).find('[') != std::string_view::npos) return fail("unexpected '[' in address");
  if (hp.substr(k).find(']') != std::string_view::npos) return fail("unexpected ']' in address");
  out.port = std::string(hp.substr(i + 1));
  return out;
}

std::string join_host_port(std::string_view host, std::string_view port) {
  if (host.find(':') != std::string_view::npos) {
    return "[" + std::string(host) + "]:" + std::string(port);
  }
  return std::string(host) + ":" + std::string(port);
}

bool is_ip_address(std::string_view s) {
  std::string str(s);
  unsigned char buf[16];
  if (str.find(':') != std::string::npos) return inet_pton(AF_INET6, str.c_str(), buf) == 1;
  // Dotted decimal with exactly four parts, each 0..255 without leading zeros (Go >= 1.17).
  int parts = 0;
  size_t i = 0;
  while (i <= s.size()) {
    size_t dot = s.find('.', i);
    std::string_view part = s.substr(i, dot == std::string_view::npos ? s.npos : dot - i);
    if (part.empty() || part.size() > 3 || (part.size() > 1 && part[0] == '0')) return false;
    int v = 0;
    for (char c : part) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    if (v > 255) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    i = dot + 1;
  }
  return parts == 4;
}

tl::expected<double, std::string> go_parse_float(std::string_view s) {
  auto fail = [&](std::string_view why) {
    return tl::unexpected("strconv.ParseFloat: parsing " + go_quote(s) + ": " + std::string(why));
  };
  std::string_view body = s;
  bool neg = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  std::string lower = ascii_lower(body);
  if (lower == "inf" || lower == "infinity") {
    return neg ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  }
  if (lower == "nan" && s.size() == 3) return std::numeric_limits<double>::quiet_NaN();
  std::string digits;
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '_') digits.push_back(body[i]);  // Go allows '_' between digits
  }
  if (digits.empty() || digits.size() != body.size()) {
    if (digits.empty() || body.front() == '_' || body.back() == '_') return fail("invalid syntax");
  }
  double v = 0;
  std::from_chars_result res{};
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    if (digits.find_first_of("pP") == std::string::npos) return fail("invalid syntax");
    res = std::from_chars(digits.data() + 2, digits.data() + digits.size(), v,
                          std::chars_format::hex);
  } else {
    res = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  }
  if (res.ptr != digits.data() + digits.size()) return fail("invalid syntax");
  if (res.ec == std::errc::result_out_of_range) return fail("value out of range");
  if (res.ec != std::errc()) return fail("invalid syntax");
  return neg ? -v : v;
}

}  // namespace herald::tmpl
