// fmt-compatible formatting. Composite values apply the verb element-wise, as fmt does
// (map[%!d(string=a):1]); a verb that does not fit a value prints %!verb(type=value).
#include "template/go_fmt.h"

#include <cstdio>

#include "model/go_float.h"
#include "model/labels.h"
#include "template/go_time.h"
#include "template/literal.h"

namespace herald::tmpl {
namespace {

struct Spec {
  bool plus = false, minus = false, sharp = false, space = false, zero = false;
  int width = -1;
  int prec = -1;
};

constexpr int kTooLarge = 1000000;  // fmt rejects widths and precisions beyond this

size_t rune_count(std::string_view s) {
  size_t n = 0;
  for (char c : s)
    n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

std::string pad(std::string s, const Spec& spec) {
  if (spec.width < 0) return s;
  size_t n = rune_count(s);
  if (static_cast<size_t>(spec.width) <= n) return s;
  size_t fill = static_cast<size_t>(spec.width) - n;
  if (spec.minus) return s + std::string(fill, ' ');
  return std::string(fill, spec.zero ? '0' : ' ') + s;
}

std::string format_verb(const Value& v, char verb, const Spec& spec);

std::string bad_verb(const Value& v, char verb) {
  if (v.is_nil()) return std::string("%!") + verb + "(<nil>)";
  return std::string("%!") + verb + "(" + v.type_name() + "=" + format_value(v) + ")";
}

std::string format_int(int64_t i, char verb, const Spec& spec) {
  if (verb == 'c') {
    std::string s;
    append_utf8(s, i < 0 || i > 0x10FFFF ? 0xFFFD : static_cast<char32_t>(i));
    return pad(s, spec);
  }
  if (verb == 'q') {
    std::string s;
    append_utf8(s, i < 0 || i > 0x10FFFF ? 0xFFFD : static_cast<char32_t>(i));
    std::string q = go_quote(s);
    return pad("'" + (s == "'" ? std::string("\\'") : q.substr(1, q.size() - 2)) + "'", spec);
  }
  if (verb == 'U') {
    char buf[24];
    std::snprintf(buf, sizeof buf, "U+%04llX", static_cast<unsigned long long>(i));
    return pad(buf, spec);
  }
  int base = verb == 'b'                    ? 2
             : (verb == 'o' || verb == 'O') ? 8
             : (verb == 'x' || verb == 'X') ? 16
                                            : 10;
  bool neg = i < 0;
  uint64_t u = neg ? 0 - static_cast<uint64_t>(i) : static_cast<uint64_t>(i);
  const char* digits = verb == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string body;
  if (!(spec.prec == 0 && u == 0)) {
    do {
      body.insert(body.begin(), digits[u % static_cast<uint64_t>(base)]);
      u /= static_cast<uint64_t>(base);
    } while (u != 0);
  }
  int prec = spec.prec;
  if (prec < 0 && spec.zero && !spec.minus && spec.width > 0) {
    prec = spec.width - ((neg || spec.plus || spec.space) ? 1 : 0);
  }
  while (static_cast<int>(body.size()) < prec)
    body.insert(body.begin(), '0');
  if (spec.sharp) {
    if (base == 16) body = (verb == 'X' ? "0X" : "0x") + body;
    if (base == 8 && (body.empty() || body[0] != '0')) body = "0" + body;
    if (base == 2) body = "0b" + body;
  }
  if (verb == 'O') body = "0o" + body;
  if (neg) {
    body = "-" + body;
  } else if (spec.plus) {
    body = "+" + body;
  } else if (spec.space) {
    body = " " + body;
  }
  Spec no_zero = spec;
  no_zero.zero = false;
  return pad(body, no_zero);
}

std::string format_string(const std::string& s, char verb, const Spec& spec) {
  std::string t = s;
  if (spec.prec >= 0) {  // precision truncates to that many runes
    size_t n = 0, i = 0;
    while (i < t.size() && n < static_cast<size_t>(spec.prec)) {
      ++i;
      while (i < t.size() && (static_cast<unsigned char>(t[i]) & 0xC0) == 0x80)
        ++i;
      ++n;
    }
    t.resize(i);
  }
  switch (verb) {
    case 'v':
    case 's':
      return pad(t, spec);
    case 'q':
      if (spec.sharp && t.find('`') == std::string::npos && t.find('\n') == std::string::npos) {
        return pad("`" + t + "`", spec);
      }
      return pad(go_quote(t), spec);
    case 'x':
    case 'X': {
      std::string out;
      const char* digits = verb == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
      for (unsigned char c : t) {
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 15]);
      }
      return pad(out, spec);
    }
    default:
      return bad_verb(Value::string(s), verb);
  }
}

std::string format_float_arg(double d, char verb, const Spec& spec) {
  switch (verb) {
    case 'v':
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G': {
      GoFloatSpec fs{verb, spec.width, spec.prec, spec.plus, spec.minus, spec.space, spec.zero};
      return go_format_float_verb(d, fs);
    }
    default:
      return bad_verb(Value::floating(d), verb);
  }
}

