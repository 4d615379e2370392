// The PromQL parser (promql/parser.h). A precedence-climbing parser over promql/lexer.h's
// tokens that builds the tree Prometheus's yacc grammar builds, then checks it as
// Prometheus's checkAST does. The first error ends the parse (an internal exception unwinds
// the recursion); Prometheus reports the same error first.
#include "promql/parser.h"

#include <re2/re2.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <type_traits>

#include "promql/text.h"

namespace herald::promql {
namespace {

struct Stop {};  // unwinds the recursive descent at the first error

constexpr int kPowPrec = 6;

int binary_prec(Tok t) {
  switch (t) {
    case Tok::kLor:
      return 1;
    case Tok::kLand:
    case Tok::kLunless:
      return 2;
    case Tok::kEqlc:
    case Tok::kNeq:
    case Tok::kLss:
    case Tok::kLte:
    case Tok::kGtr:
    case Tok::kGte:
      return 3;
    case Tok::kAdd:
    case Tok::kSub:
      return 4;
    case Tok::kMul:
    case Tok::kDiv:
    case Tok::kMod:
    case Tok::kAtan2:
      return 5;
    case Tok::kPow:
      return kPowPrec;
    default:
      return 0;
  }
}

// Tokens a grouping list takes as a label name (the grammar's maybe_label).
bool maybe_label(Tok t) {
  switch (t) {
    case Tok::kIdentifier:
    case Tok::kMetricIdentifier:
    case Tok::kBool:
    case Tok::kBy:
    case Tok::kGroupLeft:
    case Tok::kGroupRight:
    case Tok::kIgnoring:
    case Tok::kLand:
    case Tok::kLor:
    case Tok::kLunless:
    case Tok::kOffset:
    case Tok::kOn:
    case Tok::kStart:
    case Tok::kEnd:
    case Tok::kAtan2:
      return true;
    default:
      return is_aggregator(t);
  }
}

// Tokens that name a metric where an expression starts (the grammar's metric_identifier).
bool metric_identifier(Tok t) {
  switch (t) {
    case Tok::kIdentifier:
    case Tok::kMetricIdentifier:
    case Tok::kBy:
    case Tok::kLand:
    case Tok::kLor:
    case Tok::kLunless:
    case Tok::kOffset:
    case Tok::kWithout:
    case Tok::kStart:
    case Tok::kEnd:
      return true;
    default:
      return is_aggregator(t);
  }
}

bool is_label(std::string_view s) {
  if (s.empty() || !(s[0] == '_' || std::isalpha(static_cast<unsigned char>(s[0])))) return false;
  for (char c : s) {
    if (!(c == '_' || std::isalnum(static_cast<unsigned char>(c)))) return false;
  }
  return true;
}

// A STRING token's value. The lexer has checked every escape, so each is well formed here.
std::string unquote(std::string_view quoted) {
  const std::string_view body = quoted.substr(1, quoted.size() - 2);
  if (quoted.front() == '`') return std::string(body);
  std::string out;
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '\\') {
      out += body[i];
      continue;
    }
    const char c = body[++i];
    auto hex = [&](size_t n) {
      const uint32_t v =
          static_cast<uint32_t>(std::stoul(std::string(body.substr(i + 1, n)), nullptr, 16));
      i += n;
      return v;
    };
    switch (c) {
      case 'a':
        out += '\a';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case 'x':
        out += static_cast<char>(hex(2));
        break;
      case 'u':
        detail::append_utf8(out, hex(4));
        break;
      case 'U':
        detail::append_utf8(out, hex(8));
        break;
      default:
        if (c >= '0' && c <= '7') {
          out += static_cast<char>(std::stoul(std::string(body.substr(i, 3)), nullptr, 8));
          i += 2;
        } else {
          out += c;  // \\, \" or \'
        }
    }
  }
  return out;
}

