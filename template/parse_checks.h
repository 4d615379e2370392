// Static checks parse() applies to each pipeline — the ones Go's parser makes plus those Go
// leaves to run time (arity of known functions, arguments given to non-functions). Failures
// are thrown as ParseFailure, which parse() catches; nothing escapes the module.
#pragma once

#include <string>
#include <string_view>

#include "template/ast.h"

namespace herald::tmpl {

struct ParseFailure {
  int pos;  // byte offset of the offending token
  std::string message;
};

// Throws when identifier `e` names a function that cannot take `nargs` arguments.
void check_arity(const Expr& e, int nargs);

// Throws on an empty pipeline, a literal in a later pipeline stage, nil as a command,
// arguments to a non-function, or a function called with the wrong number of arguments.
void check_pipeline(const Pipe& pipe, std::string_view context);

}  // namespace herald::tmpl
