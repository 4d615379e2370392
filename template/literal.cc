// Number, character and string literal decoding with Go's rules (strconv.ParseInt base 0,
// ParseFloat, UnquoteChar).
#include "template/literal.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

namespace herald::tmpl {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Go permits '_' only between digits (or right after a base prefix); reject anything else.
bool strip_underscores(std::string_view in, std::string& out) {
  out.clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '_') {
      out.push_back(in[i]);
      continue;
    }
    bool prev_ok = i > 0 && (std::isxdigit(static_cast<unsigned char>(in[i - 1])) ||
                             in[i - 1] == 'x' || in[i - 1] == 'X' || in[i - 1] == 'o' ||
                             in[i - 1] == 'O' || in[i - 1] == 'b' || in[i - 1] == 'B');
    bool next_ok = i + 1 < in.size() && std::isxdigit(static_cast<unsigned char>(in[i + 1]));
    if (!prev_ok || !next_ok) return false;
  }
  return true;
}

// ParseUint(text, 0, 64) on an unsigned magnitude; false when not an integer or out of range.
bool parse_unsigned(std::string_view s, uint64_t& out) {
  int base = 10;
  if (s.size() > 1 && s[0] == '0') {
    char p = s[1];
    if (p == 'x' || p == 'X') {
      base = 16;
      s.remove_prefix(2);
    } else if (p == 'o' || p == 'O') {
      base = 8;
      s.remove_prefix(2);
    } else if (p == 'b' || p == 'B') {
      base = 2;
      s.remove_prefix(2);
    } else {
      base = 8;  // a leading 0 means octal in Go integer syntax
      s.remove_prefix(1);
    }
  }
  if (s.empty()) return false;
  auto res = std::from_chars(s.data(), s.data() + s.size(), out, base);
  return res.ec == std::errc() && res.ptr == s.data() + s.size();
}

bool parse_float(std::string_view s, double& out) {
  if (s.size() > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    std::string_view h = s.substr(2);
    if (h.find_first_of("pP") == std::string_view::npos)
      return false;  // Go requires the p exponent
    auto res = std::from_chars(h.data(), h.data() + h.size(), out, std::chars_format::hex);
    return res.ec == std::errc() && res.ptr == h.data() + h.size();
  }
  auto res = std::from_chars(s.data(), s.data() + s.size(), out, std::chars_format::general);
  return res.ec == std::errc() && res.ptr == s.data() + s.size();
}

// One escape-or-character of a quoted literal (strconv.UnquoteChar). Advances `i`.
bool unquote_char(std::string_view s, size_t& i, char quote, std::string& out) {
  char c = s[i];
  if (c != '\\') {
    if (c == quote && quote == '\'') return false;
    out.push_back(c);
    ++i;
    return true;
  }
  if (i + 1 >= s.size()) return false;
  char e = s[i + 1];
  i += 2;
  switch (e) {
    case 'a':
      out.push_back('\a');
      return true;
    case 'b':
      out.push_back('\b');
      return true;
    case 'f':
      out.push_back('\f');
      return true;
    case 'n':
      out.push_back('\n');
      return true;
    case 'r':
      out.push_back('\r');
      return true;
    case 't':
      out.push_back('\t');
      return true;
    case 'v':
      out.push_back('\v');
      return true;
    case '\\':
      out.push_back('\\');
      return true;
    case '\'':
    case '"':
      if (e != quote) return false;
      out.push_back(e);
      return true;
    case 'x':
    case 'u':
    case 'U': {
      size_t n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
      if (i + n > s.size()) return false;
      char32_t v = 0;
      for (size_t k = 0; k < n; ++k) {
        int h = hex_value(s[i + k]);
        if (h < 0) return false;
        v = v * 16 + static_cast<char32_t>(h);
      }
      i += n;
      if (e == 'x') {
        out.push_back(static_cast<char>(v));
        return true;
      }
      if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return false;
      append_utf8(out, v);
      return true;
    }
    default:
      break;
  }
  if (e >= '0' && e <= '7') {
    if (i + 2 > s.size()) return false;
    int v = e - '0';
    for (size_t k = 0; k < 2; ++k) {
      char d = s[i + k];
      if (d < '0' || d > '7') return false;
      v = v * 8 + (d - '0');
    }
    if (v > 255) return false;
    i += 2;
    out.push_back(static_cast<char>(v));
    return true;
  }
  return false;
}

}  // namespace

