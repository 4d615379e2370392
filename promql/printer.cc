// The normal-form printer (promql/printer.h), after Prometheus 2.42's promql/parser/printer.go.
#include "promql/printer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <vector>

#include "model/go_json.h"

namespace herald::promql {
namespace {

// Go's strconv.Quote: printable UTF-8 as it is, the usual escapes, \xNN for a byte that is not
// UTF-8, \u / \U for a rune that does not print (controls, C1, line separators, BOM).
std::string go_quote(std::string_view s) {
  std::string out = "\"";
  char buf[16];
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '\a':
        out += "\\a";
        ++i;
        continue;
      case '\b':
        out += "\\b";
        ++i;
        continue;
      case '\f':
        out += "\\f";
        ++i;
        continue;
      case '\n':
        out += "\\n";
        ++i;
        continue;
      case '\r':
        out += "\\r";
        ++i;
        continue;
      case '\t':
        out += "\\t";
        ++i;
        continue;
      case '\v':
        out += "\\v";
        ++i;
        continue;
      case '\\':
        out += "\\\\";
        ++i;
        continue;
      case '"':
        out += "\\\"";
        ++i;
        continue;
      default:
        break;
    }
    if (c < 0x20 || c == 0x7f) {
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
      ++i;
      continue;
    }
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    char32_t r = 0;
    const size_t n = utf8_sequence(s.substr(i), r);
    const bool valid = n != 0;
    if (!valid) {
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
      ++i;
      continue;
    }
    const bool prints = !(r < 0xa0 || r == 0xad || r == 0x2028 || r == 0x2029 || r == 0xfeff);
    if (prints) {
      out.append(s.substr(i, n));
    } else {
      std::snprintf(buf, sizeof buf, r < 0x10000 ? "\\u%04x" : "\\U%08x", r);
      out += buf;
    }
    i += n;
  }
  return out + "\"";
}

std::string at_text(const AtModifier& at) {
  if (at.timestamp_ms) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " @ %.3f", static_cast<double>(*at.timestamp_ms) / 1000.0);
    return buf;
  }
  if (at.start_or_end == Tok::kStart) return " @ start()";
  if (at.start_or_end == Tok::kEnd) return " @ end()";
  return "";
}

std::string offset_text(int64_t ms) {
  if (ms > 0) return " offset " + format_duration_ms(ms);
  if (ms < 0) return " offset -" + format_duration_ms(-ms);
  return "";
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i)
    out += (i ? ", " : "") + v[i];
  return out;
}

std::string selector_text(const VectorSelector& vs) {
  std::vector<std::string> labels;
  for (const LabelMatcher& m : vs.matchers) {
    if (m.name == "__name__" && m.op == MatchOp::kEqual && m.value == vs.name) continue;
    static constexpr std::string_view kOps[] = {"=", "!=", "=~", "!~"};
    labels.push_back(m.name + std::string(kOps[static_cast<int>(m.op)]) + go_quote(m.value));
  }
  if (labels.empty()) return vs.name;
  std::sort(labels.begin(), labels.end());
  std::string out = vs.name + "{";
  for (size_t i = 0; i < labels.size(); ++i)
    out += (i ? "," : "") + labels[i];
  return out + "}";
}

std::string_view op_string(Tok t) {
  const std::string_view s = op_text(t);
  return s;
}

}  // namespace

std::string format_duration_ms(int64_t ms) {
  if (ms == 0) return "0s";
  std::string out;
  auto unit = [&](std::string_view name, int64_t mult, bool exact) {
    if (exact && ms % mult != 0) return;
    if (const int64_t v = ms / mult; v > 0) {
      out += std::to_string(v) + std::string(name);
      ms -= v * mult;
    }
  };
  unit("y", 1000LL * 60 * 60 * 24 * 365, true);
  unit("w", 1000LL * 60 * 60 * 24 * 7, true);
  unit("d", 1000LL * 60 * 60 * 24, false);
  unit("h", 1000LL * 60 * 60, false);
  unit("m", 1000LL * 60, false);
  unit("s", 1000, false);
  unit("ms", 1, false);
  return out;
}

