// Function lookup by FuncSet and the predefined alert variables.
#include "template/functions.h"

#include "template/am_data.h"

namespace herald::tmpl {

namespace {

// The Prometheus functions Alertmanager also has, with the same behaviour (humanizeDuration
// since Alertmanager 0.28).
bool alertmanager_has(std::string_view name) {
  return name == "toUpper" || name == "toLower" || name == "match" || name == "reReplaceAll" ||
         name == "humanizeDuration";
}

}  // namespace

const FuncInfo* find_function(std::string_view name, FuncSet set) {
  if (set == FuncSet::kMessage) {
    for (const auto* table : {&go_builtin_functions(), &am::alertmanager_functions()}) {
      for (const auto& f : *table) {
        if (f.name == name) return &f;
      }
    }
    if (!alertmanager_has(name)) return nullptr;
  }
  for (const auto* table : {&go_builtin_functions(), &prometheus_functions()}) {
    for (const auto& f : *table) {
      if (f.name != name) continue;
      if (f.annotations_only && set != FuncSet::kAlertAnnotations) return nullptr;
      return &f;
    }
  }
  return nullptr;
}

const std::vector<std::string>& predefined_variables(FuncSet set) {
  // Prometheus defines the first four for both labels and annotations; herald adds two.
  static const std::vector<std::string> kAlert = {"$labels", "$externalLabels", "$externalURL",
                                                  "$value",  "$activeAt",       "$firedAt"};
  static const std::vector<std::string> kNone;
  return set == FuncSet::kMessage ? kNone : kAlert;
}

CallError wrong_type(std::string_view expected, const Value& got) {
  return CallError{
      "wrong type for value; expected " + std::string(expected) + "; got " + got.type_name(),
      false};
}

}  // namespace herald::tmpl
