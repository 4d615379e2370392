// Go text/template's predefined functions (and, or, not, len, index, print, printf, println,
// eq, ne, lt, le, gt, ge, html, js, urlquery) with Go's comparison and error rules.
#include <optional>

#include "template/functions.h"
#include "template/go_fmt.h"
#include "template/go_strings.h"

namespace herald::tmpl {
namespace {

CallError fail(std::string msg) {
  return CallError{std::move(msg), true};
}

CallResult fn_not(const std::vector<Value>& a, const CallEnv&) {
  return Value::boolean(!a[0].truthy());
}

CallResult fn_len(const std::vector<Value>& a, const CallEnv&) {
  const Value& v = a[0];
  switch (v.kind()) {
    case Value::Kind::kString:
      return Value::integer(static_cast<int64_t>(v.as_string().size()));
    case Value::Kind::kList:
      return Value::integer(static_cast<int64_t>(v.as_list().size()));
    case Value::Kind::kMap:
      return Value::integer(static_cast<int64_t>(v.as_map().size()));
    case Value::Kind::kNil:
      return tl::unexpected(fail("len of nil pointer"));
    default:
      return tl::unexpected(fail("len of type " + v.type_name()));
  }
}

CallResult fn_index(const std::vector<Value>& a, const CallEnv&) {
  Value item = a[0];
  if (item.is_nil()) return tl::unexpected(fail("index of untyped nil"));
  for (size_t i = 1; i < a.size(); ++i) {
    const Value& idx = a[i];
    switch (item.kind()) {
      case Value::Kind::kList:
      case Value::Kind::kString: {
        if (idx.is_nil()) return tl::unexpected(fail("cannot index slice/array with nil"));
        if (idx.kind() != Value::Kind::kInt) {
          return tl::unexpected(fail("cannot index slice/array with type " + idx.type_name()));
        }
        int64_t x = idx.as_int();
        bool is_list = item.kind() == Value::Kind::kList;
        auto len = static_cast<int64_t>(is_list ? item.as_list().size() : item.as_string().size());
        if (x < 0 || x >= len)
          return tl::unexpected(fail("index out of range: " + std::to_string(x)));
        auto ux = static_cast<size_t>(x);
        item = is_list ? item.as_list()[ux]
                       : Value::integer(static_cast<unsigned char>(item.as_string()[ux]));
        break;
      }
      case Value::Kind::kMap: {
        if (idx.kind() != Value::Kind::kString) {
          return tl::unexpected(fail("value has type " + idx.type_name() + "; should be string"));
        }
        auto it = item.as_map().find(idx.as_string());
        if (it != item.as_map().end()) {
          item = it->second;
        } else {
          item = item.map_elem() == Value::MapElem::kString ? Value::string("") : Value();
        }
        break;
      }
      case Value::Kind::kNil:
        return tl::unexpected(fail("index of nil pointer"));
      default:
        return tl::unexpected(fail("can't index item of type " + item.type_name()));
    }
  }
  return item;
}

CallResult fn_print(const std::vector<Value>& a, const CallEnv&) {
  return Value::string(go_sprint(a));
}

CallResult fn_println(const std::vector<Value>& a, const CallEnv&) {
  return Value::string(go_sprintln(a));
}

CallResult fn_printf(const std::vector<Value>& a, const CallEnv&) {
  if (a[0].kind() != Value::Kind::kString) return tl::unexpected(wrong_type("string", a[0]));
  std::vector<Value> rest(a.begin() + 1, a.end());
  return Value::string(go_sprintf(a[0].as_string(), rest));
}

enum class Basic { kInvalid, kBool, kInt, kFloat, kString, kOther };

Basic basic_kind(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNil:
      return Basic::kInvalid;
    case Value::Kind::kBool:
      return Basic::kBool;
    case Value::Kind::kInt:
      return Basic::kInt;
    case Value::Kind::kFloat:
      return Basic::kFloat;
    case Value::Kind::kString:
      return Basic::kString;
    default:
      return Basic::kOther;
  }
}

const char* kBadComparison = "incompatible types for comparison";
const char* kBadComparisonType = "invalid type for comparison";

// Go's eq(arg1, arg2...): true when arg1 equals any later argument.
tl::expected<bool, CallError> equal_any(const std::vector<Value>& a) {
  if (a.size() < 2) return tl::unexpected(fail("missing argument for comparison"));
  const Value& x = a[0];
  Basic k1 = basic_kind(x);
  for (size_t i = 1; i < a.size(); ++i) {
    const Value& y = a[i];
    Basic k2 = basic_kind(y);
    bool truth = false;
    if (k1 != k2) {
      if (k1 != Basic::kInvalid && k2 != Basic::kInvalid) {
        return tl::unexpected(fail(kBadComparison));
      }
    } else {
      switch (k1) {
        case Basic::kBool:
          truth = x.as_bool() == y.as_bool();
          break;
        case Basic::kInt:
          truth = x.as_int() == y.as_int();
          break;
        case Basic::kFloat:
          truth = x.as_float() == y.as_float();
          break;
        case Basic::kString:
          truth = x.as_string() == y.as_string();
          break;
        case Basic::kInvalid:
          truth = true;
          break;
        case Basic::kOther:
          if (x.kind() == Value::Kind::kTime && y.kind() == Value::Kind::kTime) {
            truth = x.as_time() == y.as_time();
          } else if (x.kind() == Value::Kind::kMap || x.kind() == Value::Kind::kList ||
                     y.kind() == Value::Kind::kMap || y.kind() == Value::Kind::kList) {
            return tl::unexpected(
                fail("non-comparable type " + format_value(y) + ": " + y.type_name()));
          } else if (x.kind() != y.kind()) {
            return tl::unexpected(fail(kBadComparison));
          }
          break;
      }
    }
    if (truth) return true;
  }
  return false;
}

tl::expected<bool, CallError> less(const Value& x, const Value& y) {
  Basic k1 = basic_kind(x), k2 = basic_kind(y);
  if (k1 == Basic::kInvalid || k1 == Basic::kOther || k2 == Basic::kInvalid ||
      k2 == Basic::kOther) {
    return tl::unexpected(fail(kBadComparisonType));
  }
  if (k1 != k2) return tl::unexpected(fail(kBadComparison));
  switch (k1) {
    case Basic::kInt:
      return x.as_int() < y.as_int();
    case Basic::kFloat:
      return x.as_float() < y.as_float();
    case Basic::kString:
      return x.as_string() < y.as_string();
    default:
      return tl::unexpected(fail(kBadComparisonType));
  }
}

CallResult fn_eq(const std::vector<Value>& a, const CallEnv&) {
  return equal_any(a).map([](bool b) { return Value::boolean(b); });
}
CallResult fn_ne(const std::vector<Value>& a, const CallEnv&) {
  return equal_any(a).map([](bool b) { return Value::boolean(!b); });
}
CallResult fn_lt(const std::vector<Value>& a, const CallEnv&) {
  return less(a[0], a[1]).map([](bool b) { return Value::boolean(b); });
}
tl::expected<bool, CallError> less_equal(const std::vector<Value>& a) {
  auto lt = less(a[0], a[1]);
  if (!lt || *lt) return lt;
  return equal_any(a);
}
CallResult fn_le(const std::vector<Value>& a, const CallEnv&) {
  return less_equal(a).map([](bool b) { return Value::boolean(b); });
}
CallResult fn_gt(const std::vector<Value>& a, const CallEnv&) {
  return less_equal(a).map([](bool b) { return Value::boolean(!b); });
}
CallResult fn_ge(const std::vector<Value>& a, const CallEnv&) {
  return less(a[0], a[1]).map([](bool b) { return Value::boolean(!b); });
}

// html, js and urlquery format their arguments like fmt.Sprint, nil as "<no value>".
std::string escape_args(const std::vector<Value>& a) {
  if (a.size() == 1 && a[0].kind() == Value::Kind::kString) return a[0].as_string();
  std::vector<Value> printable;
  for (const auto& v : a)
    printable.push_back(v.is_nil() ? Value::string("<no value>") : v);
  return go_sprint(printable);
}
CallResult fn_html(const std::vector<Value>& a, const CallEnv&) {
  return Value::string(html_escape(escape_args(a)));
}
CallResult fn_js(const std::vector<Value>& a, const CallEnv&) {
  return Value::string(js_escape(escape_args(a)));
}
CallResult fn_urlquery(const std::vector<Value>& a, const CallEnv&) {
  return Value::string(url_query_escape(escape_args(a)));
}

}  // namespace

const std::vector<FuncInfo>& go_builtin_functions() {
  static const std::vector<FuncInfo> kTable = {
      {"and", 1, -1, false, nullptr},
      {"or", 1, -1, false, nullptr},
      {"not", 1, 1, false, fn_not},
      {"len", 1, 1, false, fn_len},
      {"index", 1, -1, false, fn_index},
      {"print", 0, -1, false, fn_print},
      {"printf", 1, -1, false, fn_printf},
      {"println", 0, -1, false, fn_println},
      {"eq", 1, -1, false, fn_eq},
      {"ne", 2, 2, false, fn_ne},
      {"lt", 2, 2, false, fn_lt},
      {"le", 2, 2, false, fn_le},
      {"gt", 2, 2, false, fn_gt},
      {"ge", 2, 2, false, fn_ge},
      {"html", 0, -1, false, fn_html},
      {"js", 0, -1, false, fn_js},
      {"urlquery", 0, -1, false, fn_urlquery},
  };
  return kTable;
}

}  // namespace herald::tmpl
