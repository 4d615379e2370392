// Value: the dynamically typed data a template sees — Go's nil, bool, int, float64, string,
// time.Time, maps, slices, structs and Prometheus's query sample — with Go's truthiness, type
// names for error messages and fmt's %v printing. Immutable; copies share composite payloads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "model/clock.h"
#include "model/labels.h"

namespace herald::tmpl {

// One element of a `query` result (Prometheus's template `sample`).
struct QuerySample {
  LabelSet labels;
  double value = 0;
};

class Value;
using ValueMap = std::map<std::string, Value, std::less<>>;

class Value {
 public:
  enum class Kind { kNil, kBool, kInt, kFloat, kString, kTime, kMap, kList, kSample, kStruct };
  // What a missing key yields under missingkey=zero: "" for map[string]string, nil otherwise.
  enum class MapElem { kString, kAny };

  Value() = default;
  static Value boolean(bool b);
  static Value integer(int64_t i);
  static Value floating(double d);
  static Value string(std::string s);
  static Value time(WallTime t);
  static Value map(ValueMap entries, MapElem elem = MapElem::kAny);
  static Value string_map(const LabelSet& labels);  // Go map[string]string
  static Value list(std::vector<Value> items, bool query_result = false);
  static Value sample(QuerySample s);
  // A Go struct with fields in declaration order; `type_name` appears in error messages. Fields
  // named with a leading '_' are hidden: neither printed nor reachable as .Field (methods use
  // them).
  static Value structure(std::string type_name, std::vector<std::pair<std::string, Value>> fields);

  // The same value with a named Go type (e.g. "template.KV"): what type_name() reports and what
  // methods the executor finds on it (template/am_data.h). `go_type` must be a string literal.
  Value with_go_type(const char* go_type) const {
    Value v = *this;
    v.go_type_ = go_type;
    return v;
  }
  const char* go_type() const { return go_type_; }  // null for unnamed types

  Kind kind() const { return kind_; }
  bool is_nil() const { return kind_ == Kind::kNil; }
  bool as_bool() const { return std::get<bool>(data_); }
  int64_t as_int() const { return std::get<int64_t>(data_); }
  double as_float() const { return std::get<double>(data_); }
  const std::string& as_string() const { return std::get<std::string>(data_); }
  WallTime as_time() const { return std::get<WallTime>(data_); }
  const ValueMap& as_map() const {
    return std::get<std::shared_ptr<const MapData>>(data_)->entries;
  }
  MapElem map_elem() const { return std::get<std::shared_ptr<const MapData>>(data_)->elem; }
  const std::vector<Value>& as_list() const;
  bool is_query_result() const;
  const QuerySample& as_sample() const {
    return *std::get<std::shared_ptr<const QuerySample>>(data_);
  }
  const std::vector<std::pair<std::string, Value>>& struct_fields() const;

  // Go's type name as printed by text/template errors and %T ("float64", "map[string]string").
  std::string type_name() const;
  // text/template's truth: false, 0, "", empty map/list and nil are false.
  bool truthy() const;

 private:
  struct MapData {
    ValueMap entries;
    MapElem elem;
  };
  struct ListData {
    std::vector<Value> items;
    bool query_result;
  };
  struct StructData {
    std::string type_name;
    std::vector<std::pair<std::string, Value>> fields;
  };
  Kind kind_ = Kind::kNil;
  const char* go_type_ = nullptr;
  std::variant<std::monostate, bool, int64_t, double, std::string, WallTime,
               std::shared_ptr<const MapData>, std::shared_ptr<const ListData>,
               std::shared_ptr<const QuerySample>, std::shared_ptr<const StructData>>
      data_;
};

// fmt's %v of a value (nil prints "<nil>", maps "map[k:v]", samples "&{map[...] 1}").
std::string format_value(const Value& v);

// How an action {{ x }} prints its result: like %v, but nil is "<no value>" and a sample
// pointer is dereferenced first (text/template's printValue).
std::string print_action_value(const Value& v);

}  // namespace herald::tmpl
