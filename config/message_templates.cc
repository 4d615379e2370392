// Message templates: the `templates` files (Alertmanager's: glob patterns whose files hold
// {{define}}s), and the template fields of receivers (Slack title/text, email html, PagerDuty
// details, …), each checked at load to parse against herald's default named templates plus
// those files — every mistake located at the offending character, in the template file or
// inside the YAML scalar. Execution happens per notification, in notifiers/.
#include <glob.h>

#include "config/config_sections.h"
#include "config/read_file.h"
#include "config/routing_sections.h"
#include "template/am_defaults.h"
#include "template/template.h"

namespace herald::config {

MessageTemplateFiles load_message_templates(const std::vector<TemplatePattern>& patterns) {
  MessageTemplateFiles out;
  std::vector<tmpl::TextFile> files;
  for (const TemplatePattern& p : patterns) {
    glob_t g{};
    int rc = ::glob(p.pattern.c_str(), 0, nullptr, &g);
    if (rc != 0 && rc != GLOB_NOMATCH) {
      out.diagnostics.push_back(Diagnostic{
          p.pos, Severity::kError, "templates: pattern \"" + p.pattern + "\" cannot be read"});
    }
    // Alertmanager accepts a pattern that matches nothing (a templates directory may be empty).
    for (size_t i = 0; rc == 0 && i < g.gl_pathc; ++i) {
      std::string path = g.gl_pathv[i];
      Result<std::string> text = detail::read_file(path);
      if (!text) {
        out.diagnostics.push_back(Diagnostic{SourcePos{path, 0, 0}, Severity::kError,
                                             "cannot read template file: " + text.error().message});
        continue;
      }
      files.push_back(tmpl::TextFile{path, std::move(*text)});
    }
    ::globfree(&g);
  }
  auto set = tmpl::parse_files(files, tmpl::FuncSet::kMessage, &tmpl::alertmanager_defaults());
  if (!set) {
    const tmpl::FileParseError& e = set.error();
    out.diagnostics.push_back(Diagnostic{SourcePos{e.file, e.error.line, e.error.column},
                                         Severity::kError, "template: " + e.error.message});
    return out;
  }
  out.set = std::make_shared<const tmpl::Template>(std::move(*set));
  return out;
}

namespace detail {
namespace {

void check_template(ParseContext& ctx, const Path& about, const std::string& text,
                    const ScalarOrigin& origin) {
  auto parsed = tmpl::parse(about.str(), text, tmpl::FuncSet::kMessage, ctx.message_templates,
                            ctx.message_template_names_known);
  if (parsed) return;
  const tmpl::ParseError& err = parsed.error();
  LineColumn at = locate_in_scalar(ctx.content(), origin, err.line, err.column);
  ctx.error(SourcePos{ctx.file(), at.line, at.column}, about, "template: " + err.message);
}

}  // namespace

void parse_message_templates(const Fields& top, const std::string& dir, RoutingConfig& out) {
  std::vector<TemplatePattern> patterns;
  for (const ScalarEntry& e : read_string_list(top, "templates")) {
    if (e.value.empty()) {
      top.ctx().error(e.value_pos, Path{{}, "templates"}, "empty pattern");
      continue;
    }
    patterns.push_back(TemplatePattern{resolve_path(dir, e.value), e.value_pos});
    out.templates.push_back(patterns.back().pattern);
  }
  MessageTemplateFiles loaded = load_message_templates(patterns);
  for (Diagnostic& d : loaded.diagnostics)
    top.ctx().diagnostics().push_back(std::move(d));
  // With a broken file, fields are still checked against the defaults, so that every mistake
  // is reported at once (the config is rejected anyway).
  out.message_templates = loaded.set ? loaded.set
                                     : std::shared_ptr<const tmpl::Template>(
                                           std::shared_ptr<void>(), &tmpl::alertmanager_defaults());
  top.ctx().message_templates = out.message_templates.get();
  top.ctx().message_template_names_known = loaded.set != nullptr;
}

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

}  // namespace detail
}  // namespace herald::config
