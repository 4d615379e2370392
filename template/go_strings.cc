// Go string helpers, reimplemented from their documented behaviour.
#include "template/go_strings.h"

#include <arpa/inet.h>
#include <locale.h>
#include <wctype.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

#include "model/labels.h"
#include "model/text_escape.h"
#include "template/literal.h"

namespace herald::tmpl {

std::string html_escape(std::string_view s, bool escape_plus) {
  if (escape_plus) {
    return escape_chars(s, {{'+', "&#43;"},
                            {'"', "&#34;"},
                            {'\'', "&#39;"},
                            {'&', "&amp;"},
                            {'<', "&lt;"},
                            {'>', "&gt;"},
                            {'\0', "\xEF\xBF\xBD"}});  // U+FFFD
  }
  return escape_chars(s, {{'"', "&#34;"},
                          {'\'', "&#39;"},
                          {'&', "&amp;"},
                          {'<', "&lt;"},
                          {'>', "&gt;"},
                          {'\0', "\xEF\xBF\xBD"}});
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

namespace {

// Unicode case mapping through glibc's C.UTF-8 tables (simple per-rune mappings, as Go's
// unicode.ToUpper/ToLower), with a locale object of its own: thread-safe, process locale untouched.
locale_t utf8_locale() {
  static const locale_t loc = [] {
    locale_t l = ::newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
    return l != static_cast<locale_t>(nullptr) ? l : ::newlocale(LC_CTYPE_MASK, "C", nullptr);
  }();
  return loc;
}

// Decodes one UTF-8 sequence at s[i] (advancing i); invalid bytes give U+FFFD, as Go's range.
char32_t next_rune(std::string_view s, size_t& i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t r = n == 1 ? c : c & (0xFF >> (n + 1));
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    r = (r << 6) | (b(i + k) & 0x3F);
  }
  const bool overlong = (n == 2 && r < 0x80) || (n == 3 && r < 0x800) || (n == 4 && r < 0x10000);
  if (overlong || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) {
    ++i;
    return 0xFFFD;
  }
  i += n;
  return r;
}

std::u32string runes(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();)
    out.push_back(next_rune(s, i));
  return out;
}

char32_t upper(char32_t r) {
  return static_cast<char32_t>(::towupper_l(static_cast<wint_t>(r), utf8_locale()));
}
char32_t lower(char32_t r) {
  return static_cast<char32_t>(::towlower_l(static_cast<wint_t>(r), utf8_locale()));
}
bool letter(char32_t r) {
  return ::iswalpha_l(static_cast<wint_t>(r), utf8_locale()) != 0;
}
bool alnum(char32_t r) {
  return ::iswalnum_l(static_cast<wint_t>(r), utf8_locale()) != 0;
}

std::string map_runes(std::string_view s, char32_t (*f)(char32_t)) {
  std::string out;
  for (char32_t r : runes(s))
    append_utf8(out, f(r));
  return out;
}

}  // namespace

std::string go_title(std::string_view s, bool lower_rest) {
  const std::u32string r = runes(s);
  // Is r[i] a word separator? '_' joins; an apostrophe, '.' or ':' joins two letters.
  auto separator = [&](size_t i) {
    if (alnum(r[i]) || r[i] == U'_') return false;
    if ((r[i] == U'\'' || r[i] == U'.' || r[i] == U':') && i > 0 && i + 1 < r.size() &&
        letter(r[i - 1]) && letter(r[i + 1]))
      return false;
    return true;
  };
  std::string out;
  bool titled = false;  // the current word's first letter is behind us
  for (size_t i = 0; i < r.size(); ++i) {
    char32_t c = r[i];
    if (separator(i)) {
      titled = false;
    } else if (letter(c)) {
      c = !titled ? upper(c) : lower_rest ? lower(c) : c;
      titled = true;
    }
    append_utf8(out, c);
  }
  return out;
}

std::string go_to_upper(std::string_view s) {
  return map_runes(s, upper);
}

std::string go_to_lower(std::string_view s) {
  return map_runes(s, lower);
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
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
