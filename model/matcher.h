// Alertmanager label matchers (`name="v"`, `!=`, `=~`, `!~`) and their string syntax, as used by
// routes, inhibit rules, silences, drilldowns and the v2 API filters. Regexes are RE2, fully
// anchored (^(?:re)$), exactly as Alertmanager compiles them. A missing label matches as "".
// Matchers are immutable and cheap to copy (the compiled regex is shared); thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <vector>

#include "model/error.h"
#include "model/labels.h"

namespace re2 {
class RE2;
}

namespace herald {

enum class MatchType { kEqual, kNotEqual, kRegex, kNotRegex };

[[nodiscard]] std::string_view to_string(MatchType t);  // "=", "!=", "=~", "!~"

class Matcher {
 public:
  // Fails (kInvalidInput) on a regex RE2 rejects; the message is RE2's, naming the pattern.
  [[nodiscard]] static Result<Matcher> create(std::string name, MatchType type, std::string value);

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] MatchType type() const { return type_; }
  [[nodiscard]] const std::string& value() const { return value_; }

  [[nodiscard]] bool matches(std::string_view value) const;
  [[nodiscard]] bool matches(const LabelSet& labels) const;  // a missing label is ""

  // Alertmanager's Matcher.String(): name, operator, the value double-quoted with `\`, `"` and
  // newlines escaped — e.g. env="prod", model=~"llama.*".
  [[nodiscard]] std::string to_string() const;

  friend bool operator==(const Matcher& a, const Matcher& b) {
    return a.name_ == b.name_ && a.type_ == b.type_ && a.value_ == b.value_;
  }

 private:
  Matcher(std::string name, MatchType type, std::string value, std::shared_ptr<const re2::RE2> re)
      : name_(std::move(name)), type_(type), value_(std::move(value)), re_(std::move(re)) {}
  std::string name_;
  MatchType type_;
  std::string value_;
  std::shared_ptr<const re2::RE2> re_;  // for kRegex / kNotRegex
};

using Matchers = std::vector<Matcher>;

// Every matcher matches (AND); an empty list matches everything.
[[nodiscard]] bool matches_all(const Matchers& matchers, const LabelSet& labels);

// Alertmanager's Matchers.String(): "{" + each matcher's to_string() joined by "," + "}".
[[nodiscard]] std::string to_string(const Matchers& matchers);

// Alertmanager's order for route keys (labels.Matchers.Less): by name, then value, then type.
void sort_matchers(Matchers& matchers);

// Where in the text a matcher string is wrong, for file:line:col diagnostics.
struct MatcherError {
  size_t column = 1;  // 1-based byte offset into the parsed text
  std::string message;
};

// Alertmanager's matcher-list syntax (pkg/labels ParseMatchers): comma-separated matchers,
// optionally wrapped in {…}, one trailing comma allowed, whitespace outside quotes ignored,
// quoted values with Go escapes or unquoted values without reserved characters.
[[nodiscard]] tl::expected<Matchers, MatcherError> parse_matchers(std::string_view text);
// Exactly one matcher (a route's `matchers:` list item, an API `filter`).
[[nodiscard]] tl::expected<Matcher, MatcherError> parse_matcher(std::string_view text);

}  // namespace herald
