// Alertmanager's matcher string syntax, as pkg/labels/parse.go in v0.25 (the "classic" parser):
// ParseMatchers splits on commas outside quotes, ParseMatcher reads `name op value`. Quirks are
// kept on purpose (see the comments), because configs written for Alertmanager rely on them.
#include <utility>

#include "model/matcher.h"

namespace herald {
namespace {

constexpr std::string_view kRuneErrorUtf8 = "\xEF\xBF\xBD";  // U+FFFD

bool is_cont(unsigned char c) {
  return c >= 0x80 && c <= 0xBF;
}

// Go's utf8.DecodeRune: the rune at s[i] and its width; an invalid encoding (overlong,
// surrogate, > U+10FFFF, truncated) is U+FFFD of width 1.
std::pair<char32_t, size_t> decode_rune(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const size_t n = s.size() - i;
  const unsigned char b0 = b(0);
  if (b0 < 0x80) return {b0, 1};
  if (b0 >= 0xC2 && b0 <= 0xDF && n >= 2 && is_cont(b(1))) {
    return {(char32_t(b0 & 0x1F) << 6) | (b(1) & 0x3F), 2};
  }
  if (b0 >= 0xE0 && b0 <= 0xEF && n >= 3) {
    const unsigned char lo = b0 == 0xE0 ? 0xA0 : 0x80, hi = b0 == 0xED ? 0x9F : 0xBF;
    if (b(1) >= lo && b(1) <= hi && is_cont(b(2))) {
      return {(char32_t(b0 & 0x0F) << 12) | (char32_t(b(1) & 0x3F) << 6) | (b(2) & 0x3F), 3};
    }
  }
  if (b0 >= 0xF0 && b0 <= 0xF4 && n >= 4) {
    const unsigned char lo = b0 == 0xF0 ? 0x90 : 0x80, hi = b0 == 0xF4 ? 0x8F : 0xBF;
    if (b(1) >= lo && b(1) <= hi && is_cont(b(2)) && is_cont(b(3))) {
      return {(char32_t(b0 & 0x07) << 18) | (char32_t(b(1) & 0x3F) << 12) |
                  (char32_t(b(2) & 0x3F) << 6) | (b(3) & 0x3F),
              4};
    }
  }
  return {0xFFFD, 1};
}

bool valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    auto [r, w] = decode_rune(s, i);
    if (r == 0xFFFD && w == 1) return false;
    i += w;
  }
  return true;
}

// Go's unicode.IsSpace (what strings.TrimSpace trims).
bool is_unicode_space(char32_t r) {
  if (r <= 0xFF) return r == ' ' || (r >= '\t' && r <= '\r') || r == 0x85 || r == 0xA0;
  return r == 0x1680 || (r >= 0x2000 && r <= 0x200A) || r == 0x2028 || r == 0x2029 || r == 0x202F ||
         r == 0x205F || r == 0x3000;
}

// The regexp's `\s` (Go and RE2 Perl class): ASCII only, no \v.
bool is_re_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

// A comma-separated piece of the input, with where it starts in the original text.
struct Token {
  std::string text;
  size_t begin = 0;        // byte offset of text[0] in the parsed input
  bool rewritten = false;  // invalid UTF-8 was replaced, so offsets past begin are approximate

  [[nodiscard]] size_t column(size_t offset) const { return 1 + begin + (rewritten ? 0 : offset); }
};

// strings.TrimSpace on a token that is valid UTF-8 (split_tokens makes it so).
void trim_unicode_space(Token& t) {
  size_t start = 0;
  while (start < t.text.size()) {
    auto [r, w] = decode_rune(t.text, start);
    if (!is_unicode_space(r)) break;
    start += w;
  }
  size_t end = t.text.size();
  while (end > start) {
    size_t last = end - 1;  // back up to the first byte of the last rune
    while (last > start && end - last < 4 && is_cont(static_cast<unsigned char>(t.text[last])))
      --last;
    if (!is_unicode_space(decode_rune(std::string_view(t.text).substr(0, end), last).first)) break;
    end = last;
  }
  t.text = t.text.substr(start, end - start);
  t.begin += start;
}

// ParseMatchers' splitter. It walks runes as Go's `range` does, so each invalid byte becomes
// U+FFFD in the token (invalid UTF-8 therefore never reaches ParseMatcher's UTF-8 check). A
// comma does not reset `escaped`, so `\,"` leaves the quote escaped — Alertmanager does the same.
std::vector<Token> split_tokens(std::string_view s, size_t base) {
  std::vector<Token> tokens;
  Token token{{}, base, false};
  bool inside_quotes = false, escaped = false;
  for (size_t i = 0; i < s.size();) {
    auto [r, w] = decode_rune(s, i);
    const bool invalid = r == 0xFFFD && w == 1;
    if (r == ',' && !inside_quotes) {
      tokens.push_back(std::move(token));
      token = Token{{}, base + i + 1, false};
      i += w;
      continue;
    }
    if (r == '"') {
      if (!escaped) inside_quotes = !inside_quotes;
      escaped = false;
    } else if (r == '\\') {
      escaped = !escaped;
    } else if (r != ',') {
      escaped = false;
    }
    token.text += invalid ? kRuneErrorUtf8 : s.substr(i, w);
    token.rewritten = token.rewritten || invalid;
    i += w;
  }
  trim_unicode_space(token);  // only the last token is trimmed; the matcher regexp trims the rest
  if (!token.text.empty()) tokens.push_back(std::move(token));
  return tokens;
}

