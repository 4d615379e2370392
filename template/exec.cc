// The template executor, following Go's text/template/exec.go: a tree walk with a variable
// stack, missingkey=zero map lookups, lazy and/or, and errors located at the failing node.
// Failures unwind with an internal exception caught in execute().
#include <algorithm>
#include <utility>

#include "model/labels.h"
#include "template/ast.h"
#include "template/execute.h"
#include "template/functions.h"
#include "template/go_strings.h"
#include "template/methods.h"

namespace herald::tmpl {
namespace {

constexpr size_t kMaxOutput = 4 << 20;
constexpr size_t kMaxSteps = 2'000'000;
constexpr int kMaxTemplateDepth = 1000;  // {{template}} recursion; Go allows 100000 (stack)

struct ExecFailure {
  int pos;
  std::string context;
  std::string message;
  const Source* source;   // the text `pos` indexes
  std::string executing;  // the template being executed
};

enum class Flow { kNormal, kBreak, kContinue };

using Args = std::vector<const Expr*>;

class Executor {
 public:
  Executor(const Template& top, const ExecEnv& env)
      : top_(top),
        env_(env),
        call_env_{env.query, env.external_url},
        source_(top.source().get()),
        executing_(&top.name()) {}

  std::string run(const Value& dot) {
    vars_.emplace_back("$", dot);
    for (const auto& v : env_.variables)
      vars_.push_back(v);
    walk(top_.root(), dot);
    return std::move(out_);
  }

 private:
  [[noreturn]] void fail(int pos, std::string context, std::string message) const {
    throw ExecFailure{pos, std::move(context), std::move(message), source_, *executing_};
  }

  void step(int pos) {
    if (++steps_ > kMaxSteps) fail(pos, "", "template execution exceeds the step limit");
  }

  void emit(const std::string& s, int pos) {
    if (out_.size() + s.size() > kMaxOutput) fail(pos, "", "template output exceeds 4 MiB");
    out_ += s;
  }

  void emit_value(const Value& v, int pos) {
    bool safe = v.go_type() != nullptr && std::string_view(v.go_type()) == "template.HTML";
    // html/template's escaping of a value in HTML text: what an Alertmanager `html` field gets
    // for every action whose value is not already template.HTML (safeHtml).
    emit(env_.html && !safe ? html_escape(print_action_value(v), true) : print_action_value(v),
         pos);
  }

  // Go's walkTemplate: the callee sees only `$` (its dot), and errors inside it are located in
  // the text that defined it.
  void walk_template(const Node& n, const Value& dot) {
    auto it = top_.definitions().find(n.text);
    if (it == top_.definitions().end())
      fail(n.pos, "{{template " + go_quote(n.text) + "}}",
           "template " + go_quote(n.text) + " not defined");
    if (depth_ >= kMaxTemplateDepth)
      fail(n.pos, "",
           "exceeded maximum template depth (" + std::to_string(kMaxTemplateDepth) + ")");
    Value callee_dot = n.has_pipe ? eval_pipeline(n.pipe, dot) : Value();
    std::vector<std::pair<std::string, Value>> saved_vars;
    saved_vars.swap(vars_);
    vars_.emplace_back("$", callee_dot);
    const Source* saved_source = source_;
    const std::string* saved_executing = executing_;
    source_ = it->second.source.get();
    executing_ = &it->first;
    ++depth_;
    walk(*it->second.root, callee_dot);
    --depth_;
    source_ = saved_source;
    executing_ = saved_executing;
    vars_.swap(saved_vars);
  }

  Flow walk_list(const std::vector<Node>& list, const Value& dot) {
    for (const auto& n : list) {
      Flow f = walk(n, dot);
      if (f != Flow::kNormal) return f;
    }
    return Flow::kNormal;
  }