// Prometheus's model.ParseDuration: [Ny][Nw][Nd][Nh][Nm][Ns][Nms], each at most once, in
// this order, in milliseconds.
std::optional<int64_t> duration_ms(std::string_view s, std::string& error) {
  static constexpr std::pair<std::string_view, int64_t> kUnits[] = {{"y", 365LL * 24 * 3600 * 1000},
                                                                    {"w", 7LL * 24 * 3600 * 1000},
                                                                    {"d", 24LL * 3600 * 1000},
                                                                    {"h", 3600LL * 1000},
                                                                    {"m", 60LL * 1000},
                                                                    {"s", 1000},
                                                                    {"ms", 1}};
  size_t i = 0, unit = 0;
  int64_t total = 0;
  bool overflow = false;
  while (i < s.size()) {
    size_t j = i;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9')
      ++j;
    if (j == i) break;
    const std::string_view digits = s.substr(i, j - i);
    size_t k = j;
    while (k < s.size() && std::isalpha(static_cast<unsigned char>(s[k])))
      ++k;
    const std::string_view u = s.substr(j, k - j);
    while (unit < std::size(kUnits) && kUnits[unit].first != u)
      ++unit;
    if (unit == std::size(kUnits)) break;
    const int64_t mult = kUnits[unit++].second;
    int64_t n = 0;
    for (char c : digits) {
      if (n > (std::numeric_limits<int64_t>::max() - 9) / 10) {
        overflow = true;
        break;
      }
      n = n * 10 + (c - '0');
    }
    if (overflow || n > std::numeric_limits<int64_t>::max() / 1'000'000 / mult ||
        total > std::numeric_limits<int64_t>::max() - n * mult) {
      overflow = true;
    } else {
      total += n * mult;
    }
    i = k;
  }
  if (i != s.size()) {
    error = "not a valid duration string: " + detail::quote(s);
    return std::nullopt;
  }
  if (overflow) {
    error = "duration out of range";
    return std::nullopt;
  }
  if (total == 0) {
    error = "duration must be greater than 0";
    return std::nullopt;
  }
  return total;
}

// Go's strconv.ParseInt(s, 0, 64), then ParseFloat(s, 64), as Prometheus reads a NUMBER.
std::optional<double> number_value(const std::string& s) {
  const bool hex = s.size() > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
  const bool octal =
      !hex && s.size() > 1 && s[0] == '0' && s.find_first_not_of("01234567") == std::string::npos;
  const bool decimal = !s.empty() && s.find_first_not_of("0123456789") == std::string::npos &&
                       !(s.size() > 1 && s[0] == '0');
  if (hex || octal || decimal) {
    const std::string digits = hex ? s.substr(2) : s;
    if (!digits.empty() && digits.find_first_not_of(hex ? "0123456789abcdefABCDEF"
                                                        : "0123456789") == std::string::npos) {
      errno = 0;
      char* end = nullptr;
      const long long v = std::strtoll(digits.c_str(), &end, hex ? 16 : octal ? 8 : 10);
      if (errno == 0 && *end == '\0') return static_cast<double>(v);
    }
  }
  // ParseFloat: decimal with optional fraction and exponent, or inf/nan (any case). The lexer
  // gives no sign; a hexadecimal mantissa needs a 'p' exponent, which the lexer never lets in.
  std::string lower = s;
  for (char& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "inf" || lower == "infinity") return std::numeric_limits<double>::infinity();
  if (lower == "nan") return std::numeric_limits<double>::quiet_NaN();
  if (hex || s.empty() || s.find_first_not_of("0123456789.eE+-") != std::string::npos) {
    return std::nullopt;
  }
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (*end != '\0' || end == s.c_str()) return std::nullopt;
  if (errno == ERANGE && std::isinf(v)) return std::nullopt;
  return v;
}

