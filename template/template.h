// A parsed Go text/template with the function sets of Prometheus's rule templates and
// Alertmanager's notification templates (docs/compatibility.md "Prometheus templates",
// "Alertmanager templates"). parse() finds every static error (syntax, unknown
// function, wrong arity, undefined variable, a {{template}} of a name nowhere defined) with a
// 1-based line:column relative to the template text; execution errors are runtime-only.
// A Template is immutable after parse and safe to execute from many threads at once.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <vector>

namespace herald::tmpl {

// Which functions a template may call. Label templates may not call `query` (spec: annotations
// only); message templates get Alertmanager's set (toUpper, join, safeHtml, …) and no Prometheus
// functions, as in Alertmanager.
enum class FuncSet { kAlertLabels, kAlertAnnotations, kMessage };

struct ParseError {
  int line = 0;    // 1-based, relative to the template text
  int column = 0;  // 1-based
  std::string message;
};

class Node;  // the parse tree; defined in template/ast.h

// A parsed text: its name (a file name for template files) and the text node positions index.
struct Source {
  std::string name;
  std::string text;
};

// A {{define "name"}} body (or a {{block}}), with the text it was parsed from.
struct Definition {
  std::shared_ptr<const Node> root;
  std::shared_ptr<const Source> source;
};
using Definitions = std::map<std::string, Definition, std::less<>>;

// A {{template "name"}} call: the name and the byte offset of its quoted name.
struct TemplateRef {
  std::string name;
  int pos = 0;
};

class Template {
 public:
  const std::string& name() const { return source_->name; }
  const std::string& text() const { return source_->text; }
  const Node& root() const { return *root_; }
  const std::shared_ptr<const Source>& source() const { return source_; }
  // Every named template this one may call: the base's, then this text's own defines (a later
  // non-empty definition replaces an earlier one, as in Go).
  const Definitions& definitions() const { return *definitions_; }
  // The {{template}} calls in this text (not the base's).
  const std::vector<TemplateRef>& refs() const { return refs_; }

 private:
  friend tl::expected<Template, ParseError> parse(std::string_view, std::string_view, FuncSet,
                                                  const Template*, bool);
  std::shared_ptr<const Source> source_;
  std::shared_ptr<const Node> root_;
  std::shared_ptr<const Definitions> definitions_;
  std::vector<TemplateRef> refs_;
};

// `name` appears in error messages (Prometheus uses e.g. "__alert_HighErrorRate"). With a
// `base`, the base's named templates are visible (Alertmanager parses each field into a clone of
// its template set). `check_refs`: a {{template}} of a name defined neither here nor in the base
// is a parse error; template files that call each other turn it off and check the whole set.
[[nodiscard]] tl::expected<Template, ParseError> parse(std::string_view name, std::string_view text,
                                                       FuncSet funcs,
                                                       const Template* base = nullptr,
                                                       bool check_refs = true);

// Template files (Alertmanager's `templates:`): each parsed on top of the previous ones, starting
// from `base`; then every {{template}} call in them must name a template defined somewhere in the
// set. The result's definitions() are the whole set; its own text is empty.
struct TextFile {
  std::string name;  // the path, for messages
  std::string text;
};
struct FileParseError {
  std::string file;
  ParseError error;
};
[[nodiscard]] tl::expected<Template, FileParseError> parse_files(const std::vector<TextFile>& files,
                                                                 FuncSet funcs,
                                                                 const Template* base);

}  // namespace herald::tmpl