  Flow walk(const Node& n, const Value& dot) {
    step(n.pos);
    switch (n.kind) {
      case NodeKind::kList:
        return walk_list(n.list, dot);
      case NodeKind::kText:
        emit(n.text, n.pos);
        return Flow::kNormal;
      case NodeKind::kAction: {
        Value v = eval_pipeline(n.pipe, dot);
        if (n.pipe.decls.empty()) emit_value(v, n.pos);
        return Flow::kNormal;
      }
      case NodeKind::kTemplate: {
        size_t mark = vars_.size();
        walk_template(n, dot);
        vars_.resize(mark);
        return Flow::kNormal;
      }
      case NodeKind::kIf:
      case NodeKind::kWith: {
        size_t mark = vars_.size();
        Value v = eval_pipeline(n.pipe, dot);
        Flow f = Flow::kNormal;
        if (v.truthy()) {
          f = walk_list(n.list, n.kind == NodeKind::kWith ? v : dot);
        } else if (n.has_else) {
          f = walk_list(n.else_list, dot);
        }
        vars_.resize(mark);
        return f;
      }
      case NodeKind::kRange: {
        size_t mark = vars_.size();
        walk_range(n, dot);
        vars_.resize(mark);
        return Flow::kNormal;
      }
      case NodeKind::kBreak:
        return Flow::kBreak;
      case NodeKind::kContinue:
        return Flow::kContinue;
    }
    return Flow::kNormal;
  }

  // One pass of a range body; returns false on {{break}}.
  bool iteration(const Node& n, const Value& index, const Value& elem) {
    const Pipe& p = n.pipe;
    if (!p.decls.empty()) {
      if (p.is_assign) {
        set_var(p.decls[0], p.decls.size() > 1 ? index : elem, n.pos);
        if (p.decls.size() > 1) set_var(p.decls[1], elem, n.pos);
      } else {
        vars_[vars_.size() - 1].second = elem;
        if (p.decls.size() > 1) vars_[vars_.size() - 2].second = index;
      }
    }
    size_t mark = vars_.size();
    Flow f = walk_list(n.list, elem);
    vars_.resize(mark);
    return f != Flow::kBreak;
  }

  void walk_range(const Node& n, const Value& dot) {
    Value v = eval_pipeline(n.pipe, dot);
    bool ran = false;
    switch (v.kind()) {
      case Value::Kind::kList:
        for (size_t i = 0; i < v.as_list().size(); ++i) {
          ran = true;
          if (!iteration(n, Value::integer(static_cast<int64_t>(i)), v.as_list()[i])) break;
        }
        break;
      case Value::Kind::kMap:
        for (const auto& [k, e] : v.as_map()) {
          ran = true;
          if (!iteration(n, Value::string(k), e)) break;
        }
        break;
      case Value::Kind::kInt:
        if (n.pipe.decls.size() > 1) {
          fail(n.pos, "range",
               "can't use " + format_value(v) + " to iterate over more than one variable");
        }
        for (int64_t i = 0; i < v.as_int(); ++i) {
          ran = true;
          step(n.pos);
          if (!iteration(n, Value::integer(i), Value::integer(i))) break;
        }
        break;
      case Value::Kind::kNil:
        break;
      default:
        fail(n.pos, "range", "range can't iterate over " + format_value(v));
    }
    if (!ran && n.has_else) walk_list(n.else_list, dot);
  }

  const Value& lookup(const std::string& name, int pos) {
    for (size_t i = vars_.size(); i-- > 0;) {
      if (vars_[i].first == name) return vars_[i].second;
    }
    fail(pos, name, "undefined variable: " + name);
  }

  void set_var(const std::string& name, Value v, int pos) {
    for (size_t i = vars_.size(); i-- > 0;) {
      if (vars_[i].first == name) {
        vars_[i].second = std::move(v);
        return;
      }
    }
    fail(pos, name, "undefined variable: " + name);
  }

