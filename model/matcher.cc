// Matcher construction, matching and rendering, as prometheus/alertmanager pkg/labels/matcher.go
// (v0.25). The parser lives in matcher_parse.cc.
#include "model/matcher.h"

#include <re2/re2.h>

#include <algorithm>
#include <tuple>

namespace herald {
namespace {

// Go's regexp/syntax ErrorCode texts, so a bad regex reads as it does in Alertmanager
// ("error parsing regexp: missing closing ]: `[a)$`").
std::string_view go_regexp_error(RE2::ErrorCode code) {
  switch (code) {
    case RE2::ErrorBadEscape:
      return "invalid escape sequence";
    case RE2::ErrorBadCharClass:
      return "invalid character class";
    case RE2::ErrorBadCharRange:
      return "invalid character class range";
    case RE2::ErrorMissingBracket:
      return "missing closing ]";
    case RE2::ErrorMissingParen:
      return "missing closing )";
    case RE2::ErrorUnexpectedParen:
      return "unexpected )";
    case RE2::ErrorTrailingBackslash:
      return "trailing backslash at end of expression";
    case RE2::ErrorRepeatArgument:
      return "missing argument to repetition operator";
    case RE2::ErrorRepeatSize:
      return "invalid repeat count";
    case RE2::ErrorRepeatOp:
      return "invalid nested repetition operator";
    case RE2::ErrorBadPerlOp:
      return "invalid or unsupported Perl syntax";
    case RE2::ErrorBadUTF8:
      return "invalid UTF-8";
    case RE2::ErrorBadNamedCapture:
      return "invalid named capture";
    case RE2::ErrorPatternTooLarge:
      return "expression too large";
    default:
      return "internal error";
  }
}

// OpenMetrics escaping (matcher.go openMetricsEscape): only `\`, newline and `"`.
std::string open_metrics_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

// RE2 accepts `\C` (any byte) but Go's regexp rejects it; refuse it so a config Alertmanager
// rejects is rejected here too. `\Q…\E` quotes literally, so a `\C` inside it is text.
bool has_byte_escape(std::string_view re) {
  for (size_t i = 0; i + 1 < re.size();) {
    if (re[i] != '\\') {
      ++i;
    } else if (re[i + 1] == 'C') {
      return true;
    } else if (re[i + 1] == 'Q') {
      const size_t end = re.find("\\E", i + 2);
      if (end == std::string_view::npos) return false;
      i = end + 2;
    } else {
      i += 2;
    }
  }
  return false;
}

}  // namespace

std::string_view to_string(MatchType t) {
  switch (t) {
    case MatchType::kEqual:
      return "=";
    case MatchType::kNotEqual:
      return "!=";
    case MatchType::kRegex:
      return "=~";
    case MatchType::kNotRegex:
      return "!~";
  }
  return "?";
}

Result<Matcher> Matcher::create(std::string name, MatchType type, std::string value) {
  std::shared_ptr<const RE2> re;
  if (type == MatchType::kRegex || type == MatchType::kNotRegex) {
    if (has_byte_escape(value)) {
      return invalid_input("error parsing regexp: invalid escape sequence: `\\C`");
    }
    RE2::Options opts;
    opts.set_log_errors(false);  // the error is returned, not printed to stderr
    auto compiled = std::make_shared<const RE2>("^(?:" + value + ")$", opts);
    if (!compiled->ok()) {
      return invalid_input(
          "error parsing regexp: " + std::string(go_regexp_error(compiled->error_code())) + ": `" +
          compiled->error_arg() + "`");
    }
    re = std::move(compiled);
  }
  return Matcher(std::move(name), type, std::move(value), std::move(re));
}

bool Matcher::matches(std::string_view value) const {
  switch (type_) {
    case MatchType::kEqual:
      return value == value_;
    case MatchType::kNotEqual:
      return value != value_;
    case MatchType::kRegex:
      return RE2::FullMatch(value, *re_);
    case MatchType::kNotRegex:
      return !RE2::FullMatch(value, *re_);
  }
  return false;
}

bool Matcher::matches(const LabelSet& labels) const {
  return matches(labels.get(name_));
}

std::string Matcher::to_string() const {
  std::string out = name_;
  out += herald::to_string(type_);
  out += '"';
  out += open_metrics_escape(value_);
  out += '"';
  return out;
}

bool matches_all(const Matchers& matchers, const LabelSet& labels) {
  return std::all_of(matchers.begin(), matchers.end(),
                     [&](const Matcher& m) { return m.matches(labels); });
}

std::string to_string(const Matchers& matchers) {
  std::string out = "{";
  for (size_t i = 0; i < matchers.size(); ++i) {
    if (i > 0) out += ',';
    out += matchers[i].to_string();
  }
  out += '}';
  return out;
}

void sort_matchers(Matchers& matchers) {
  // labels.Matchers.Less is a total order over (name, value, type), so stability is moot.
  std::sort(matchers.begin(), matchers.end(), [](const Matcher& a, const Matcher& b) {
    return std::forward_as_tuple(a.name(), a.value(), a.type()) <
           std::forward_as_tuple(b.name(), b.value(), b.type());
  });
}

}  // namespace herald