bool matches_empty(const LabelMatcher& m) {
  switch (m.op) {
    case MatchOp::kEqual:
      return m.value.empty();
    case MatchOp::kNotEqual:
      return !m.value.empty();
    case MatchOp::kRegex:
    case MatchOp::kNotRegex: {
      const RE2 re("^(?:" + m.value + ")$", RE2::Quiet);
      const bool full = RE2::FullMatch("", re);
      return m.op == MatchOp::kRegex ? full : !full;
    }
  }
  return false;
}

class Parser {
 public:
  explicit Parser(std::string_view in) : in_(in), toks_(lex(in)) {}

  Parsed run() {
    Parsed out;
    try {
      if (peek().kind == Tok::kEof) fail(0, "no expression found in input");
      ExprPtr e = expr(1);
      if (peek().kind != Tok::kEof) unexpected("", "");
      check(*e);
      out.expr = std::move(e);
    } catch (const Stop&) {
      out.error = error_;
    }
    return out;
  }

 private:
  // ---- tokens ----

  const Token& peek() {
    const Token& t = toks_[i_];
    if (t.kind == Tok::kError) fail(t.pos, t.text);
    return t;
  }
  const Token& peek2() {  // the token after the next (kEof at the end), never an error's
    return toks_[std::min(i_ + 1, toks_.size() - 1)];
  }
  const Token& advance() {
    const Token& t = peek();
    if (t.kind != Tok::kEof) ++i_;
    last_end_ = t.end();
    return t;
  }
  bool accept(Tok kind) {
    if (peek().kind != kind) return false;
    advance();
    return true;
  }

  [[noreturn]] void fail(size_t pos, std::string message) {
    error_ = ParseError{pos, std::move(message)};
    throw Stop{};
  }
  // Prometheus's "unexpected <token> in <context>, expected <what>".
  [[noreturn]] void unexpected(std::string_view context, std::string_view expected) {
    const Token& t = peek();
    std::string m = "unexpected " + describe(t);
    if (!context.empty()) m += " in " + std::string(context);
    if (!expected.empty()) m += ", expected " + std::string(expected);
    fail(t.pos, m);
  }

  ExprPtr make(auto node, size_t start, size_t end) {
    auto e = std::make_unique<Expr>();
    e->node = std::move(node);
    e->start = start;
    e->end = end;
    size_t below = 0;
    auto child = [&](const ExprPtr& c) {
      if (c) below = std::max(below, c->height);
    };
    std::visit(
        [&](const auto& n) {
          using T = std::decay_t<decltype(n)>;
          if constexpr (std::is_same_v<T, MatrixSelector>) child(n.vector);
          if constexpr (std::is_same_v<T, Subquery> || std::is_same_v<T, Paren> ||
                        std::is_same_v<T, Unary>) {
            child(n.expr);
          }
          if constexpr (std::is_same_v<T, Binary>) {
            child(n.lhs);
            child(n.rhs);
          }
          if constexpr (std::is_same_v<T, Aggregate>) {
            child(n.param);
            child(n.expr);
          }
          if constexpr (std::is_same_v<T, Call>) {
            for (const ExprPtr& a : n.args)
              child(a);
          }
        },
        e->node);
    e->height = below + 1;
    if (e->height > kMaxNesting) too_deep(start);
    return e;
  }

  [[noreturn]] void too_deep(size_t pos) {
    fail(pos, "expression nested more than " + std::to_string(kMaxNesting) + " levels deep");
  }

  // ---- expressions ----

  ExprPtr expr(int min_prec) {
    // The descent itself: ( ( ( … ) ) ) recurses before any node exists to measure.
    struct Depth {
      size_t& d;
      explicit Depth(size_t& depth) : d(++depth) {}
      ~Depth() { --d; }
    } depth(depth_);
    if (depth_ > kMaxNesting) too_deep(peek().pos);
    ExprPtr lhs = unary_or_operand();
    for (;;) {
      const Token op = peek();
      const int prec = binary_prec(op.kind);
      if (prec == 0 || prec < min_prec) return lhs;
      advance();
      Binary b;
      b.op = op.kind;
      b.matching = VectorMatching{};
      modifiers(b);
      b.rhs = expr(op.kind == Tok::kPow ? prec : prec + 1);  // ^ is right-associative
      const size_t start = lhs->start, end = b.rhs->end;
      b.lhs = std::move(lhs);
      lhs = make(std::move(b), start, end);
    }
  }

