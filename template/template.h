// A parsed Go text/template (the subset and Prometheus function set of specs/prometheus.md).
// parse() finds every static error (syntax, unknown function, wrong arity, undefined variable)
// with a 1-based line:column relative to the template text; execution errors are runtime-only.
// A Template is immutable after parse and safe to execute from many threads at once.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

namespace herald::tmpl {

// Which functions a template may call. Label templates may not call `query` (spec: annotations
// only); message templates (notifiers issue) get their own set later.
enum class FuncSet { kAlertLabels, kAlertAnnotations };

struct ParseError {
  int line = 0;    // 1-based, relative to the template text
  int column = 0;  // 1-based
  std::string message;
};

class Node;  // the parse tree; defined in template/ast.h

class Template {
 public:
  const std::string& name() const { return name_; }
  const std::string& text() const { return text_; }
  const Node& root() const { return *root_; }

 private:
  friend tl::expected<Template, ParseError> parse(std::string_view, std::string_view, FuncSet);
  std::string name_;
  std::string text_;
  std::shared_ptr<const Node> root_;
};

// `name` appears in error messages (Prometheus uses e.g. "__alert_HighErrorRate").
[[nodiscard]] tl::expected<Template, ParseError> parse(std::string_view name, std::string_view text,
                                                       FuncSet funcs);

}  // namespace herald::tmpl
