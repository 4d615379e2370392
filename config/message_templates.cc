// Message template fields of receivers (Slack title/text, email html, PagerDuty details, …):
// kept as text and checked to parse with herald's template engine at load, problems located at
// the offending character in the file, as for rule annotations. They are warnings, not errors:
// Alertmanager templates pasted unchanged use `template`/`define` and functions (join, safeUrl,
// …) herald's engine does not have yet, and that must not stop the routing from loading.
#include "config/routing_sections.h"
#include "template/template.h"

namespace herald::config::detail {
namespace {

// Message templates never query Prometheus, so they get the label function set (no `query`).
// When the notifiers add a message function set (Alertmanager's join, safeUrl, …), it goes here.
constexpr tmpl::FuncSet kMessageFuncs = tmpl::FuncSet::kAlertLabels;

void check_template(ParseContext& ctx, const Path& about, const std::string& text,
                    const ScalarOrigin& origin) {
  auto parsed = tmpl::parse(about.str(), text, kMessageFuncs);
  if (parsed) return;
  const tmpl::ParseError& err = parsed.error();
  LineColumn at = locate_in_scalar(ctx.content(), origin, err.line, err.column);
  ctx.warning(SourcePos{ctx.file(), at.line, at.column}, about,
              "herald cannot use this template yet (" + err.message +
                  "); its built-in message will be used");
}

}  // namespace

std::string read_template(const Fields& f, std::string_view name) {
  std::optional<YAML::Node> node = f.get(name);
  if (!node) return "";
  std::optional<std::string> text = read_string(f.ctx(), *node, f.path().field(name));
  if (!text) return "";
  check_template(f.ctx(), f.path().field(name), *text, f.ctx().origin(*node));
  return *text;
}

std::vector<ScalarEntry> read_template_map(const Fields& f, std::string_view name) {
  std::vector<ScalarEntry> entries = read_string_map(f, name);
  for (const ScalarEntry& e : entries)
    check_template(f.ctx(), f.path().field(name).field(e.key), e.value, e.value_origin);
  return entries;
}

}  // namespace herald::config::detail