  // bool, on(...)/ignoring(...), group_left(...)/group_right(...) after a binary operator.
  void modifiers(Binary& b) {
    b.return_bool = accept(Tok::kBool);
    const Tok t = peek().kind;
    if (t != Tok::kOn && t != Tok::kIgnoring) return;
    advance();
    b.matching->on = t == Tok::kOn;
    b.matching->labels = grouping_labels();
    const Tok g = peek().kind;
    if (g != Tok::kGroupLeft && g != Tok::kGroupRight) return;
    advance();
    b.matching->card = g == Tok::kGroupLeft ? Cardinality::kManyToOne : Cardinality::kOneToMany;
    if (peek().kind == Tok::kLeftParen) b.matching->include = grouping_labels();
  }

  // A unary + or - binds as * does: its operand stops before any binary operator but ^.
  ExprPtr unary_or_operand() {
    const Token& t = peek();
    if (t.kind != Tok::kAdd && t.kind != Tok::kSub) return operand();
    const Tok op = t.kind;
    const size_t start = t.pos;
    advance();
    ExprPtr e = expr(kPowPrec);
    if (auto* n = e->as<NumberLiteral>()) {  // -1 is a number, not an operation
      if (op == Tok::kSub) n->value = -n->value;
      e->start = start;
      return e;
    }
    const size_t end = e->end;
    return make(Unary{op, std::move(e)}, start, end);
  }

  // A primary expression and its postfix [range], [range:step], offset and @ modifiers.
  ExprPtr operand() {
    ExprPtr e = primary();
    for (;;) {
      switch (peek().kind) {
        case Tok::kLeftBracket:
          e = range_or_subquery(std::move(e));
          break;
        case Tok::kOffset:
          offset(*e);
          break;
        case Tok::kAt:
          at(*e);
          break;
        default:
          return e;
      }
    }
  }

  ExprPtr primary() {
    const Token t = peek();
    switch (t.kind) {
      case Tok::kNumber: {
        advance();
        const std::optional<double> v = number_value(t.text);
        if (!v)
          fail(t.pos, "error parsing number: strconv.ParseFloat: parsing " + detail::quote(t.text) +
                          ": invalid syntax");
        return make(NumberLiteral{*v}, t.pos, t.end());
      }
      case Tok::kString:
        advance();
        return make(StringLiteral{unquote(t.text)}, t.pos, t.end());
      case Tok::kLeftParen: {
        advance();
        ExprPtr inner = expr(1);
        if (peek().kind != Tok::kRightParen) unexpected("paren expression", "\")\"");
        advance();
        return make(Paren{std::move(inner)}, t.pos, last_end_);
      }
      case Tok::kLeftBrace:
        return vector_selector(std::nullopt);
      default:
        break;
    }
    if (t.kind == Tok::kIdentifier && peek2().kind == Tok::kLeftParen) return call();
    if (is_aggregator(t.kind) && (peek2().kind == Tok::kLeftParen || peek2().kind == Tok::kBy ||
                                  peek2().kind == Tok::kWithout)) {
      return aggregate();
    }
    if (metric_identifier(t.kind)) return vector_selector(t);
    unexpected("", "");
  }

  ExprPtr vector_selector(std::optional<Token> name) {
    VectorSelector vs;
    size_t start = 0;
    if (name) {
      advance();
      vs.name = name->text;
      start = name->pos;
    } else {
      start = peek().pos;
    }
    if (peek().kind == Tok::kLeftBrace) label_matchers(vs.matchers);
    if (name) vs.matchers.push_back({"__name__", MatchOp::kEqual, vs.name});
    return make(std::move(vs), start, last_end_);
  }