std::string format_number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == 0) return std::signbit(v) ? "-0" : "0";
  // The shortest digits that round-trip, then Go's %v layout: an exponent when it is below -4
  // or at least 21.
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  const std::string sci(buf, r.ptr);  // e.g. -1.5e+03
  const size_t e = sci.find('e');
  std::string mantissa = sci.substr(0, e);
  const int exp = std::stoi(sci.substr(e + 1));
  const bool negative = mantissa[0] == '-';
  if (negative) mantissa.erase(0, 1);
  std::string digits;
  for (char c : mantissa) {
    if (c != '.') digits += c;
  }
  std::string out;
  if (exp < -4 || exp >= 21) {
    out = digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char ebuf[16];
    std::snprintf(ebuf, sizeof ebuf, "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
    out += ebuf;
  } else if (exp < 0) {
    out = "0." + std::string(static_cast<size_t>(-exp - 1), '0') + digits;
  } else if (static_cast<size_t>(exp) + 1 >= digits.size()) {
    out = digits + std::string(static_cast<size_t>(exp) + 1 - digits.size(), '0');
  } else {
    out = digits.substr(0, static_cast<size_t>(exp) + 1) + "." +
          digits.substr(static_cast<size_t>(exp) + 1);
  }
  return negative ? "-" + out : out;
}

std::string print(const Expr& e) {
  struct Visitor {
    std::string operator()(const NumberLiteral& n) const { return format_number(n.value); }
    std::string operator()(const StringLiteral& s) const { return go_quote(s.value); }
    std::string operator()(const VectorSelector& vs) const {
      return selector_text(vs) + at_text(vs.at) + offset_text(vs.offset_ms);
    }
    std::string operator()(const MatrixSelector& m) const {
      const auto& vs = *m.vector->as<VectorSelector>();
      return selector_text(vs) + "[" + format_duration_ms(m.range_ms) + "]" + at_text(vs.at) +
             offset_text(vs.offset_ms);
    }
    std::string operator()(const Subquery& s) const {
      return print(*s.expr) + "[" + format_duration_ms(s.range_ms) + ":" +
             (s.step_ms != 0 ? format_duration_ms(s.step_ms) : "") + "]" + at_text(s.at) +
             offset_text(s.offset_ms);
    }
    std::string operator()(const Paren& p) const { return "(" + print(*p.expr) + ")"; }
    std::string operator()(const Unary& u) const {
      return std::string(op_string(u.op)) + print(*u.expr);
    }
    std::string operator()(const Binary& b) const {
      std::string matching;
      if (b.matching && (!b.matching->labels.empty() || b.matching->on)) {
        matching = std::string(b.matching->on ? " on" : " ignoring") + " (" +
                   join(b.matching->labels) + ")";
        if (b.matching->card == Cardinality::kManyToOne ||
            b.matching->card == Cardinality::kOneToMany) {
          matching += std::string(b.matching->card == Cardinality::kManyToOne ? " group_left"
                                                                              : " group_right") +
                      " (" + join(b.matching->include) + ")";
        }
      }
      return print(*b.lhs) + " " + std::string(op_string(b.op)) + (b.return_bool ? " bool" : "") +
             matching + " " + print(*b.rhs);
    }
    std::string operator()(const Aggregate& a) const {
      std::string out(op_string(a.op));
      if (a.without) {
        out += " without (" + join(a.grouping) + ") ";
      } else if (!a.grouping.empty()) {
        out += " by (" + join(a.grouping) + ") ";
      }
      out += "(";
      if (a.param) out += print(*a.param) + ", ";
      return out + print(*a.expr) + ")";
    }
    std::string operator()(const Call& c) const {
      std::string out = std::string(c.func->name) + "(";
      for (size_t i = 0; i < c.args.size(); ++i)
        out += (i ? ", " : "") + print(*c.args[i]);
      return out + ")";
    }
  };
  return std::visit(Visitor{}, e.node);
}

}  // namespace herald::promql