  Value eval_pipeline(const Pipe& p, const Value& dot) {
    Value result;
    for (size_t i = 0; i < p.cmds.size(); ++i) {
      // Each command after the first receives the previous result as its final argument.
      result = eval_command(p.cmds[i], dot, i > 0 ? &result : nullptr);
    }
    for (const auto& d : p.decls) {
      if (p.is_assign) {
        set_var(d, result, p.pos);
      } else {
        vars_.emplace_back(d, result);
      }
    }
    return result;
  }

  Value eval_command(const Command& cmd, const Value& dot, const Value* final) {
    step(cmd.pos);
    const Expr& head = cmd.args[0];
    Args args;
    for (size_t i = 1; i < cmd.args.size(); ++i)
      args.push_back(&cmd.args[i]);
    switch (head.kind) {
      case ExprKind::kField:
        return eval_field_chain(dot, dot, head, head.fields, args, final);
      case ExprKind::kChain:
        return eval_field_chain(dot, eval_arg(*head.base, dot), head, head.fields, args, final);
      case ExprKind::kIdentifier:
        return eval_function(dot, head, cmd.pos, cmd.to_string(), args, final);
      case ExprKind::kVariable: {
        const Value& v = lookup(head.name, head.pos);
        if (head.fields.empty()) return v;
        return eval_field_chain(dot, v, head, head.fields, args, final);
      }
      case ExprKind::kPipe:
        return eval_pipeline(*head.pipe, dot);
      case ExprKind::kDot:
        return dot;
      case ExprKind::kLiteral:
        return head.literal;
      case ExprKind::kNil:
        break;
    }
    fail(cmd.pos, cmd.to_string(), "nil is not a command");
  }

  Value eval_arg(const Expr& e, const Value& dot) {
    switch (e.kind) {
      case ExprKind::kDot:
        return dot;
      case ExprKind::kNil:
        return Value();
      case ExprKind::kLiteral:
        return e.literal;
      case ExprKind::kField:
        return eval_field_chain(dot, dot, e, e.fields, {}, nullptr);
      case ExprKind::kVariable: {
        const Value& v = lookup(e.name, e.pos);
        return e.fields.empty() ? v : eval_field_chain(dot, v, e, e.fields, {}, nullptr);
      }
      case ExprKind::kChain:
        return eval_field_chain(dot, eval_arg(*e.base, dot), e, e.fields, {}, nullptr);
      case ExprKind::kPipe:
        return eval_pipeline(*e.pipe, dot);
      case ExprKind::kIdentifier:
        return eval_function(dot, e, e.pos, e.to_string(), {}, nullptr);
    }
    return Value();
  }

  Value eval_function(const Value& dot, const Expr& ident, int pos, const std::string& context,
                      const Args& args, const Value* final) {
    const FuncInfo& f = *ident.func;
    int nargs = static_cast<int>(args.size()) + (final ? 1 : 0);
    if (nargs < f.min_args || (f.max_args >= 0 && nargs > f.max_args)) {
      fail(pos, context,
           "wrong number of args for " + std::string(f.name));  // parse() prevents this
    }
    if (f.impl == nullptr) {  // and / or: stop at the first deciding value
      bool is_or = f.name == "or";
      Value v;
      for (const Expr* a : args) {
        v = eval_arg(*a, dot);
        if (v.truthy() == is_or) return v;
      }
      return final ? *final : v;
    }
    std::vector<Value> vals;
    vals.reserve(static_cast<size_t>(nargs));
    for (const Expr* a : args)
      vals.push_back(eval_arg(*a, dot));
    if (final) vals.push_back(*final);
    CallResult r = f.impl(vals, call_env_);
    if (!r) {
      const CallError& e = r.error();
      fail(pos, context,
           e.wrap ? "error calling " + std::string(f.name) + ": " + e.message : e.message);
    }
    return std::move(*r);
  }

  Value eval_field_chain(const Value& dot, Value receiver, const Expr& node,
                         const std::vector<std::string>& fields, const Args& args,
                         const Value* final) {
    for (size_t i = 0; i + 1 < fields.size(); ++i) {
      receiver = eval_field(dot, fields[i], node, {}, nullptr, receiver);
    }
    return eval_field(dot, fields.back(), node, args, final, receiver);
  }