  void label_matchers(std::vector<LabelMatcher>& out) {
    advance();  // {
    for (;;) {
      if (accept(Tok::kRightBrace)) return;
      const Token name = peek();
      if (name.kind != Tok::kIdentifier) unexpected("label matching", "identifier or \"}\"");
      advance();
      const Tok op = peek().kind;
      if (op != Tok::kEql && op != Tok::kNeq && op != Tok::kEqlRegex && op != Tok::kNeqRegex) {
        unexpected("label matching", "label matching operator");
      }
      advance();
      const Token value = peek();
      if (value.kind != Tok::kString) unexpected("label matching", "string");
      advance();
      LabelMatcher m{name.text,
                     op == Tok::kEql        ? MatchOp::kEqual
                     : op == Tok::kNeq      ? MatchOp::kNotEqual
                     : op == Tok::kEqlRegex ? MatchOp::kRegex
                                            : MatchOp::kNotRegex,
                     unquote(value.text)};
      if (m.op == MatchOp::kRegex || m.op == MatchOp::kNotRegex) {
        const RE2 re("^(?:" + m.value + ")$", RE2::Quiet);
        if (!re.ok()) fail(name.pos, "error parsing regexp: " + re.error());
      }
      out.push_back(std::move(m));
      if (accept(Tok::kComma)) continue;
      if (peek().kind == Tok::kRightBrace) continue;
      unexpected("label matching", "\",\" or \"}\"");
    }
  }

  // The arguments of a call or an aggregation: "(" [expr {"," expr}] ")".
  std::vector<ExprPtr> call_args() {
    advance();  // (
    std::vector<ExprPtr> args;
    if (accept(Tok::kRightParen)) return args;
    for (;;) {
      args.push_back(expr(1));
      if (peek().kind == Tok::kComma) {
        const size_t comma = peek().pos;
        advance();
        if (peek().kind == Tok::kRightParen) {
          fail(comma, "trailing commas not allowed in function call args");
        }
        continue;
      }
      if (accept(Tok::kRightParen)) return args;
      unexpected("", "");
    }
  }

  ExprPtr call() {
    const Token name = advance();
    std::vector<ExprPtr> args = call_args();
    const Function* f = find_function(name.text);
    if (f == nullptr) fail(name.pos, "unknown function with name " + detail::quote(name.text));
    return make(Call{f, std::move(args)}, name.pos, last_end_);
  }

  std::vector<std::string> grouping_labels() {
    if (peek().kind != Tok::kLeftParen) unexpected("grouping opts", "\"(\"");
    advance();
    std::vector<std::string> out;
    for (;;) {
      if (accept(Tok::kRightParen)) return out;
      const Token l = peek();
      if (!maybe_label(l.kind) || !is_label(l.text)) unexpected("grouping opts", "label");
      advance();
      out.push_back(l.text);
      if (accept(Tok::kComma)) continue;
      if (peek().kind == Tok::kRightParen) continue;
      unexpected("grouping opts", "\",\" or \")\"");
    }
  }

  ExprPtr aggregate() {
    const Token op = advance();
    Aggregate a;
    a.op = op.kind;
    bool modified = false;
    auto modifier = [&] {
      a.without = advance().kind == Tok::kWithout;
      a.grouping = grouping_labels();
      modified = true;
    };
    if (peek().kind == Tok::kBy || peek().kind == Tok::kWithout) modifier();
    if (peek().kind != Tok::kLeftParen) unexpected("aggregation", "");
    std::vector<ExprPtr> args = call_args();
    if (!modified && (peek().kind == Tok::kBy || peek().kind == Tok::kWithout)) modifier();
    if (args.empty()) fail(op.pos, "no arguments for aggregate expression provided");
    const size_t want = is_aggregator_with_param(op.kind) ? 2 : 1;
    if (args.size() != want) {
      fail(op.pos, "wrong number of arguments for aggregate expression provided, expected " +
                       std::to_string(want) + ", got " + std::to_string(args.size()));
    }
    if (want == 2) a.param = std::move(args[0]);
    a.expr = std::move(args.back());
    return make(std::move(a), op.pos, last_end_);
  }

