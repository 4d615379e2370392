// Parsing a PromQL expression as Prometheus 2.42's parser.ParseExpr does: the same grammar
// (promql/parser/generated_parser.y at v2.42.0, as a precedence-climbing parser: `or` < `and`
// `unless` < comparisons < `+ -` < `* / % atan2` < `^` (right-associative); unary `+ -` bind as
// `*`; `[…]`, `offset` and `@` bind tightest) and the same checks afterwards (types, arity,
// vector matching, selectors), so herald accepts and refuses what Prometheus does — with one
// deliberate difference: an expression nested more than kMaxNesting levels deep is refused
// (Prometheus has no limit; no rule comes close), so no input can exhaust the stack of the
// recursive parser, printer or analysis.
#pragma once

#include <string>
#include <string_view>

#include "model/error.h"
#include "promql/ast.h"

namespace herald::promql {

struct ParseError {
  size_t pos = 0;  // byte offset in the expression of what is wrong
  std::string message;
  // "line:col: parse error: message", line and column (1-based, bytes) inside the expression,
  // as Prometheus words it.
  [[nodiscard]] std::string describe(std::string_view expr) const;
};

struct Parsed {
  ExprPtr expr;                     // null when error is set
  std::optional<ParseError> error;  // the first error, as Prometheus reports it first
};

inline constexpr size_t kMaxNesting = 500;

[[nodiscard]] Parsed parse(std::string_view expr);

}  // namespace herald::promql
