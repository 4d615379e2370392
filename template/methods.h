// Methods of the Go types templates see — time.Time's (Unix, Format, …) and Alertmanager's
// template types' (template/am_data.h) — looked up by the executor before fields and map keys, as
// Go's text/template does.
#pragma once

#include <string_view>
#include <vector>

#include "template/functions.h"
#include "template/value.h"

namespace herald::tmpl {

// A method of a named type, called with its (already evaluated) arguments; errors as functions'.
struct MethodInfo {
  std::string_view name;
  int nargs = 0;
  CallResult (*impl)(const Value& receiver, const std::vector<Value>& args) = nullptr;
};

// The method `name` of `receiver`'s Go type, or null.
[[nodiscard]] const MethodInfo* find_method(const Value& receiver, std::string_view name);

// The time.Time methods templates use: Unix, UnixMilli, UnixNano, UTC, Local, String, Format.
[[nodiscard]] const std::vector<MethodInfo>& time_methods();

}  // namespace herald::tmpl