  int64_t duration(std::string_view context, std::string_view expected) {
    const Token d = peek();
    if (d.kind != Tok::kDuration) unexpected(context, expected);
    advance();
    std::string error;
    const std::optional<int64_t> ms = duration_ms(d.text, error);
    if (!ms) fail(d.pos, error);
    return *ms;
  }

  ExprPtr range_or_subquery(ExprPtr e) {
    const size_t bracket = peek().pos;
    advance();  // [
    const int64_t range = duration("subquery selector", "duration");
    if (accept(Tok::kRightBracket)) {
      const auto* vs = e->as<VectorSelector>();
      if (vs == nullptr) fail(bracket, "ranges only allowed for vector selectors");
      if (vs->offset_ms != 0) fail(bracket, "no offset modifiers allowed before range");
      if (vs->at.set()) fail(bracket, "no @ modifiers allowed before range");
      const size_t start = e->start;
      return make(MatrixSelector{std::move(e), range}, start, last_end_);
    }
    if (!accept(Tok::kColon)) unexpected("subquery or range", "\":\" or \"]\"");
    int64_t step = 0;
    if (peek().kind == Tok::kDuration) step = duration("", "");
    if (!accept(Tok::kRightBracket)) {
      unexpected("subquery selector", step == 0 ? "duration or \"]\"" : "\"]\"");
    }
    const size_t start = e->start;
    return make(Subquery{std::move(e), range, step, 0, {}}, start, last_end_);
  }

  // The offset and @ fields of what a modifier applies to, or an error.
  struct Modifiable {
    int64_t* offset_ms;
    AtModifier* at;
  };
  Modifiable modifiable(Expr& e, const char* what) {
    if (auto* vs = e.as<VectorSelector>()) return {&vs->offset_ms, &vs->at};
    if (auto* ms = e.as<MatrixSelector>()) {
      auto* vs = ms->vector->as<VectorSelector>();
      return {&vs->offset_ms, &vs->at};
    }
    if (auto* sq = e.as<Subquery>()) return {&sq->offset_ms, &sq->at};
    fail(e.start, std::string(what) +
                      " modifier must be preceded by an instant vector selector or range vector "
                      "selector or a subquery");
  }

  void offset(Expr& e) {
    advance();  // offset
    const bool negative = accept(Tok::kSub);
    const int64_t d = duration("offset", "duration");
    const Modifiable m = modifiable(e, "offset");
    if (*m.offset_ms != 0) fail(e.start, "offset may not be set multiple times");
    *m.offset_ms = negative ? -d : d;
    e.end = last_end_;
  }

  void at(Expr& e) {
    advance();  // @
    const Tok t = peek().kind;
    AtModifier value;
    if (t == Tok::kStart || t == Tok::kEnd) {
      advance();
      if (!accept(Tok::kLeftParen) || !accept(Tok::kRightParen)) unexpected("@", "\"(\"");
      value.start_or_end = t;
    } else {
      const bool negative = t == Tok::kSub;
      if (t == Tok::kAdd || t == Tok::kSub) advance();
      const Token n = peek();
      if (n.kind != Tok::kNumber) unexpected("@", "timestamp");
      advance();
      const std::optional<double> v = number_value(n.text);
      if (!v)
        fail(n.pos, "error parsing number: strconv.ParseFloat: parsing " + detail::quote(n.text) +
                        ": invalid syntax");
      const double ts = negative ? -*v : *v;
      if (std::isinf(ts) || std::isnan(ts) || ts >= 9.2233720368547758e18 ||
          ts <= -9.2233720368547758e18) {
        char text[400];
        std::snprintf(text, sizeof text, "%f", ts);
        fail(e.start, "timestamp out of bounds for @ modifier: " +
                          (std::isnan(ts)   ? std::string("NaN")
                           : std::isinf(ts) ? std::string(ts > 0 ? "+Inf" : "-Inf")
                                            : std::string(text)));
      }
      // Milliseconds, as Go's int64(math.Round(ts*1000)); a product past int64's range converts
      // to its minimum there (amd64), which is also what the printer then shows.
      const double ms = std::round(ts * 1000);
      value.timestamp_ms = std::abs(ms) < 9.2233720368547758e18
                               ? static_cast<int64_t>(ms)
                               : std::numeric_limits<int64_t>::min();
    }
    const Modifiable m = modifiable(e, "@");
    if (m.at->set()) fail(e.start, "@ <timestamp> may not be set multiple times");
    *m.at = value;
    e.end = last_end_;
  }

