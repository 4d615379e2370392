// PromQL in normal form, as Prometheus 2.42 prints a parsed expression (its String(), the
// `query` of /api/v1/rules): operators spaced, `by`/`without` before the body, matchers sorted,
// durations normalised (90m → 1h30m), numbers in Go's shortest form. Two expressions that print
// alike mean the same.
#pragma once

#include <string>

#include "promql/ast.h"

namespace herald::promql {

[[nodiscard]] std::string print(const Expr& e);
// Prometheus's model.Duration form of `ms` milliseconds: 1h30m, 2w, 500ms, 0s.
[[nodiscard]] std::string format_duration_ms(int64_t ms);
// Go's fmt.Sprint of a float64: 1, 0.05, 1e+21, 1e-05, +Inf, NaN.
[[nodiscard]] std::string format_number(double v);

}  // namespace herald::promql
