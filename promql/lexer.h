// The PromQL lexer of Prometheus 2.42 (promql/parser/lex.go at v2.42.0, restated): the same
// tokens from the same text, so herald accepts and refuses exactly what Prometheus does.
// Keywords are case-insensitive; `inf` and `nan` are numbers; inside braces every word is a
// label name; inside brackets only durations, `:` and `]` are tokens.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace herald::promql {

enum class Tok {
  kEof,
  kError,  // text holds the message; the lexer stops after it
  kComma,
  kLeftParen,
  kRightParen,
  kLeftBrace,
  kRightBrace,
  kLeftBracket,
  kRightBracket,
  kColon,
  kAt,
  kNumber,
  kString,
  kDuration,
  kIdentifier,        // [a-zA-Z_][a-zA-Z0-9_]*
  kMetricIdentifier,  // an identifier with a ':'
  // Operators.
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMod,
  kPow,
  kEql,   // =  (a label matcher)
  kEqlc,  // ==
  kNeq,
  kLss,
  kLte,
  kGtr,
  kGte,
  kEqlRegex,
  kNeqRegex,
  kLand,
  kLor,
  kLunless,
  kAtan2,
  // Aggregators.
  kSum,
  kAvg,
  kCount,
  kMin,
  kMax,
  kGroup,
  kStddev,
  kStdvar,
  kTopk,
  kBottomk,
  kCountValues,
  kQuantile,
  // Keywords.
  kOffset,
  kBy,
  kWithout,
  kOn,
  kIgnoring,
  kGroupLeft,
  kGroupRight,
  kBool,
  kStart,
  kEnd,
};

struct Token {
  Tok kind = Tok::kEof;
  size_t pos = 0;    // byte offset of its first character
  std::string text;  // as written (kError: the message)
  [[nodiscard]] size_t end() const { return pos + text.size(); }
};

// Every token of `input` up to kEof, or up to and including the first kError. Comments are
// dropped.
[[nodiscard]] std::vector<Token> lex(std::string_view input);

// How an error message names a token: `"sum"`, `number "5"`, `end of input`...
[[nodiscard]] std::string describe(const Token& t);

[[nodiscard]] bool is_aggregator(Tok t);
[[nodiscard]] bool is_aggregator_with_param(Tok t);  // topk, bottomk, count_values, quantile
[[nodiscard]] bool is_comparison(Tok t);
[[nodiscard]] bool is_set_operator(Tok t);      // and, or, unless
[[nodiscard]] std::string_view op_text(Tok t);  // "+", "and", "sum", ...

}  // namespace herald::promql
