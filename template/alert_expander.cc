// Alert template expansion (prometheus/rules/alerting.go's `expand`).
#include "template/alert_expander.h"

#include <cctype>

namespace herald::tmpl {

Value alert_dot(const AlertTemplateData& data) {
  auto time_or_nil = [](const std::optional<WallTime>& t) { return t ? Value::time(*t) : Value(); };
  return Value::structure(
      "struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; "
      "Value interface {}; ActiveAt *time.Time; FiredAt *time.Time }",
      {{"Labels", Value::string_map(data.labels)},
       {"ExternalLabels", Value::string_map(data.external_labels)},
       {"ExternalURL", Value::string(data.external_url)},
       {"Value", Value::floating(data.value)},
       {"ActiveAt", time_or_nil(data.active_at)},
       {"FiredAt", time_or_nil(data.fired_at)}});
}

std::string expand_alert_template(const Template& t, const AlertTemplateData& data,
                                  const QueryFunc* query, std::string* error_out) {
  Value dot = alert_dot(data);
  ExecEnv env;
  for (const auto& [name, v] : dot.struct_fields()) {
    // $labels, $externalLabels, $externalURL, $value, $activeAt, $firedAt
    std::string var = "$" + name;
    var[1] = static_cast<char>(std::tolower(static_cast<unsigned char>(var[1])));
    if (name == "ExternalURL") var = "$externalURL";
    env.variables.emplace_back(var, v);
  }
  env.query = query;
  env.external_url = data.external_url;
  auto out = execute(t, dot, env);
  if (out) return std::move(*out);
  std::string message = "error executing template " + t.name() + ": " + out.error().message;
  if (error_out != nullptr) *error_out = message;
  return "<error expanding template: " + message + ">";
}

}  // namespace herald::tmpl