std::string format_composite(const Value& v, char verb, const Spec& spec) {
  Spec inner = spec;
  inner.width = -1;  // fmt applies width to each element; keep it simple and apply it once
  std::string out;
  switch (v.kind()) {
    case Value::Kind::kMap: {
      out = "map[";
      bool first = true;
      for (const auto& [k, e] : v.as_map()) {
        if (!first) out += " ";
        first = false;
        out += format_verb(Value::string(k), verb, inner) + ":" + format_verb(e, verb, inner);
      }
      out += "]";
      break;
    }
    case Value::Kind::kList: {
      out = "[";
      for (size_t i = 0; i < v.as_list().size(); ++i) {
        if (i > 0) out += " ";
        out += format_verb(v.as_list()[i], verb, inner);
      }
      out += "]";
      break;
    }
    case Value::Kind::kSample:
      out = "&{" + format_verb(Value::string_map(v.as_sample().labels), verb, inner) + " " +
            format_verb(Value::floating(v.as_sample().value), verb, inner) + "}";
      break;
    default: {
      out = "{";
      bool first = true;
      for (const auto& [name, field] : v.struct_fields()) {
        if (!first) out += " ";
        first = false;
        if (spec.plus && verb == 'v') out += name + ":";
        out += format_verb(field, verb, inner);
      }
      out += "}";
    }
  }
  return pad(out, spec);
}

std::string format_verb(const Value& v, char verb, const Spec& spec) {
  if (verb == 'T') return pad(v.type_name(), spec);
  switch (v.kind()) {
    case Value::Kind::kNil:
      return verb == 'v' ? pad("<nil>", spec) : bad_verb(v, verb);
    case Value::Kind::kBool:
      if (verb == 'v' || verb == 't') return pad(v.as_bool() ? "true" : "false", spec);
      return bad_verb(v, verb);
    case Value::Kind::kInt:
      if (verb == 'v' || verb == 'd' || verb == 'b' || verb == 'o' || verb == 'O' || verb == 'x' ||
          verb == 'X' || verb == 'c' || verb == 'q' || verb == 'U') {
        return format_int(v.as_int(), verb == 'v' ? 'd' : verb, spec);
      }
      return bad_verb(v, verb);
    case Value::Kind::kFloat:
      return format_float_arg(v.as_float(), verb, spec);
    case Value::Kind::kString:
      return format_string(v.as_string(), verb, spec);
    case Value::Kind::kTime:  // a fmt.Stringer: string verbs use String()
      if (verb == 'v' || verb == 's' || verb == 'q' || verb == 'x' || verb == 'X') {
        return format_string(go_time_string(v.as_time()), verb, spec);
      }
      return bad_verb(v, verb);
    default:
      return format_composite(v, verb, spec);
  }
}

}  // namespace

