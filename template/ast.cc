// String forms of parse-tree expressions, as Go's parse nodes print them in error messages.
#include "template/ast.h"

namespace herald::tmpl {

namespace {

std::string join_fields(const std::vector<std::string>& fields) {
  std::string out;
  for (const auto& f : fields)
    out += "." + f;
  return out;
}

}  // namespace

std::string Expr::to_string() const {
  switch (kind) {
    case ExprKind::kIdentifier:
      return name;
    case ExprKind::kDot:
      return ".";
    case ExprKind::kNil:
      return "nil";
    case ExprKind::kVariable:
      return name + join_fields(fields);
    case ExprKind::kField:
      return join_fields(fields);
    case ExprKind::kChain: {
      std::string b = base ? base->to_string() : "";
      return b + join_fields(fields);
    }
    case ExprKind::kLiteral:
      return text;
    case ExprKind::kPipe:
      return "(" + (pipe ? pipe->to_string() : "") + ")";
  }
  return "";
}

std::string Command::to_string() const {
  std::string out;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out += " ";
    out += args[i].to_string();
  }
  return out;
}

std::string Pipe::to_string() const {
  std::string out;
  if (!decls.empty()) {
    for (size_t i = 0; i < decls.size(); ++i) {
      if (i > 0) out += ", ";
      out += decls[i];
    }
    out += is_assign ? " = " : " := ";
  }
  for (size_t i = 0; i < cmds.size(); ++i) {
    if (i > 0) out += " | ";
    out += cmds[i].to_string();
  }
  return out;
}

}  // namespace herald::tmpl
