// Pipeline checks run by the parser once a pipeline is complete.
#include "template/parse_checks.h"

#include "template/functions.h"

namespace herald::tmpl {

using Failure = ParseFailure;

void check_arity(const Expr& e, int nargs) {
  if (e.kind != ExprKind::kIdentifier || e.func == nullptr) return;
  const FuncInfo& f = *e.func;
  bool ok = nargs >= f.min_args && (f.max_args < 0 || nargs <= f.max_args);
  if (ok) return;
  std::string want =
      f.max_args < 0 ? "at least " + std::to_string(f.min_args) : std::to_string(f.min_args);
  throw Failure{e.pos, "wrong number of args for " + std::string(f.name) + ": want " + want +
                           " got " + std::to_string(nargs)};
}

void check_pipeline(const Pipe& pipe, std::string_view context) {
  if (pipe.cmds.empty()) throw Failure{pipe.pos, "missing value for " + std::string(context)};
  for (size_t i = 0; i < pipe.cmds.size(); ++i) {
    const Command& cmd = pipe.cmds[i];
    const Expr& head = cmd.args[0];
    bool literal = head.kind == ExprKind::kLiteral || head.kind == ExprKind::kDot ||
                   head.kind == ExprKind::kNil;
    if (i > 0 && literal) {
      throw Failure{cmd.pos, "non executable command in pipeline stage " + std::to_string(i + 1)};
    }
    if (head.kind == ExprKind::kNil) throw Failure{cmd.pos, "nil is not a command"};
    bool plain = literal || head.kind == ExprKind::kPipe ||
                 (head.kind == ExprKind::kVariable && head.fields.empty());
    if (plain && (cmd.args.size() > 1 || i > 0)) {
      throw Failure{cmd.pos, "can't give argument to non-function " + head.to_string()};
    }
    int nargs = static_cast<int>(cmd.args.size()) - 1 + (i > 0 ? 1 : 0);
    check_arity(head, nargs);
    for (size_t a = 1; a < cmd.args.size(); ++a)
      check_arity(cmd.args[a], 0);
  }
}

}  // namespace herald::tmpl
