// The PromQL parser's shapes (precedence, associativity, where unary and postfix modifiers
// bind), its error positions, and the printer's number and duration forms. What it accepts and
// refuses is compared with promtool itself in test_promtool_diff.py.
#include "promql/parser.h"

#include <catch2/catch.hpp>
#include <string>

#include "promql/printer.h"

namespace herald::promql {
namespace {

// The tree with every operation parenthesised: shows what binds to what.
std::string shape(const Expr& e) {
  if (const auto* b = e.as<Binary>()) {
    return "(" + shape(*b->lhs) + " " + std::string(op_text(b->op)) + " " + shape(*b->rhs) + ")";
  }
  if (const auto* u = e.as<Unary>())
    return "(" + std::string(op_text(u->op)) + shape(*u->expr) + ")";
  if (const auto* p = e.as<Paren>()) return shape(*p->expr);
  return print(e);
}

std::string shape_of(std::string_view text) {
  const Parsed p = parse(text);
  if (p.error) return "error: " + p.error->describe(text);
  return shape(*p.expr);
}

}  // namespace

TEST_CASE("promql: precedence and associativity as Prometheus's grammar", "[promql]") {
  CHECK(shape_of("a + b * c") == "(a + (b * c))");
  CHECK(shape_of("a * b + c") == "((a * b) + c)");
  CHECK(shape_of("a - b - c") == "((a - b) - c)");
  CHECK(shape_of("a ^ b ^ c") == "(a ^ (b ^ c))");  // right-associative
  CHECK(shape_of("a or b and c") == "(a or (b and c))");
  CHECK(shape_of("a and b unless c") == "((a and b) unless c)");
  CHECK(shape_of("a > b + c") == "(a > (b + c))");
  CHECK(shape_of("a == b or c") == "((a == b) or c)");
  CHECK(shape_of("a atan2 b * c") == "((a atan2 b) * c)");
  CHECK(shape_of("a % b ^ c") == "(a % (b ^ c))");
}

TEST_CASE("promql: unary minus binds as * does, below ^", "[promql]") {
  CHECK(shape_of("-a * b") == "((-a) * b)");
  CHECK(shape_of("-a ^ b") == "(-(a ^ b))");
  CHECK(shape_of("-a + b") == "((-a) + b)");
  CHECK(shape_of("a ^ -b * c") == "((a ^ (-b)) * c)");
  CHECK(shape_of("-1") == "-1");  // a number, not an operation
  CHECK(shape_of("- -1") == "1");
  CHECK(shape_of("-(1)") == "(-1)");
}

TEST_CASE("promql: ranges, offsets and @ bind to the nearest operand", "[promql]") {
  CHECK(shape_of("a + b offset 5m") == "(a + b offset 5m)");
  CHECK(shape_of("-a offset 5m") == "(-a offset 5m)");
  CHECK(shape_of("rate(a[5m]) * b @ end()") == "(rate(a[5m]) * b @ end())");
  CHECK(shape_of("a offset 5m[10m]").starts_with("error: 1:12: parse error: no offset"));
}

TEST_CASE("promql: errors are placed at the offending token, line and column", "[promql]") {
  CHECK(shape_of("sum by (model (rate(x[5m]))") ==
        "error: 1:15: parse error: unexpected \"(\" in grouping opts, expected \",\" or \")\"");
  CHECK(shape_of("sum(\n  rate(x)\n)") ==
        "error: 2:8: parse error: expected type range vector in call to function \"rate\", got "
        "instant vector");
  CHECK(shape_of("foo(1)") == "error: 1:1: parse error: unknown function with name \"foo\"");
  CHECK(shape_of("") == "error: 1:1: parse error: no expression found in input");
  CHECK(shape_of("1 > 2") ==
        "error: 1:3: parse error: comparisons between scalars must use BOOL modifier");
  CHECK(shape_of("up{job=\"a\"") ==
        "error: 1:11: parse error: unexpected end of input inside "
        "braces");
}

TEST_CASE("promql: nesting deeper than kMaxNesting is refused, not a stack overflow", "[promql]") {
  const std::string deep =
      std::string(kMaxNesting + 1, '(') + "x" + std::string(kMaxNesting + 1, ')');
  CHECK(shape_of(deep).ends_with("expression nested more than 500 levels deep"));
  std::string chain = "x";
  for (size_t i = 0; i < kMaxNesting; ++i)
    chain += " + x";
  CHECK(shape_of(chain).ends_with("expression nested more than 500 levels deep"));
  const std::string fine = std::string(100, '(') + "x" + std::string(100, ')');
  CHECK(shape_of(fine) == "x");
}

TEST_CASE("promql: the printer's numbers and durations are Prometheus's", "[promql]") {
  CHECK(format_number(1) == "1");
  CHECK(format_number(0.05) == "0.05");
  CHECK(format_number(1e6) == "1000000");
  CHECK(format_number(1e21) == "1e+21");
  CHECK(format_number(1e-5) == "1e-05");
  CHECK(format_number(0.0001) == "0.0001");
  CHECK(format_number(-2.5) == "-2.5");
  CHECK(format_number(123456789012) == "123456789012");
  CHECK(format_duration_ms(90 * 60 * 1000) == "1h30m");
  CHECK(format_duration_ms(364LL * 24 * 3600 * 1000) == "52w");
  CHECK(format_duration_ms(365LL * 24 * 3600 * 1000) == "1y");
  CHECK(format_duration_ms(1500) == "1s500ms");
  CHECK(format_duration_ms(0) == "0s");
}

TEST_CASE("promql: every function of Prometheus 2.42, with its arity", "[promql]") {
  for (const char* name :
       {"abs", "absent_over_time", "clamp", "days_in_month", "histogram_fraction", "holt_winters",
        "label_join", "label_replace", "pi", "present_over_time", "quantile_over_time", "round",
        "scalar", "sort_desc", "time", "vector", "year"}) {
    INFO(name);
    CHECK(find_function(name) != nullptr);
  }
  CHECK(find_function("sum") == nullptr);            // an aggregation, not a function
  CHECK(find_function("mad_over_time") == nullptr);  // newer than 2.42
  CHECK(find_function("label_join")->variadic == -1);
  CHECK(find_function("round")->arg_types.size() == 2);
  CHECK(find_function("time")->returns == ValueType::kScalar);
}

}  // namespace herald::promql
