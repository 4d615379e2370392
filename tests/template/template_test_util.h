// Helpers shared by the template tests: parse-and-run in one call, with Prometheus's test
// external URL, reporting parse and execution errors as text so tables can compare them.
#pragma once

#include <catch2/catch.hpp>
#include <string>
#include <string_view>

#include "template/execute.h"
#include "template/template.h"
#include "template/value.h"

namespace herald::tmpl::testing {

inline std::string run(std::string_view text, const Value& dot = Value(),
                       const QueryFunc* query = nullptr) {
  auto t = parse("test", text, FuncSet::kAlertAnnotations);
  if (!t) {
    return "PARSE " + std::to_string(t.error().line) + ":" + std::to_string(t.error().column) +
           ": " + t.error().message;
  }
  ExecEnv env;
  env.external_url = "http://testhost:9090/path/prefix";
  env.query = query;
  auto out = execute(*t, dot, env);
  if (!out) return "ERROR " + out.error().message;
  return *out;
}

// A map[string]interface{} from key/value pairs.
inline Value any_map(std::initializer_list<std::pair<const char*, Value>> kv) {
  ValueMap m;
  for (const auto& [k, v] : kv)
    m.emplace(k, v);
  return Value::map(std::move(m));
}

inline Value list(std::initializer_list<Value> items) {
  return Value::list(items);
}
inline Value s(const char* v) {
  return Value::string(v);
}
inline Value i(int64_t v) {
  return Value::integer(v);
}
inline Value f(double v) {
  return Value::floating(v);
}

}  // namespace herald::tmpl::testing
