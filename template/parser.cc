// parse(): recursive descent over the token stream, following Go's text/template/parse/parse.go,
// plus the static checks Go leaves to run time (arity, assignment to undeclared variables,
// arguments given to non-functions). Internal failures unwind with an exception caught in parse().
#include "template/parser.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "model/labels.h"
#include "template/ast.h"
#include "template/functions.h"
#include "template/lexer.h"
#include "template/literal.h"
#include "template/parse_checks.h"
#include "template/template.h"

namespace herald::tmpl {
namespace {

constexpr int kMaxDepth = 100;  // nesting of blocks and parentheses; bounds recursion

using Failure = ParseFailure;

// What a list of items stopped at.
enum class Stop { kEnd, kElse };
struct StopInfo {
  Stop kind;
  int pos;
  Tok follow = Tok::kRightDelim;  // kIf/kWith for "else if"/"else with"
};

class Parser {
 public:
  Parser(std::string_view text, FuncSet funcs) : tokens_(lex(text)), funcs_(funcs) {
    vars_.push_back("$");
    for (const auto& v : predefined_variables(funcs))
      vars_.push_back(v);
  }

  Node run() {
    Node root;
    root.kind = NodeKind::kList;
    while (peek().type != Tok::kEof) {
      if (definition()) continue;
      Node n;
      if (auto stop = text_or_action(n)) {
        throw Failure{stop->pos,
                      stop->kind == Stop::kEnd ? "unexpected {{end}}" : "unexpected {{else}}"};
      }
      root.list.push_back(std::move(n));
    }
    return root;
  }

 private:
  // ---- token navigation
  const Token& next() {
    const Token& t = tokens_[std::min(idx_, tokens_.size() - 1)];
    if (t.type == Tok::kError) throw Failure{t.pos, t.val};
    if (idx_ < tokens_.size()) ++idx_;
    return t;
  }
  const Token& peek() {
    const Token& t = tokens_[std::min(idx_, tokens_.size() - 1)];
    if (t.type == Tok::kError) throw Failure{t.pos, t.val};
    return t;
  }
  const Token& next_non_space() {
    while (peek().type == Tok::kSpace)
      next();
    return next();
  }
  const Token& peek_non_space() {
    while (peek().type == Tok::kSpace)
      next();
    return peek();
  }
  void backup() { --idx_; }

  [[noreturn]] static void unexpected(const Token& t, std::string_view context) {
    throw Failure{t.pos, "unexpected " + describe_token(t) + " in " + std::string(context)};
  }
  void expect_right_delim(std::string_view context) {
    const Token& t = next_non_space();
    if (t.type != Tok::kRightDelim) unexpected(t, context);
  }

  // ---- list structure
  // Parses one text or action into `out`; returns the stop marker for {{end}} / {{else}}.
  std::optional<StopInfo> text_or_action(Node& out) {
    const Token& t = next_non_space();
    if (t.type == Tok::kText) {
      out.kind = NodeKind::kText;
      out.pos = t.pos;
      out.text = t.val;
      return std::nullopt;
    }
    if (t.type != Tok::kLeftDelim) unexpected(t, "input");
    return action(out);
  }

