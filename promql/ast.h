// PromQL's syntax tree, as Prometheus 2.42's parser builds it (promql/parser/ast.go, restated):
// the node kinds, the value type of each, and positions as byte offsets into the expression.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "promql/lexer.h"

namespace herald::promql {

enum class ValueType { kNone, kScalar, kVector, kMatrix, kString };
// As Prometheus's documentation names them in errors: "instant vector", "range vector"...
[[nodiscard]] std::string_view documented(ValueType t);

struct Function {
  std::string_view name;
  std::vector<ValueType> arg_types;
  int variadic = 0;  // 0: exactly arg_types; n > 0: up to n more of the last; -1: any more
  ValueType returns = ValueType::kVector;
};
// Prometheus 2.42's function, or nullptr.
[[nodiscard]] const Function* find_function(std::string_view name);

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

enum class MatchOp { kEqual, kNotEqual, kRegex, kNotRegex };
struct LabelMatcher {
  std::string name;
  MatchOp op = MatchOp::kEqual;
  std::string value;
};

// `@ <timestamp>`, `@ start()`, `@ end()`.
struct AtModifier {
  std::optional<int64_t> timestamp_ms;
  Tok start_or_end = Tok::kEof;  // kStart, kEnd, or kEof for none
  [[nodiscard]] bool set() const { return timestamp_ms || start_or_end != Tok::kEof; }
};

struct NumberLiteral {
  double value = 0;
};
struct StringLiteral {
  std::string value;
};
struct VectorSelector {
  std::string name;                    // "" when only matchers select
  std::vector<LabelMatcher> matchers;  // with name: ends with __name__="<name>"
  int64_t offset_ms = 0;
  AtModifier at;
};
struct MatrixSelector {
  ExprPtr vector;  // a VectorSelector
  int64_t range_ms = 0;
};
struct Subquery {
  ExprPtr expr;
  int64_t range_ms = 0;
  int64_t step_ms = 0;  // 0: the default step
  int64_t offset_ms = 0;
  AtModifier at;
};
struct Paren {
  ExprPtr expr;
};
struct Unary {
  Tok op = Tok::kSub;
  ExprPtr expr;
};
enum class Cardinality { kOneToOne, kManyToOne, kOneToMany, kManyToMany };
struct VectorMatching {
  Cardinality card = Cardinality::kOneToOne;
  std::vector<std::string> labels;  // of on(...) / ignoring(...)
  bool on = false;
  std::vector<std::string> include;  // of group_left(...) / group_right(...)
};
struct Binary {
  Tok op = Tok::kAdd;
  ExprPtr lhs, rhs;
  bool return_bool = false;
  std::optional<VectorMatching> matching;  // null once checked when a side is a scalar
};
struct Aggregate {
  Tok op = Tok::kSum;
  ExprPtr param;  // topk/bottomk/quantile/count_values
  ExprPtr expr;
  std::vector<std::string> grouping;
  bool without = false;
};
struct Call {
  const Function* func = nullptr;
  std::vector<ExprPtr> args;
};

struct Expr {
  std::variant<NumberLiteral, StringLiteral, VectorSelector, MatrixSelector, Subquery, Paren, Unary,
               Binary, Aggregate, Call>
      node;
  size_t start = 0, end = 0;  // byte offsets: [start, end)
  size_t height = 1;          // of the tree from here down (the parser caps it: parser.h)

  [[nodiscard]] ValueType type() const;
  template <typename T>
  [[nodiscard]] const T* as() const {
    return std::get_if<T>(&node);
  }
  template <typename T>
  [[nodiscard]] T* as() {
    return std::get_if<T>(&node);
  }
};

}  // namespace herald::promql
