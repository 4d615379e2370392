// RE2-backed Go regexp functions. The replace loop mirrors Go's Regexp.replaceAll: an empty
// match right after a previous match is not replaced, and the scan always advances one rune.
#include "template/go_regexp.h"

#include <re2/re2.h>

#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "model/labels.h"

namespace herald::tmpl {
namespace {

constexpr size_t kCacheMax = 256;

std::string go_error_text(const re2::RE2& re);

// Returns the compiled pattern, or null with `error` set.
std::shared_ptr<const re2::RE2> compile(std::string_view pattern, std::string& error) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const re2::RE2>, std::less<>> cache;
  {
    std::lock_guard lock(mu);
    auto it = cache.find(pattern);
    if (it != cache.end()) {
      if (!it->second->ok()) error = go_error_text(*it->second);
      return it->second->ok() ? it->second : nullptr;
    }
  }
  re2::RE2::Options opts;
  opts.set_log_errors(false);
  auto re =
      std::make_shared<const re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), opts);
  {
    std::lock_guard lock(mu);
    if (cache.size() >= kCacheMax) cache.clear();  // crude bound; patterns are few in practice
    cache.emplace(std::string(pattern), re);
  }
  if (!re->ok()) {
    error = go_error_text(*re);
    return nullptr;
  }
  return re;
}

// Go's regexp/syntax wording for an RE2 parse error: "missing closing ): `(`".
std::string go_error_text(const re2::RE2& re) {
  const char* code = "invalid regular expression";
  switch (re.error_code()) {
    case re2::RE2::ErrorBadEscape:
      code = "invalid escape sequence";
      break;
    case re2::RE2::ErrorBadCharClass:
      code = "invalid character class";
      break;
    case re2::RE2::ErrorBadCharRange:
      code = "invalid character class range";
      break;
    case re2::RE2::ErrorMissingBracket:
      code = "missing closing ]";
      break;
    case re2::RE2::ErrorMissingParen:
      code = "missing closing )";
      break;
    case re2::RE2::ErrorUnexpectedParen:
      code = "unexpected )";
      break;
    case re2::RE2::ErrorTrailingBackslash:
      code = "trailing backslash at end of expression";
      break;
    case re2::RE2::ErrorRepeatArgument:
      code = "missing argument to repetition operator";
      break;
    case re2::RE2::ErrorRepeatSize:
      code = "invalid repeat count";
      break;
    case re2::RE2::ErrorRepeatOp:
      code = "invalid nested repetition operator";
      break;
    case re2::RE2::ErrorBadPerlOp:
      code = "invalid or unsupported Perl syntax";
      break;
    case re2::RE2::ErrorBadUTF8:
      code = "invalid UTF-8";
      break;
    case re2::RE2::ErrorBadNamedCapture:
      code = "invalid named capture";
      break;
    case re2::RE2::ErrorPatternTooLarge:
      code = "expression too large";
      break;
    default:
      break;
  }
  return std::string(code) + ": `" + re.error_arg() + "`";
}

// Go's Regexp.Compile error quoting: backquoted when possible, else strconv.Quote.
std::string quote_pattern(std::string_view p) {
  bool backquotable = p.find('`') == std::string_view::npos;
  for (char c : p) {
    if ((static_cast<unsigned char>(c) < ' ' && c != '\t') || c == 0x7F) backquotable = false;
  }
  return backquotable ? "`" + std::string(p) + "`" : go_quote(p);
}

bool is_name_char(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         static_cast<unsigned char>(c) >= 0x80;
}

// Appends `tmpl` with $-references expanded against submatches `m` (Go's Regexp.expand).
void expand(const re2::RE2& re, std::string_view tmpl, const std::vector<re2::StringPiece>& m,
            std::string& out) {
  while (!tmpl.empty()) {
    size_t d = tmpl.find('$');
    if (d == std::string_view::npos) break;
    out.append(tmpl.substr(0, d));
    tmpl.remove_prefix(d + 1);
    if (!tmpl.empty() && tmpl[0] == '$') {
      out.push_back('$');
      tmpl.remove_prefix(1);
      continue;
    }
    bool brace = !tmpl.empty() && tmpl[0] == '{';
    std::string_view rest = brace ? tmpl.substr(1) : tmpl;
    size_t n = 0;
    while (n < rest.size() && is_name_char(rest[n]))
      ++n;
    if (n == 0 || (brace && (n >= rest.size() || rest[n] != '}'))) {
      out.push_back('$');  // malformed reference: the '$' is literal text
      continue;
    }
    std::string name(rest.substr(0, n));
    tmpl = rest.substr(n + (brace ? 1 : 0));
    int num = 0;
    for (char c : name) {
      if (c < '0' || c > '9' || num >= 100000000) {
        num = -1;
        break;
      }
      num = num * 10 + (c - '0');
    }
    if (name.size() > 1 && name[0] == '0') num = -1;
    if (num < 0) {
      const auto& names = re.NamedCapturingGroups();
      auto it = names.find(name);
      num = it == names.end() ? -1 : it->second;
    }
    if (num >= 0 && static_cast<size_t>(num) < m.size() && m[static_cast<size_t>(num)].data()) {
      out.append(m[static_cast<size_t>(num)].data(), m[static_cast<size_t>(num)].size());
    }
  }
  out.append(tmpl);
}

size_t rune_width(std::string_view s, size_t pos) {
  if (pos >= s.size()) return 0;
  auto c = static_cast<unsigned char>(s[pos]);
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  return pos + n <= s.size() ? n : 1;
}

}  // namespace

tl::expected<bool, std::string> regexp_match(std::string_view pattern, std::string_view text) {
  std::string error;
  auto re = compile(pattern, error);
  if (!re) return tl::unexpected("error parsing regexp: " + error);
  return re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re);
}

tl::expected<std::string, std::string> regexp_replace_all(std::string_view pattern,
                                                          std::string_view repl,
                                                          std::string_view src) {
  std::string error;
  auto re = compile(pattern, error);
  if (!re) {
    return tl::unexpected("regexp: Compile(" + quote_pattern(pattern) +
                          "): error parsing regexp: " + error);
  }
  re2::StringPiece text(src.data(), src.size());
  std::vector<re2::StringPiece> m(static_cast<size_t>(re->NumberOfCapturingGroups()) + 1);
  std::string out;
  size_t last_end = 0;
  size_t search = 0;
  while (search <= src.size()) {
    if (!re->Match(text, search, src.size(), re2::RE2::UNANCHORED, m.data(),
                   static_cast<int>(m.size()))) {
      break;
    }
    size_t a0 = static_cast<size_t>(m[0].data() - src.data());
    size_t a1 = a0 + m[0].size();
    out.append(src.substr(last_end, a0 - last_end));
    if (a1 > last_end || a0 == 0) expand(*re, repl, m, out);
    last_end = a1;
    size_t width = rune_width(src, search);
    if (search + width > a1) {
      search += width;
    } else if (search + 1 > a1) {
      ++search;
    } else {
      search = a1;
    }
  }
  out.append(src.substr(last_end));
  return out;
}

}  // namespace herald::tmpl