  Value eval_field(const Value& dot, const std::string& name, const Expr& node, const Args& args,
                   const Value* final, const Value& receiver) {
    bool has_args = !args.empty() || final != nullptr;
    auto no_args = [&](const char* why) {
      if (has_args) fail(node.pos, node.to_string(), name + why);
    };
    // Go looks for a method first, then a field or map key.
    if (const MethodInfo* m = find_method(receiver, name))
      return call_method(*m, dot, node, args, final, receiver);
    switch (receiver.kind()) {
      case Value::Kind::kNil:
        return Value();  // missingkey=zero: a missing value stays missing
      case Value::Kind::kMap: {
        no_args(" is not a method but has arguments");
        auto it = receiver.as_map().find(name);
        if (it != receiver.as_map().end()) return it->second;
        return receiver.map_elem() == Value::MapElem::kString ? Value::string("") : Value();
      }
      case Value::Kind::kStruct:
        for (const auto& [field_name, v] : receiver.struct_fields()) {
          if (field_name == name && name[0] != '_') {
            no_args(" has arguments but cannot be invoked as function");
            return v;
          }
        }
        break;
      case Value::Kind::kSample:
        no_args(" has arguments but cannot be invoked as function");
        if (name == "Labels") return Value::string_map(receiver.as_sample().labels);
        if (name == "Value") return Value::floating(receiver.as_sample().value);
        break;
      default:
        break;
    }
    fail(node.pos, node.to_string(),
         "can't evaluate field " + name + " in type " + receiver.type_name());
  }

  Value call_method(const MethodInfo& m, const Value& dot, const Expr& node, const Args& args,
                    const Value* final, const Value& receiver) {
    std::vector<Value> vals;
    for (const Expr* a : args)
      vals.push_back(eval_arg(*a, dot));
    if (final) vals.push_back(*final);
    if (static_cast<int>(vals.size()) != m.nargs) {
      fail(node.pos, node.to_string(),
           "wrong number of args for " + std::string(m.name) + ": want " + std::to_string(m.nargs) +
               " got " + std::to_string(vals.size()));
    }
    CallResult r = m.impl(receiver, vals);
    if (!r) {
      const CallError& e = r.error();
      fail(node.pos, node.to_string(),
           e.wrap ? "error calling " + std::string(m.name) + ": " + e.message : e.message);
    }
    return std::move(*r);
  }

  const Template& top_;
  const ExecEnv& env_;
  CallEnv call_env_;
  const Source* source_;          // the text of the template being executed
  const std::string* executing_;  // its name
  int depth_ = 0;                 // {{template}} nesting
  std::vector<std::pair<std::string, Value>> vars_;
  std::string out_;
  size_t steps_ = 0;
};

std::string locate(const ExecFailure& f) {
  std::string_view text = f.source->text;
  size_t pos = std::min(static_cast<size_t>(std::max(f.pos, 0)), text.size());
  int line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < pos; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  size_t col = pos - line_start;  // Go prints a 0-based byte offset within the line
  std::string location = f.source->name + ":" + std::to_string(line) + ":" + std::to_string(col);
  if (f.context.empty()) return "template: " + location + ": " + f.message;
  std::string context = f.context;
  if (context.size() > 20) context = context.substr(0, 20) + "...";
  return "template: " + location + ": executing \"" + f.executing + "\" at <" + context +
         ">: " + f.message;
}

}  // namespace

Result<std::string> execute(const Template& t, const Value& dot, const ExecEnv& env) {
  try {
    Executor ex(t, env);
    return ex.run(dot);
  } catch (const ExecFailure& f) {
    return invalid_input(locate(f));
  } catch (const std::exception& e) {
    return make_error(ErrorCode::kInternal, std::string("template: ") + t.name() + ": " + e.what());
  }
}

}  // namespace herald::tmpl