  // ---- checks after parsing (Prometheus's checkAST) ----

  void expect_type(Expr& e, ValueType want, const std::string& context) {
    check(e);
    if (e.type() != want) {
      fail(e.start, "expected type " + std::string(documented(want)) + " in " + context + ", got " +
                        std::string(documented(e.type())));
    }
  }

  // Where a binary expression's operator is: after the left side's trailing space.
  size_t operator_pos(const Binary& b) const {
    size_t p = b.lhs->end;
    while (p < in_.size() &&
           (in_[p] == ' ' || in_[p] == '\t' || in_[p] == '\n' || in_[p] == '\r')) {
      ++p;
    }
    return p;
  }

  void check(Expr& e) {
    if (auto* a = e.as<Aggregate>()) {
      expect_type(*a->expr, ValueType::kVector, "aggregation expression");
      if (a->op == Tok::kTopk || a->op == Tok::kBottomk || a->op == Tok::kQuantile) {
        expect_type(*a->param, ValueType::kScalar, "aggregation parameter");
      }
      if (a->op == Tok::kCountValues) {
        expect_type(*a->param, ValueType::kString, "aggregation parameter");
      }
    } else if (auto* b = e.as<Binary>()) {
      check_binary(e, *b);
    } else if (auto* c = e.as<Call>()) {
      check_call(e, *c);
    } else if (auto* p = e.as<Paren>()) {
      check(*p->expr);
    } else if (auto* u = e.as<Unary>()) {
      check(*u->expr);
      const ValueType t = u->expr->type();
      if (t != ValueType::kScalar && t != ValueType::kVector) {
        fail(e.start,
             "unary expression only allowed on expressions of type scalar or instant "
             "vector, got \"" +
                 std::string(documented(t)) + "\"");
      }
    } else if (auto* s = e.as<Subquery>()) {
      check(*s->expr);
      if (s->expr->type() != ValueType::kVector) {
        static constexpr std::string_view kNames[] = {"none", "scalar", "vector", "matrix",
                                                      "string"};
        fail(e.start, "subquery is only allowed on instant vector, got " +
                          std::string(kNames[static_cast<int>(s->expr->type())]) + " instead");
      }
    } else if (auto* m = e.as<MatrixSelector>()) {
      check(*m->vector);
    } else if (const auto* vs = e.as<VectorSelector>()) {
      check_selector(e, *vs);
    }
  }

