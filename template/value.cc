// Value construction, Go type names, truthiness and fmt %v printing.
#include "template/value.h"

#include "model/go_float.h"
#include "template/go_time.h"

namespace herald::tmpl {

Value Value::boolean(bool b) {
  Value v;
  v.kind_ = Kind::kBool;
  v.data_ = b;
  return v;
}

Value Value::integer(int64_t i) {
  Value v;
  v.kind_ = Kind::kInt;
  v.data_ = i;
  return v;
}

Value Value::floating(double d) {
  Value v;
  v.kind_ = Kind::kFloat;
  v.data_ = d;
  return v;
}

Value Value::string(std::string s) {
  Value v;
  v.kind_ = Kind::kString;
  v.data_ = std::move(s);
  return v;
}

Value Value::time(WallTime t) {
  Value v;
  v.kind_ = Kind::kTime;
  v.data_ = t;
  return v;
}

Value Value::map(ValueMap entries, MapElem elem) {
  Value v;
  v.kind_ = Kind::kMap;
  v.data_ = std::make_shared<const MapData>(MapData{std::move(entries), elem});
  return v;
}

Value Value::string_map(const LabelSet& labels) {
  ValueMap m;
  for (const auto& l : labels)
    m.emplace(l.name, Value::string(l.value));
  return map(std::move(m), MapElem::kString);
}

Value Value::list(std::vector<Value> items, bool query_result) {
  Value v;
  v.kind_ = Kind::kList;
  v.data_ = std::make_shared<const ListData>(ListData{std::move(items), query_result});
  return v;
}

Value Value::sample(QuerySample s) {
  Value v;
  v.kind_ = Kind::kSample;
  v.data_ = std::make_shared<const QuerySample>(std::move(s));
  return v;
}

Value Value::structure(std::string type_name, std::vector<std::pair<std::string, Value>> fields) {
  Value v;
  v.kind_ = Kind::kStruct;
  v.data_ = std::make_shared<const StructData>(StructData{std::move(type_name), std::move(fields)});
  return v;
}

const std::vector<Value>& Value::as_list() const {
  return std::get<std::shared_ptr<const ListData>>(data_)->items;
}

bool Value::is_query_result() const {
  return kind_ == Kind::kList && std::get<std::shared_ptr<const ListData>>(data_)->query_result;
}

const std::vector<std::pair<std::string, Value>>& Value::struct_fields() const {
  return std::get<std::shared_ptr<const StructData>>(data_)->fields;
}

std::string Value::type_name() const {
  if (go_type_ != nullptr) return go_type_;
  switch (kind_) {
    case Kind::kNil:
      return "<nil>";
    case Kind::kBool:
      return "bool";
    case Kind::kInt:
      return "int";
    case Kind::kFloat:
      return "float64";
    case Kind::kString:
      return "string";
    case Kind::kTime:
      return "time.Time";
    case Kind::kMap:
      return map_elem() == MapElem::kString ? "map[string]string" : "map[string]interface {}";
    case Kind::kList:
      return is_query_result() ? "template.queryResult" : "[]interface {}";
    case Kind::kSample:
      return "*template.sample";
    case Kind::kStruct:
      return std::get<std::shared_ptr<const StructData>>(data_)->type_name;
  }
  return "?";
}

bool Value::truthy() const {
  switch (kind_) {
    case Kind::kNil:
      return false;
    case Kind::kBool:
      return as_bool();
    case Kind::kInt:
      return as_int() != 0;
    case Kind::kFloat:
      return as_float() != 0;
    case Kind::kString:
      return !as_string().empty();
    case Kind::kMap:
      return !as_map().empty();
    case Kind::kList:
      return !as_list().empty();
    case Kind::kTime:
    case Kind::kSample:
    case Kind::kStruct:
      return true;
  }
  return false;
}

namespace {

std::string sample_body(const QuerySample& s) {
  return "{" + format_value(Value::string_map(s.labels)) + " " + go_float_string(s.value) + "}";
}

}  // namespace

std::string format_value(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNil:
      return "<nil>";
    case Value::Kind::kBool:
      return v.as_bool() ? "true" : "false";
    case Value::Kind::kInt:
      return std::to_string(v.as_int());
    case Value::Kind::kFloat:
      return go_float_string(v.as_float());
    case Value::Kind::kString:
      return v.as_string();
    case Value::Kind::kTime:
      return go_time_string(v.as_time());
    case Value::Kind::kMap: {
      std::string out = "map[";
      bool first = true;
      for (const auto& [k, e] : v.as_map()) {
        if (!first) out += " ";
        first = false;
        out += k + ":" + format_value(e);
      }
      return out + "]";
    }
    case Value::Kind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < v.as_list().size(); ++i) {
        if (i > 0) out += " ";
        out += format_value(v.as_list()[i]);
      }
      return out + "]";
    }
    case Value::Kind::kSample:
      return "&" + sample_body(v.as_sample());
    case Value::Kind::kStruct: {
      std::string out = "{";
      bool first = true;
      for (const auto& [name, field] : v.struct_fields()) {
        if (!name.empty() && name[0] == '_') continue;  // herald's hidden fields
        if (!first) out += " ";
        first = false;
        out += format_value(field);
      }
      return out + "}";
    }
  }
  return "";
}

std::string print_action_value(const Value& v) {
  if (v.is_nil()) return "<no value>";
  if (v.kind() == Value::Kind::kSample) return sample_body(v.as_sample());
  return format_value(v);
}

}  // namespace herald::tmpl
