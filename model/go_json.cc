// Go encoding/json's string escaping (encode.go encodeState.string, escapeHTML on; Go 1.19, which
// Alertmanager 0.25 is built with: \b and \f are \u0008 and \u000c) and time.Time's MarshalJSON.
#include "model/go_json.h"

#include <chrono>
#include <cstdio>

#include "model/time_format.h"

namespace herald {
namespace {

constexpr char kHex[] = "0123456789abcdef";

}  // namespace

size_t utf8_sequence(std::string_view s, char32_t& rune) {
  const auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const auto cont = [&](size_t i) { return i < s.size() && (b(i) & 0xC0) == 0x80; };
  const unsigned char c = b(0);
  if (c >= 0xC2 && c <= 0xDF && cont(1)) {
    rune = static_cast<char32_t>(((c & 0x1F) << 6) | (b(1) & 0x3F));
    return 2;
  }
  if (c >= 0xE0 && c <= 0xEF && cont(1) && cont(2)) {
    rune = static_cast<char32_t>(((c & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F));
    if (rune < 0x800 || (rune >= 0xD800 && rune <= 0xDFFF)) return 0;
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4 && cont(1) && cont(2) && cont(3)) {
    rune = static_cast<char32_t>(((c & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) |
                                 (b(3) & 0x3F));
    if (rune < 0x10000 || rune > 0x10FFFF) return 0;
    return 4;
  }
  return 0;
}

namespace {

void append_escaped_byte(std::string& out, unsigned char c) {
  switch (c) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default:
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
  }
}

}  // namespace

void append_go_json_string(std::string& out, std::string_view s) {
  out += '"';
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&')
        append_escaped_byte(out, c);
      else
        out += static_cast<char>(c);
      ++i;
      continue;
    }
    char32_t rune = 0;
    const size_t n = utf8_sequence(s.substr(i), rune);
    if (n == 0) {
      out += "\\ufffd";
      ++i;
    } else if (rune == 0x2028 || rune == 0x2029) {
      out += rune == 0x2028 ? "\\u2028" : "\\u2029";
      i += n;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  out += '"';
}

std::string go_json_time(WallTime t) {
  if (t == WallTime{}) return "0001-01-01T00:00:00Z";
  return format_rfc3339(t);
}

void append_go_json_object(std::string& out, const LabelSet& labels) {
  out += '{';
  bool first = true;
  for (const Label& l : labels) {
    if (!first) out += ',';
    first = false;
    append_go_json_string(out, l.name);
    out += ':';
    append_go_json_string(out, l.value);
  }
  out += '}';
}

void append_go_json_object(std::string& out, const Annotations& map) {
  out += '{';
  bool first = true;
  for (const auto& [k, v] : map) {
    if (!first) out += ',';
    first = false;
    append_go_json_string(out, k);
    out += ':';
    append_go_json_string(out, v);
  }
  out += '}';
}

}  // namespace herald
