// Function lookup by FuncSet and the predefined alert variables.
#include "template/functions.h"

namespace herald::tmpl {

const FuncInfo* find_function(std::string_view name, FuncSet set) {
  for (const auto* table : {&go_builtin_functions(), &prometheus_functions()}) {
    for (const auto& f : *table) {
      if (f.name != name) continue;
      if (f.annotations_only && set != FuncSet::kAlertAnnotations) return nullptr;
      return &f;
    }
  }
  return nullptr;
}

const std::vector<std::string>& predefined_variables(FuncSet) {
  // Prometheus defines the first four for both labels and annotations; herald adds two.
  static const std::vector<std::string> kAlert = {"$labels", "$externalLabels", "$externalURL",
                                                  "$value",  "$activeAt",       "$firedAt"};
  return kAlert;
}

CallError wrong_type(std::string_view expected, const Value& got) {
  return CallError{
      "wrong type for value; expected " + std::string(expected) + "; got " + got.type_name(),
      false};
}

}  // namespace herald::tmpl