  std::optional<StopInfo> action(Node& out) {
    const Token& t = next_non_space();
    switch (t.type) {
      case Tok::kEnd:
        expect_right_delim("end");
        return StopInfo{Stop::kEnd, t.pos};
      case Tok::kElse: {
        const Token& p = peek_non_space();
        if (p.type == Tok::kIf || p.type == Tok::kWith) return StopInfo{Stop::kElse, t.pos, p.type};
        expect_right_delim("else");
        return StopInfo{Stop::kElse, t.pos};
      }
      case Tok::kIf:
        control(out, NodeKind::kIf, "if", t.pos);
        return std::nullopt;
      case Tok::kRange:
        control(out, NodeKind::kRange, "range", t.pos);
        return std::nullopt;
      case Tok::kWith:
        control(out, NodeKind::kWith, "with", t.pos);
        return std::nullopt;
      case Tok::kBreak:
      case Tok::kContinue: {
        std::string word = t.type == Tok::kBreak ? "{{break}}" : "{{continue}}";
        expect_right_delim(word);
        if (range_depth_ == 0) throw Failure{t.pos, word + " outside {{range}}"};
        out.kind = t.type == Tok::kBreak ? NodeKind::kBreak : NodeKind::kContinue;
        out.pos = t.pos;
        return std::nullopt;
      }
      case Tok::kTemplate:
      case Tok::kBlock:
        template_call(out, t);
        return std::nullopt;
      default:
        break;
    }
    backup();
    out.kind = NodeKind::kAction;
    out.pos = peek().pos;
    out.pipe = pipeline("command", Tok::kRightDelim);
    return std::nullopt;
  }

  // ---- named templates
  // A top-level {{define "name"}}…{{end}}: consumed into defines_. Go allows it only at the top
  // level (elsewhere `define` is an unexpected word in a command, as below).
  bool definition() {
    size_t save = idx_;
    if (peek().type != Tok::kLeftDelim) return false;
    next();
    const Token& kw = next_non_space();
    if (kw.type != Tok::kDefine) {
      idx_ = save;
      return false;
    }
    std::string name = template_name("define clause");
    expect_right_delim("define clause");
    define_body(name, kw.pos, "define");
    return true;
  }

  // The body of a define or block up to its {{end}}, in a scope of its own (only `$`).
  void define_body(const std::string& name, int keyword_pos, std::string_view opener) {
    if (++depth_ > kMaxDepth)
      throw Failure{keyword_pos, "template nesting exceeds maximum depth 100"};
    std::vector<std::string> outer = std::move(vars_);
    int outer_range = range_depth_;
    vars_ = {"$"};
    range_depth_ = 0;
    Node body;
    body.kind = NodeKind::kList;
    body.pos = keyword_pos;
    StopInfo stop = item_list(body.list, opener, keyword_pos);
    if (stop.kind != Stop::kEnd) throw Failure{stop.pos, "unexpected {{else}} in define clause"};
    vars_ = std::move(outer);
    range_depth_ = outer_range;
    --depth_;
    defines_.emplace_back(name, std::move(body));
  }

  std::string template_name(std::string_view context) {
    const Token& t = next_non_space();
    if (t.type != Tok::kString && t.type != Tok::kRawString) unexpected(t, context);
    auto s = unquote_string(t.val);
    if (!s) throw Failure{t.pos, s.error()};
    return *s;
  }

  // {{template "name"}}, {{template "name" pipeline}} and {{block "name" pipeline}}…{{end}}.
  void template_call(Node& out, const Token& kw) {
    bool block = kw.type == Tok::kBlock;
    std::string context = block ? "block clause" : "template clause";
    out.kind = NodeKind::kTemplate;
    out.pos = kw.pos;
    int name_pos = peek_non_space().pos;
    out.text = template_name(context);
    refs_.push_back({out.text, name_pos});
    if (peek_non_space().type != Tok::kRightDelim || block) {
      out.has_pipe = true;
      out.pipe = pipeline(context, Tok::kRightDelim);
    } else {
      next();
    }
    if (block) define_body(out.text, kw.pos, "block");
  }

 public:
  std::vector<std::pair<std::string, Node>> defines_;
  std::vector<TemplateRef> refs_;

 private:
  // Items up to {{end}} or {{else}}; `opener` names the block for the unclosed-block error.
  StopInfo item_list(std::vector<Node>& list, std::string_view opener, int opener_pos) {
    while (peek_non_space().type != Tok::kEof) {
      Node n;
      if (auto stop = text_or_action(n)) return *stop;
      list.push_back(std::move(n));
    }
    throw Failure{opener_pos,
                  "unexpected EOF: missing {{end}} for {{" + std::string(opener) + "}}"};
  }

