// The parse tree of a template, shaped like Go's text/template/parse nodes: a list of text,
// actions and control structures; actions hold pipelines of commands of operands.
// Built once by parse() and then only read, so it is safe to share across threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "template/template.h"
#include "template/value.h"

namespace herald::tmpl {

struct FuncInfo;
struct Pipe;

enum class ExprKind {
  kIdentifier,  // a function name: `humanize`
  kDot,         // .
  kNil,         // nil
  kVariable,    // $x or $x.Field.Field
  kField,       // .Field.Field
  kChain,       // (pipeline).Field or term.Field
  kLiteral,     // bool, number or string constant
  kPipe,        // (pipeline)
};

struct Expr {
  ExprKind kind = ExprKind::kNil;
  int pos = 0;                       // byte offset in the template text
  std::string name;                  // kIdentifier: function; kVariable: "$x"
  std::vector<std::string> fields;   // kField/kVariable/kChain: field names, in order
  Value literal;                     // kLiteral
  std::string text;                  // kLiteral: source spelling, for messages
  std::shared_ptr<const Pipe> pipe;  // kPipe
  std::shared_ptr<const Expr> base;  // kChain: what the fields apply to
  const FuncInfo* func = nullptr;    // kIdentifier: resolved at parse time

  // Go's Node.String(): the expression as written (canonical spacing).
  std::string to_string() const;
};

struct Command {
  int pos = 0;
  std::vector<Expr> args;  // args[0] is the function, field or value being "executed"
  std::string to_string() const;
};

struct Pipe {
  int pos = 0;
  bool is_assign = false;          // `$x = …` rather than `$x := …`
  std::vector<std::string> decls;  // variables declared or assigned, e.g. {"$i", "$v"}
  std::vector<Command> cmds;       // cmds[i] receives cmds[i-1]'s result as its last argument
  std::string to_string() const;
};

enum class NodeKind { kList, kText, kAction, kIf, kRange, kWith, kBreak, kContinue, kTemplate };

class Node {
 public:
  NodeKind kind = NodeKind::kList;
  int pos = 0;
  std::string text;             // kText; kTemplate: the template's name
  Pipe pipe;                    // kAction, kIf, kRange, kWith; kTemplate when has_pipe
  bool has_pipe = false;        // kTemplate: {{template "x" pipeline}} rather than {{template "x"}}
  std::vector<Node> list;       // kList: children; kIf/kRange/kWith: the body
  std::vector<Node> else_list;  // kIf/kRange/kWith: the {{else}} branch
  bool has_else = false;
};

}  // namespace herald::tmpl