tl::unexpected<MatcherError> fail(const Token& t, size_t offset, std::string message) {
  return tl::unexpected(MatcherError{t.column(offset), std::move(message)});
}

// The three parts found by parse.go's regexp
// ^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(=~|=|!=|!~)\s*((?s).*?)\s*$ , written out by hand.
struct Parts {
  std::string_view name;
  MatchType type = MatchType::kEqual;
  size_t value_begin = 0;
  std::string_view raw_value;
};

bool is_name_char(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
         (!first && c >= '0' && c <= '9');
}

tl::expected<Parts, MatcherError> split_parts(const Token& t) {
  const std::string_view s = t.text;
  size_t i = 0;
  while (i < s.size() && is_re_space(s[i]))
    ++i;
  const size_t name_begin = i;
  while (i < s.size() && is_name_char(s[i], i == name_begin))
    ++i;
  if (i == name_begin) return fail(t, i, "bad matcher format: " + t.text);
  Parts p;
  p.name = s.substr(name_begin, i - name_begin);
  while (i < s.size() && is_re_space(s[i]))
    ++i;
  const std::string_view rest = s.substr(i);
  if (rest.starts_with("=~")) {
    p.type = MatchType::kRegex;  // "=~" is tried before "=", so `a=~b` is a regex on "b"
  } else if (rest.starts_with("=")) {
    p.type = MatchType::kEqual;
  } else if (rest.starts_with("!=")) {
    p.type = MatchType::kNotEqual;
  } else if (rest.starts_with("!~")) {
    p.type = MatchType::kNotRegex;
  } else {
    return fail(t, i, "bad matcher format: " + t.text);
  }
  i += to_string(p.type).size();
  while (i < s.size() && is_re_space(s[i]))
    ++i;
  size_t end = s.size();
  while (end > i && is_re_space(s[end - 1]))
    --end;
  p.value_begin = i;
  p.raw_value = s.substr(i, end - i);
  return p;
}

// The character after a backslash: `\n`, `\"` and `\\` are escapes; after any other character
// the escape was spurious and the backslash stays literal.
void append_escaped(std::string& value, char c) {
  if (c == 'n') {
    value += '\n';
    return;
  }
  if (c != '"' && c != '\\') value += '\\';
  value += c;
}

// ParseMatcher's unescaping: `\"`, `\\` and `\n` are escapes; any other `\` is literal; an
// unquoted value is allowed, but an unescaped `"` may only open and close a quoted one.
tl::expected<std::string, MatcherError> unescape_value(const Token& t, const Parts& p) {
  std::string_view raw = p.raw_value;
  size_t offset = p.value_begin;
  bool expect_trailing_quote = false;
  if (raw.starts_with('"')) {
    raw.remove_prefix(1);
    ++offset;
    expect_trailing_quote = true;
  }
  const std::string quoted(p.raw_value);
  if (!valid_utf8(raw)) return fail(t, p.value_begin, "matcher value not valid UTF-8: " + quoted);
  std::string value;
  bool escaped = false;
  // Byte-wise is equivalent to Go's rune loop here: every special character is ASCII.
  for (size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (escaped) {
      escaped = false;
      append_escaped(value, c);
    } else if (c == '\\') {
      if (i + 1 < raw.size()) {
        escaped = true;
      } else {
        value += '\\';  // a trailing lone backslash is literal
      }
    } else if (c == '"') {
      if (!expect_trailing_quote || i + 1 < raw.size()) {
        return fail(t, offset + i, "matcher value contains unescaped double quote: " + quoted);
      }
      expect_trailing_quote = false;
    } else {
      value += c;
    }
  }
  if (expect_trailing_quote) {
    return fail(t, p.value_begin, "matcher value contains unescaped double quote: " + quoted);
  }
  return value;
}

tl::expected<Matcher, MatcherError> parse_token(const Token& t) {
  auto parts = split_parts(t);
  if (!parts) return tl::unexpected(parts.error());
  auto value = unescape_value(t, *parts);
  if (!value) return tl::unexpected(value.error());
  auto m = Matcher::create(std::string(parts->name), parts->type, std::move(*value));
  if (!m) return fail(t, parts->value_begin, m.error().message);
  return *std::move(m);
}

}  // namespace

tl::expected<Matchers, MatcherError> parse_matchers(std::string_view text) {
  size_t base = 0;
  // One leading "{" and one trailing "}" are dropped before any trimming, as parse.go does: a
  // space before "{" (or after "}") therefore makes the list unparseable there too.
  if (text.starts_with('{')) {
    text.remove_prefix(1);
    base = 1;
  }
  if (text.ends_with('}')) text.remove_suffix(1);
  Matchers out;
  for (const Token& t : split_tokens(text, base)) {
    auto m = parse_token(t);
    if (!m) return tl::unexpected(m.error());
    out.push_back(*std::move(m));
  }
  return out;
}

tl::expected<Matcher, MatcherError> parse_matcher(std::string_view text) {
  return parse_token(Token{std::string(text), 0, false});
}

}  // namespace herald