void append_utf8(std::string& out, char32_t r) {
  if (r < 0x80) {
    out.push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (r >> 6)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (r >> 12)));
    out.push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (r >> 18)));
    out.push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

tl::expected<Value, std::string> parse_number_literal(std::string_view text) {
  std::string quoted = "\"" + std::string(text) + "\"";
  if (!text.empty() && text.back() == 'i') {
    return tl::unexpected("complex number " + quoted + " is not supported");
  }
  std::string s;
  if (!strip_underscores(text, s)) return tl::unexpected("illegal number syntax: " + quoted);
  bool neg = !s.empty() && s[0] == '-';
  std::string_view mag = s;
  if (!mag.empty() && (mag[0] == '-' || mag[0] == '+')) mag.remove_prefix(1);
  uint64_t u = 0;
  if (parse_unsigned(mag, u)) {
    constexpr uint64_t kMaxInt = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
    if (!neg && u <= kMaxInt) return Value::integer(static_cast<int64_t>(u));
    if (neg && u <= kMaxInt + 1) return Value::integer(static_cast<int64_t>(0 - u));
    return tl::unexpected(std::string(text) + " overflows int");
  }
  double f = 0;
  if (!parse_float(mag, f)) return tl::unexpected("illegal number syntax: " + quoted);
  if (mag.find_first_of(".eEpP") == std::string_view::npos ||
      (mag.size() > 1 && (mag[1] == 'x' || mag[1] == 'X') &&
       mag.find_first_of("pP") == std::string_view::npos)) {
    return tl::unexpected("integer overflow: " + quoted);
  }
  return Value::floating(neg ? -f : f);
}

tl::expected<Value, std::string> parse_char_literal(std::string_view text) {
  std::string bad = "malformed character constant: " + std::string(text);
  if (text.size() < 3 || text.front() != '\'' || text.back() != '\'') return tl::unexpected(bad);
  std::string_view body = text.substr(1, text.size() - 2);
  std::string out;
  size_t i = 0;
  if (!unquote_char(body, i, '\'', out) || i != body.size()) {
    // A multi-byte UTF-8 character is one rune: accept it whole.
    if (body[0] == '\\') return tl::unexpected(bad);
    out = std::string(body);
  }
  // Decode the single rune in `out`.
  auto b0 = static_cast<unsigned char>(out[0]);
  if (out.size() == 1) return Value::integer(b0);
  int n = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 0;
  if (n == 0 || static_cast<int>(out.size()) != n) return tl::unexpected(bad);
  char32_t r = b0 & (0x7F >> n);
  for (int k = 1; k < n; ++k) {
    r = (r << 6) | (static_cast<unsigned char>(out[static_cast<size_t>(k)]) & 0x3F);
  }
  return Value::integer(static_cast<int64_t>(r));
}

tl::expected<std::string, std::string> unquote_string(std::string_view q) {
  if (q.size() < 2) return tl::unexpected(std::string("invalid syntax"));
  std::string_view body = q.substr(1, q.size() - 2);
  std::string out;
  if (q.front() == '`') {
    for (char c : body) {
      if (c != '\r') out.push_back(c);  // Go drops carriage returns from raw strings
    }
    return out;
  }
  size_t i = 0;
  while (i < body.size()) {
    if (!unquote_char(body, i, '"', out)) {
      return tl::unexpected("invalid syntax in string " + std::string(q.substr(0, 40)));
    }
  }
  return out;
}

}  // namespace herald::tmpl