std::string go_sprint(const std::vector<Value>& args) {
  std::string out;
  bool prev_string = false;
  for (size_t i = 0; i < args.size(); ++i) {
    bool is_string = args[i].kind() == Value::Kind::kString;
    if (i > 0 && !is_string && !prev_string) out += " ";
    out += format_value(args[i]);
    prev_string = is_string;
  }
  return out;
}

std::string go_sprintln(const std::vector<Value>& args) {
  std::string out;
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out += " ";
    out += format_value(args[i]);
  }
  return out + "\n";
}

std::string go_sprintf(std::string_view format, const std::vector<Value>& args) {
  std::string out;
  size_t arg = 0;
  size_t i = 0;
  auto take_int = [&](int& dst) -> bool {
    if (arg >= args.size() || args[arg].kind() != Value::Kind::kInt) {
      ++arg;
      return false;
    }
    int64_t n = args[arg++].as_int();
    if (n > kTooLarge || n < -kTooLarge) return false;
    dst = static_cast<int>(n);
    return true;
  };
  auto read_num = [&](int& dst) -> bool {
    int n = 0;
    bool any = false;
    while (i < format.size() && format[i] >= '0' && format[i] <= '9') {
      if (n <= kTooLarge) n = n * 10 + (format[i] - '0');
      ++i;
      any = true;
    }
    if (n > kTooLarge) return false;
    if (any) dst = n;
    return true;
  };
  while (i < format.size()) {
    size_t pct = format.find('%', i);
    if (pct == std::string_view::npos) pct = format.size();
    out.append(format.substr(i, pct - i));
    if (pct >= format.size()) break;
    i = pct + 1;
    Spec spec;
    for (; i < format.size(); ++i) {
      char c = format[i];
      if (c == '+')
        spec.plus = true;
      else if (c == '-')
        spec.minus = true;
      else if (c == '#')
        spec.sharp = true;
      else if (c == ' ')
        spec.space = true;
      else if (c == '0')
        spec.zero = !spec.minus;
      else
        break;
    }
    if (i < format.size() && format[i] == '*') {
      ++i;
      int w = 0;
      if (!take_int(w)) {
        out += "%!(BADWIDTH)";
      } else if (w < 0) {
        spec.minus = true;
        spec.zero = false;
        spec.width = -w;
      } else {
        spec.width = w;
      }
    } else if (!read_num(spec.width)) {
      out += "%!(BADWIDTH)";
    }
    if (i < format.size() && format[i] == '.') {
      ++i;
      spec.prec = 0;
      if (i < format.size() && format[i] == '*') {
        ++i;
        if (!take_int(spec.prec) || spec.prec < 0) {
          spec.prec = -1;
          out += "%!(BADPREC)";
        }
      } else if (!read_num(spec.prec)) {
        spec.prec = -1;
        out += "%!(BADPREC)";
      }
    }
    if (i >= format.size()) {
      out += "%!(NOVERB)";
      break;
    }
    // The verb is one rune.
    size_t vlen = 1;
    while (i + vlen < format.size() &&
           (static_cast<unsigned char>(format[i + vlen]) & 0xC0) == 0x80) {
      ++vlen;
    }
    std::string_view verb_text = format.substr(i, vlen);
    char verb = vlen == 1 ? format[i] : '?';
    i += vlen;
    if (verb == '%') {
      out += "%";
      continue;
    }
    if (arg >= args.size()) {
      out += "%!" + std::string(verb_text) + "(MISSING)";
      continue;
    }
    out += format_verb(args[arg++], verb, spec);
  }
  if (arg < args.size()) {
    out += "%!(EXTRA ";
    for (size_t k = arg; k < args.size(); ++k) {
      if (k > arg) out += ", ";
      if (args[k].is_nil()) {
        out += "<nil>";
      } else {
        out += args[k].type_name() + "=" + format_value(args[k]);
      }
    }
    out += ")";
  }
  return out;
}

}  // namespace herald::tmpl
