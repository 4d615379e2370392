// Prometheus 2.42's functions (promql/parser/functions.go at v2.42.0), with their argument
// types, variadic arity and result type.
#include <algorithm>
#include <array>

#include "promql/ast.h"

namespace herald::promql {
namespace {

constexpr ValueType V = ValueType::kVector, M = ValueType::kMatrix, S = ValueType::kScalar,
                    Str = ValueType::kString;

const std::vector<Function>& functions() {
  static const std::vector<Function> f = [] {
    std::vector<Function> out{
        {"abs", {V}},
        {"absent", {V}},
        {"absent_over_time", {M}},
        {"acos", {V}},
        {"acosh", {V}},
        {"asin", {V}},
        {"asinh", {V}},
        {"atan", {V}},
        {"atanh", {V}},
        {"avg_over_time", {M}},
        {"ceil", {V}},
        {"changes", {M}},
        {"clamp", {V, S, S}},
        {"clamp_max", {V, S}},
        {"clamp_min", {V, S}},
        {"cos", {V}},
        {"cosh", {V}},
        {"count_over_time", {M}},
        {"days_in_month", {V}, 1},
        {"day_of_month", {V}, 1},
        {"day_of_week", {V}, 1},
        {"day_of_year", {V}, 1},
        {"deg", {V}},
        {"delta", {M}},
        {"deriv", {M}},
        {"exp", {V}},
        {"floor", {V}},
        {"histogram_count", {V}},
        {"histogram_sum", {V}},
        {"histogram_fraction", {S, S, V}},
        {"histogram_quantile", {S, V}},
        {"holt_winters", {M, S, S}},
        {"hour", {V}, 1},
        {"idelta", {M}},
        {"increase", {M}},
        {"irate", {M}},
        {"label_replace", {V, Str, Str, Str, Str}},
        {"label_join", {V, Str, Str, Str}, -1},
        {"last_over_time", {M}},
        {"ln", {V}},
        {"log10", {V}},
        {"log2", {V}},
        {"max_over_time", {M}},
        {"min_over_time", {M}},
        {"minute", {V}, 1},
        {"month", {V}, 1},
        {"pi", {}, 0, S},
        {"predict_linear", {M, S}},
        {"present_over_time", {M}},
        {"quantile_over_time", {S, M}},
        {"rad", {V}},
        {"rate", {M}},
        {"resets", {M}},
        {"round", {V, S}, 1},
        {"scalar", {V}, 0, S},
        {"sgn", {V}},
        {"sin", {V}},
        {"sinh", {V}},
        {"sort", {V}},
        {"sort_desc", {V}},
        {"sqrt", {V}},
        {"stddev_over_time", {M}},
        {"stdvar_over_time", {M}},
        {"sum_over_time", {M}},
        {"tan", {V}},
        {"tanh", {V}},
        {"time", {}, 0, S},
        {"timestamp", {V}},
        {"vector", {S}},
        {"year", {V}, 1},
    };
    std::sort(out.begin(), out.end(),
              [](const Function& a, const Function& b) { return a.name < b.name; });
    return out;
  }();
  return f;
}

}  // namespace

const Function* find_function(std::string_view name) {
  const auto& f = functions();
  auto it = std::lower_bound(f.begin(), f.end(), name,
                             [](const Function& a, std::string_view n) { return a.name < n; });
  return it != f.end() && it->name == name ? &*it : nullptr;
}

std::string_view documented(ValueType t) {
  switch (t) {
    case ValueType::kNone:
      return "none";
    case ValueType::kScalar:
      return "scalar";
    case ValueType::kVector:
      return "instant vector";
    case ValueType::kMatrix:
      return "range vector";
    case ValueType::kString:
      return "string";
  }
  return "none";
}

ValueType Expr::type() const {
  struct Visitor {
    ValueType operator()(const NumberLiteral&) const { return ValueType::kScalar; }
    ValueType operator()(const StringLiteral&) const { return ValueType::kString; }
    ValueType operator()(const VectorSelector&) const { return ValueType::kVector; }
    ValueType operator()(const MatrixSelector&) const { return ValueType::kMatrix; }
    ValueType operator()(const Subquery&) const { return ValueType::kMatrix; }
    ValueType operator()(const Paren& p) const { return p.expr->type(); }
    ValueType operator()(const Unary& u) const { return u.expr->type(); }
    ValueType operator()(const Binary& b) const {
      return b.lhs->type() == ValueType::kScalar && b.rhs->type() == ValueType::kScalar
                 ? ValueType::kScalar
                 : ValueType::kVector;
    }
    ValueType operator()(const Aggregate&) const { return ValueType::kVector; }
    ValueType operator()(const Call& c) const { return c.func->returns; }
  };
  return std::visit(Visitor{}, node);
}

}  // namespace herald::promql