  void control(Node& out, NodeKind kind, std::string_view context, int keyword_pos) {
    if (++depth_ > kMaxDepth)
      throw Failure{keyword_pos, "template nesting exceeds maximum depth 100"};
    size_t mark = vars_.size();
    out.kind = kind;
    out.pos = keyword_pos;
    out.pipe = pipeline(context, Tok::kRightDelim);
    if (kind == NodeKind::kRange) ++range_depth_;
    StopInfo stop = item_list(out.list, context, keyword_pos);
    if (kind == NodeKind::kRange) --range_depth_;
    if (stop.kind == Stop::kElse) {
      out.has_else = true;
      bool chained = (kind == NodeKind::kIf && stop.follow == Tok::kIf) ||
                     (kind == NodeKind::kWith && stop.follow == Tok::kWith);
      if (chained) {
        // {{else if x}} is {{else}}{{if x}}…{{end}}{{end}}: the inner block consumes the {{end}}.
        const Token& kw = next_non_space();
        Node inner;
        control(inner, kind, context, kw.pos);
        out.else_list.push_back(std::move(inner));
      } else {
        if (stop.follow != Tok::kRightDelim) unexpected(peek_non_space(), context);
        StopInfo end = item_list(out.else_list, context, keyword_pos);
        if (end.kind != Stop::kEnd) throw Failure{end.pos, "expected end; found {{else}}"};
      }
    }
    vars_.resize(mark);
    --depth_;
  }

  // ---- pipelines
  bool declared(const std::string& name) const {
    return std::find(vars_.begin(), vars_.end(), name) != vars_.end();
  }

  Pipe pipeline(std::string_view context, Tok end) {
    Pipe pipe;
    pipe.pos = peek_non_space().pos;
    std::vector<int> decl_pos;
    while (peek_non_space().type == Tok::kVariable) {
      size_t save = idx_;
      const Token& v = next();
      const Token& after = peek_non_space();
      if (after.type == Tok::kDeclare || after.type == Tok::kAssign) {
        pipe.is_assign = after.type == Tok::kAssign;
        next();
        pipe.decls.push_back(v.val);
        decl_pos.push_back(v.pos);
        break;
      }
      if (after.type == Tok::kChar && after.val == ",") {
        next();
        pipe.decls.push_back(v.val);
        decl_pos.push_back(v.pos);
        if (context == "range" && pipe.decls.size() < 2) {
          Tok t = peek_non_space().type;
          if (t == Tok::kVariable) continue;
          throw Failure{peek_non_space().pos, "range can only initialize variables"};
        }
        throw Failure{after.pos, "too many declarations in " + std::string(context)};
      }
      idx_ = save;  // not a declaration: the variable is an operand
      break;
    }
    if (pipe.is_assign) {
      for (size_t i = 0; i < pipe.decls.size(); ++i) {
        if (!declared(pipe.decls[i])) {
          throw Failure{decl_pos[i], "undefined variable " + go_quote(pipe.decls[i])};
        }
      }
    }
    while (true) {
      const Token& t = next_non_space();
      if (t.type == end) break;
      switch (t.type) {
        case Tok::kBool:
        case Tok::kCharConstant:
        case Tok::kDot:
        case Tok::kField:
        case Tok::kIdentifier:
        case Tok::kNumber:
        case Tok::kNil:
        case Tok::kRawString:
        case Tok::kString:
        case Tok::kVariable:
        case Tok::kLeftParen:
          backup();
          pipe.cmds.push_back(command());
          break;
        default:
          unexpected(t, context);
      }
    }
    check_pipeline(pipe, context);
    if (!pipe.is_assign) {
      for (const auto& d : pipe.decls)
        vars_.push_back(d);
    }
    return pipe;
  }

  Command command() {
    Command cmd;
    cmd.pos = peek_non_space().pos;
    while (true) {
      peek_non_space();
      if (auto op = operand()) cmd.args.push_back(std::move(*op));
      const Token& t = next();
      if (t.type == Tok::kSpace) continue;
      if (t.type == Tok::kRightDelim || t.type == Tok::kRightParen) {
        backup();
      } else if (t.type != Tok::kPipe) {
        unexpected(t, "operand");
      }
      break;
    }
    if (cmd.args.empty()) throw Failure{cmd.pos, "empty command"};
    return cmd;
  }

