// Template checks for alerting rules: Prometheus's testTemplateParsing, with positions.
#include "config/rule_templates.h"

#include <functional>
#include <set>

#include "template/ast.h"
#include "template/template.h"

namespace herald::config::detail {
namespace {

// Every label a template reads from its alert's labels, with its byte offset in the text:
// $labels.X, .Labels.X, and index $labels "X" / index .Labels "X".
void label_reads(const tmpl::Node& n, std::vector<std::pair<std::string, int>>& out) {
  auto is_labels = [](const tmpl::Expr& e, size_t fields) {
    return (e.kind == tmpl::ExprKind::kVariable && e.name == "$labels" &&
            e.fields.size() == fields) ||
           (e.kind == tmpl::ExprKind::kField && e.fields.size() == fields + 1 &&
            e.fields[0] == "Labels");
  };
  std::function<void(const tmpl::Pipe&)> pipe = [&](const tmpl::Pipe& p) {
    for (const tmpl::Command& c : p.cmds) {
      if (c.args.size() == 3 && c.args[0].kind == tmpl::ExprKind::kIdentifier &&
          c.args[0].name == "index" && is_labels(c.args[1], 0) &&
          c.args[2].kind == tmpl::ExprKind::kLiteral &&
          c.args[2].literal.kind() == tmpl::Value::Kind::kString) {
        out.emplace_back(c.args[2].literal.as_string(), c.args[2].pos);
      }
      for (const tmpl::Expr& e : c.args) {
        if (is_labels(e, 1)) out.emplace_back(e.fields.back(), e.pos);
        if (e.pipe) pipe(*e.pipe);
      }
    }
  };
  if (n.kind == tmpl::NodeKind::kAction || n.kind == tmpl::NodeKind::kIf ||
      n.kind == tmpl::NodeKind::kRange || n.kind == tmpl::NodeKind::kWith ||
      (n.kind == tmpl::NodeKind::kTemplate && n.has_pipe)) {
    pipe(n.pipe);
  }
  for (const tmpl::Node& c : n.list)
    label_reads(c, out);
  for (const tmpl::Node& c : n.else_list)
    label_reads(c, out);
}

std::string joined(const std::set<std::string>& names) {
  std::string out;
  for (const std::string& n : names)
    out += (out.empty() ? "" : ", ") + n;
  return "{" + out + "}";
}

}  // namespace

void check_templates(ParseContext& ctx, const Path& rule, std::string_view alert_name,
                     const std::vector<ScalarEntry>& entries, TemplateField field,
                     const promql::ResultLabels* result) {
  const bool is_label = field == TemplateField::kLabel;
  const tmpl::FuncSet funcs =
      is_label ? tmpl::FuncSet::kAlertLabels : tmpl::FuncSet::kAlertAnnotations;
  const std::string name = "__alert_" + std::string(alert_name);
  for (const ScalarEntry& e : entries) {
    auto parsed = tmpl::parse(name, e.value, funcs);
    if (parsed && result != nullptr && result->closed) {
      std::vector<std::pair<std::string, int>> reads;
      label_reads(parsed->root(), reads);
      for (const auto& [label, offset] : reads) {
        if (result->may_have(label)) continue;
        int line = 1, column = 1;
        for (int i = 0; i < offset && i < static_cast<int>(e.value.size()); ++i) {
          column = e.value[static_cast<size_t>(i)] == '\n' ? (++line, 1) : column + 1;
        }
        const LineColumn at = locate_in_scalar(ctx.content(), e.value_origin, line, column);
        ctx.error(SourcePos{ctx.file(), at.line, at.column}, rule,
                  std::string(is_label ? "label \"" : "annotation \"") + e.key + "\": $labels." +
                      label + " is never set: the expression's result carries only " +
                      joined(result->names));
      }
    }
    if (parsed) continue;
    const tmpl::ParseError& err = parsed.error();
    LineColumn at = locate_in_scalar(ctx.content(), e.value_origin, err.line, err.column);
    SourcePos pos{ctx.file(), at.line, at.column};
    ctx.error(pos, rule,
              std::string(is_label ? "label \"" : "annotation \"") + e.key + "\": " + err.message);
  }
}

}  // namespace herald::config::detail
