// Method lookup by the receiver's Go type, and time.Time's methods.
#include "template/methods.h"

#include "template/am_data.h"
#include "template/go_time.h"

namespace herald::tmpl {
namespace {

CallResult time_unix(const Value& t, const std::vector<Value>&) {
  return Value::integer(go_time_unix(t.as_time()));
}
CallResult time_unix_milli(const Value& t, const std::vector<Value>&) {
  const int64_t ns = go_time_unix_nano(t.as_time());
  return Value::integer(ns / 1000000 - (ns % 1000000 < 0 ? 1 : 0));
}
CallResult time_unix_nano(const Value& t, const std::vector<Value>&) {
  return Value::integer(go_time_unix_nano(t.as_time()));
}
CallResult time_itself(const Value& t, const std::vector<Value>&) {
  return t;  // UTC, Local: herald's times are UTC already
}
CallResult time_string(const Value& t, const std::vector<Value>&) {
  return Value::string(go_time_string(t.as_time()));
}
CallResult time_format(const Value& t, const std::vector<Value>& args) {
  if (args[0].kind() != Value::Kind::kString) return tl::unexpected(wrong_type("string", args[0]));
  return Value::string(go_time_format(t.as_time(), args[0].as_string()));
}

}  // namespace

const std::vector<MethodInfo>& time_methods() {
  static const std::vector<MethodInfo> kTable = {
      {"Unix", 0, time_unix},          {"UnixMilli", 0, time_unix_milli},
      {"UnixNano", 0, time_unix_nano}, {"UTC", 0, time_itself},
      {"Local", 0, time_itself},       {"String", 0, time_string},
      {"Format", 1, time_format},
  };
  return kTable;
}

const MethodInfo* find_method(const Value& receiver, std::string_view name) {
  const std::vector<MethodInfo>* table =
      receiver.kind() == Value::Kind::kTime ? &time_methods() : am::methods_of(receiver);
  if (table == nullptr) return nullptr;
  for (const MethodInfo& m : *table) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

}  // namespace herald::tmpl
