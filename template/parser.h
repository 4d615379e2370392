// The template parser proper (parser.cc): Go text/template's grammar plus the static checks
// (template/parse_checks.h). parse() in template.h is the public entry; this is its engine.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "template/ast.h"
#include "template/template.h"

namespace herald::tmpl {

struct ParsedText {
  Node root;                                          // the text outside {{define}}s
  std::vector<std::pair<std::string, Node>> defines;  // {{define}} and {{block}} bodies, in order
  std::vector<TemplateRef> refs;                      // every {{template}} call
};

// Throws ParseFailure (template/parse_checks.h) at the first error.
[[nodiscard]] ParsedText parse_text(std::string_view text, FuncSet funcs);

}  // namespace herald::tmpl
