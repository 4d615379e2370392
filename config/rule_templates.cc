// Template checks for alerting rules: Prometheus's testTemplateParsing, with positions.
#include "config/rule_templates.h"

#include "template/template.h"

namespace herald::config::detail {

void check_templates(ParseContext& ctx, const Path& rule, std::string_view alert_name,
                     const std::vector<ScalarEntry>& entries, TemplateField field) {
  const bool is_label = field == TemplateField::kLabel;
  const tmpl::FuncSet funcs =
      is_label ? tmpl::FuncSet::kAlertLabels : tmpl::FuncSet::kAlertAnnotations;
  const std::string name = "__alert_" + std::string(alert_name);
  for (const ScalarEntry& e : entries) {
    auto parsed = tmpl::parse(name, e.value, funcs);
    if (parsed) continue;
    const tmpl::ParseError& err = parsed.error();
    LineColumn at = locate_in_scalar(ctx.content(), e.value_origin, err.line, err.column);
    SourcePos pos{ctx.file(), at.line, at.column};
    ctx.error(pos, rule,
              std::string(is_label ? "label \"" : "annotation \"") + e.key + "\": " + err.message);
  }
}

}  // namespace herald::config::detail