  std::optional<Expr> operand() {
    auto node = term();
    if (!node || peek().type != Tok::kField) return node;
    std::vector<std::string> fields;
    while (peek().type == Tok::kField)
      fields.push_back(next().val.substr(1));
    switch (node->kind) {
      case ExprKind::kField:
      case ExprKind::kVariable:
        node->fields.insert(node->fields.end(), fields.begin(), fields.end());
        return node;
      case ExprKind::kLiteral:
      case ExprKind::kNil:
      case ExprKind::kDot:
        throw Failure{node->pos, "unexpected . after term " + go_quote(node->to_string())};
      default: {
        if (node->kind == ExprKind::kIdentifier) check_arity(*node, 0);
        Expr chain;
        chain.kind = ExprKind::kChain;
        chain.pos = node->pos;
        chain.fields = std::move(fields);
        chain.base = std::make_shared<const Expr>(std::move(*node));
        return chain;
      }
    }
  }

  std::optional<Expr> term() {
    const Token& t = next_non_space();
    Expr e;
    e.pos = t.pos;
    switch (t.type) {
      case Tok::kIdentifier:
        e.kind = ExprKind::kIdentifier;
        e.name = t.val;
        e.func = find_function(t.val, funcs_);
        if (e.func == nullptr) throw Failure{t.pos, "function " + go_quote(t.val) + " not defined"};
        return e;
      case Tok::kDot:
        e.kind = ExprKind::kDot;
        return e;
      case Tok::kNil:
        e.kind = ExprKind::kNil;
        return e;
      case Tok::kVariable: {
        e.kind = ExprKind::kVariable;
        e.name = t.val;
        if (!declared(e.name)) throw Failure{t.pos, "undefined variable " + go_quote(e.name)};
        return e;
      }
      case Tok::kField:
        e.kind = ExprKind::kField;
        e.fields.push_back(t.val.substr(1));
        return e;
      case Tok::kBool:
        e.kind = ExprKind::kLiteral;
        e.text = t.val;
        e.literal = Value::boolean(t.val == "true");
        return e;
      case Tok::kNumber:
      case Tok::kCharConstant: {
        auto v = t.type == Tok::kNumber ? parse_number_literal(t.val) : parse_char_literal(t.val);
        if (!v) throw Failure{t.pos, v.error()};
        e.kind = ExprKind::kLiteral;
        e.text = t.val;
        e.literal = std::move(*v);
        return e;
      }
      case Tok::kString:
      case Tok::kRawString: {
        auto s = unquote_string(t.val);
        if (!s) throw Failure{t.pos, s.error()};
        e.kind = ExprKind::kLiteral;
        e.text = t.val;
        e.literal = Value::string(std::move(*s));
        return e;
      }
      case Tok::kLeftParen: {
        if (++depth_ > kMaxDepth)
          throw Failure{t.pos, "template nesting exceeds maximum depth 100"};
        e.kind = ExprKind::kPipe;
        e.pipe = std::make_shared<const Pipe>(pipeline("parenthesized pipeline", Tok::kRightParen));
        --depth_;
        return e;
      }
      default:
        backup();
        return std::nullopt;
    }
  }

  std::vector<Token> tokens_;
  size_t idx_ = 0;
  FuncSet funcs_;
  std::vector<std::string> vars_;  // variables in scope, innermost last
  int depth_ = 0;
  int range_depth_ = 0;
};

}  // namespace

ParsedText parse_text(std::string_view text, FuncSet funcs) {
  Parser p(text, funcs);
  ParsedText out;
  out.root = p.run();
  out.defines = std::move(p.defines_);
  out.refs = std::move(p.refs_);
  return out;
}

}  // namespace herald::tmpl