  void check_binary(const Expr& e, Binary& b) {
    check(*b.lhs);
    check(*b.rhs);
    const ValueType lt = b.lhs->type(), rt = b.rhs->type();
    const std::string op(b.op == Tok::kLand      ? "and"
                         : b.op == Tok::kLor     ? "or"
                         : b.op == Tok::kLunless ? "unless"
                                                 : "");
    if (b.return_bool && !is_comparison(b.op)) {
      fail(operator_pos(b), "bool modifier can only be used on comparison operators");
    }
    if (is_comparison(b.op) && !b.return_bool && lt == ValueType::kScalar &&
        rt == ValueType::kScalar) {
      fail(operator_pos(b), "comparisons between scalars must use BOOL modifier");
    }
    if (is_set_operator(b.op) && b.matching->card == Cardinality::kOneToOne) {
      b.matching->card = Cardinality::kManyToMany;
    }
    if (b.matching->on) {
      for (const std::string& l : b.matching->labels) {
        for (const std::string& g : b.matching->include) {
          if (l == g) {
            fail(operator_pos(b), "label " + detail::quote(l) +
                                      " must not occur in ON and GROUP "
                                      "clause at once");
          }
        }
      }
    }
    if (lt != ValueType::kScalar && lt != ValueType::kVector) {
      fail(b.lhs->start, "binary expression must contain only scalar and instant vector types");
    }
    if (rt != ValueType::kScalar && rt != ValueType::kVector) {
      fail(b.rhs->start, "binary expression must contain only scalar and instant vector types");
    }
    if (lt != ValueType::kVector || rt != ValueType::kVector) {
      if (!b.matching->labels.empty()) {
        fail(e.start, "vector matching only allowed between instant vectors");
      }
      b.matching.reset();
    } else if (is_set_operator(b.op) && (b.matching->card == Cardinality::kOneToMany ||
                                         b.matching->card == Cardinality::kManyToOne)) {
      fail(e.start, "no grouping allowed for " + detail::quote(op) + " operation");
    }
    if ((lt == ValueType::kScalar || rt == ValueType::kScalar) && is_set_operator(b.op)) {
      fail(e.start,
           "set operator " + detail::quote(op) + " not allowed in binary scalar expression");
    }
  }

  void check_call(const Expr& e, Call& c) {
    const Function& f = *c.func;
    const size_t nargs = f.arg_types.size();
    const std::string name = detail::quote(f.name);
    if (f.variadic == 0) {
      if (nargs != c.args.size()) {
        fail(e.start, "expected " + std::to_string(nargs) + " argument(s) in call to " + name +
                          ", got " + std::to_string(c.args.size()));
      }
    } else {
      const size_t min = nargs - 1;
      if (min > c.args.size()) {
        fail(e.start, "expected at least " + std::to_string(min) + " argument(s) in call to " +
                          name + ", got " + std::to_string(c.args.size()));
      }
      if (f.variadic > 0 && min + static_cast<size_t>(f.variadic) < c.args.size()) {
        fail(e.start, "expected at most " + std::to_string(min + f.variadic) +
                          " argument(s) in call to " + name + ", got " +
                          std::to_string(c.args.size()));
      }
    }
    for (size_t i = 0; i < c.args.size(); ++i) {
      size_t k = i;
      if (k >= nargs) {
        if (f.variadic == 0) break;
        k = nargs - 1;
      }
      expect_type(*c.args[i], f.arg_types[k], "call to function " + name);
    }
  }

  void check_selector(const Expr& e, const VectorSelector& vs) {
    if (!vs.name.empty()) {
      for (size_t i = 0; i + 1 < vs.matchers.size(); ++i) {
        if (vs.matchers[i].name == "__name__") {
          fail(e.start, "metric name must not be set twice: " + detail::quote(vs.name) + " or " +
                            detail::quote(vs.matchers[i].value));
        }
      }
      return;
    }
    for (const LabelMatcher& m : vs.matchers) {
      if (!matches_empty(m)) return;
    }
    fail(e.start, "vector selector must contain at least one non-empty matcher");
  }

  std::string_view in_;
  std::vector<Token> toks_;
  size_t i_ = 0;
  size_t last_end_ = 0;
  size_t depth_ = 0;  // expr() calls in progress
  ParseError error_;
};

}  // namespace

std::string ParseError::describe(std::string_view expr) const {
  size_t line = 1, line_start = 0;
  for (size_t i = 0; i < pos && i < expr.size(); ++i) {
    if (expr[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return std::to_string(line) + ":" + std::to_string(pos - line_start + 1) +
         ": parse error: " + message;
}

Parsed parse(std::string_view expr) {
  return Parser(expr).run();
}

}  // namespace herald::promql
