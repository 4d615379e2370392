// The function table templates may call: Go's builtins plus Prometheus's template functions.
// Arity is part of the table so parse() can reject `humanize 1 2` before anything runs.
#pragma once

#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <vector>

#include "template/execute.h"
#include "template/template.h"
#include "template/value.h"

namespace herald::tmpl {

// A failed call. `wrap` adds Go's "error calling NAME: " prefix (errors the function returned);
// argument type mismatches are reported by Go without it.
struct CallError {
  std::string message;
  bool wrap = true;
};
using CallResult = tl::expected<Value, CallError>;

struct CallEnv {
  const QueryFunc* query = nullptr;
  std::string_view external_url;
};

using FuncImpl = CallResult (*)(const std::vector<Value>& args, const CallEnv& env);

struct FuncInfo {
  std::string_view name;
  int min_args = 0;
  int max_args = 0;               // -1: variadic
  bool annotations_only = false;  // `query`
  FuncImpl impl = nullptr;        // null for `and`/`or`, which the executor short-circuits
};

// The function `name` as visible to templates of `set`, or null.
[[nodiscard]] const FuncInfo* find_function(std::string_view name, FuncSet set);

// Variables every template of `set` may use without declaring them ($labels, $value, …).
[[nodiscard]] const std::vector<std::string>& predefined_variables(FuncSet set);

// Tables, one per source file.
[[nodiscard]] const std::vector<FuncInfo>& go_builtin_functions();
[[nodiscard]] const std::vector<FuncInfo>& prometheus_functions();

// Go's argument type error, e.g. "wrong type for value; expected string; got int".
[[nodiscard]] CallError wrong_type(std::string_view expected, const Value& got);

}  // namespace herald::tmpl
