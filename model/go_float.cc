// Go float formatting. Decimal digits come from std::to_chars (shortest round-trip, or correctly
// rounded to N significant digits, ties to even — the same digits Go's Ryu paths produce); the
// layout rules (%e exponent width, %g switch-over, trailing-zero trimming) follow strconv/ftoa.go.
#include "model/go_float.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <system_error>

namespace herald {
namespace {

// A decimal approximation 0.d[0]d[1]... x 10^dp, trailing zeros trimmed; zero has no digits.
struct Digits {
  std::string d;
  int dp = 0;
  bool neg = false;
};

// sig < 0: shortest round-trip digits; otherwise exactly `sig` significant digits (rounded).
Digits decimal_digits(double v, int sig) {
  Digits out;
  out.neg = std::signbit(v);
  double a = std::fabs(v);
  if (a == 0) return out;
  std::string buf(static_cast<size_t>(std::max(sig, 0)) + 40, '\0');
  auto res =
      sig < 0 ? std::to_chars(buf.data(), buf.data() + buf.size(), a, std::chars_format::scientific)
              : std::to_chars(buf.data(), buf.data() + buf.size(), a, std::chars_format::scientific,
                              sig - 1);
  if (res.ec != std::errc()) return out;  // cannot happen: the buffer is sized for the output
  std::string_view s(buf.data(), static_cast<size_t>(res.ptr - buf.data()));
  size_t e = s.find('e');
  for (size_t i = 0; i < e; ++i) {
    if (s[i] != '.') out.d.push_back(s[i]);
  }
  int exp = std::atoi(std::string(s.substr(e + 1)).c_str());
  while (!out.d.empty() && out.d.back() == '0')
    out.d.pop_back();
  out.dp = exp + 1;
  return out;
}

// %e: -d.ddddde±dd with `prec` digits after the point.
std::string fmt_e(const Digits& d, int prec, char fmt) {
  std::string out;
  if (d.neg) out.push_back('-');
  int nd = static_cast<int>(d.d.size());
  out.push_back(nd == 0 ? '0' : d.d[0]);
  if (prec > 0) {
    out.push_back('.');
    for (int i = 1; i <= prec; ++i)
      out.push_back(i < nd ? d.d[i] : '0');
  }
  out.push_back(fmt);
  int exp = nd == 0 ? 0 : d.dp - 1;
  out.push_back(exp < 0 ? '-' : '+');
  exp = std::abs(exp);
  if (exp < 10) out.push_back('0');
  out += std::to_string(exp);
  return out;
}

// %f: -ddd.ddd with `prec` digits after the point.
std::string fmt_f(const Digits& d, int prec) {
  std::string out;
  if (d.neg) out.push_back('-');
  int nd = static_cast<int>(d.d.size());
  if (d.dp > 0) {
    for (int i = 0; i < d.dp; ++i)
      out.push_back(i < nd ? d.d[i] : '0');
  } else {
    out.push_back('0');
  }
  if (prec > 0) {
    out.push_back('.');
    for (int i = 0; i < prec; ++i) {
      int j = d.dp + i;
      out.push_back(j >= 0 && j < nd ? d.d[j] : '0');
    }
  }
  return out;
}

std::string fixed_with_precision(double v, int prec) {
  // %f rounds at a fixed decimal position, not a digit count: let to_chars do it exactly.
  std::string buf(static_cast<size_t>(prec) + 330, '\0');
  auto res = std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed, prec);
  if (res.ec != std::errc()) return "";
  buf.resize(static_cast<size_t>(res.ptr - buf.data()));
  return buf;
}

}  // namespace

std::string format_float(double v, char fmt, int prec) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  bool shortest = prec < 0;
  char lower = fmt == 'E' ? 'e' : fmt == 'G' ? 'g' : fmt;
  if (lower == 'f' && !shortest) return fixed_with_precision(v, prec);
  if (lower == 'g' && prec == 0) prec = 1;
  int sig = shortest ? -1 : (lower == 'e' ? prec + 1 : prec);
  Digits d = decimal_digits(v, sig);
  int nd = static_cast<int>(d.d.size());
  if (shortest) {
    if (lower == 'e') prec = std::max(nd - 1, 0);
    if (lower == 'f') prec = std::max(nd - d.dp, 0);
    if (lower == 'g') prec = nd;
  }
  if (lower == 'e') return fmt_e(d, prec, fmt);
  if (lower == 'f') return fmt_f(d, prec);
  if (lower != 'g') return std::string("%") + fmt;
  int eprec = prec;
  if (eprec > nd && nd >= d.dp) eprec = nd;
  if (shortest) eprec = 6;  // Go decides the %e switch for shortest %g as if precision were 6
  int exp = d.dp - 1;
  if (exp < -4 || exp >= eprec) {
    if (prec > nd) prec = nd;
    return fmt_e(d, prec - 1, fmt == 'G' ? 'E' : 'e');
  }
  if (prec > d.dp) prec = nd;
  return fmt_f(d, std::max(prec - d.dp, 0));
}

std::string go_format_float_verb(double v, const GoFloatSpec& spec) {
  char verb = spec.verb == 'v' ? 'g' : spec.verb == 'F' ? 'f' : spec.verb;
  int prec = spec.prec;
  if (prec < 0 && (verb == 'e' || verb == 'E' || verb == 'f')) prec = 6;
  std::string num = format_float(v, verb, prec);
  bool special = std::isnan(v) || std::isinf(v);
  // Split off the sign so flags can place '+', ' ' and zero padding like fmt does.
  char sign = '+';
  std::string body = num;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
    sign = body[0];
    body = body.substr(1);
  }
  std::string prefix;
  if (sign == '-') {
    prefix = "-";
  } else if (spec.plus) {
    prefix = "+";
  } else if (spec.space) {
    prefix = " ";
  } else if (special && std::isinf(v)) {
    prefix = "+";  // fmt keeps the '+' of +Inf: it does not look like a number
  }
  if (std::isnan(v) && !spec.plus && !spec.space) prefix.clear();
  std::string out = prefix + body;
  int width = spec.width;
  int len = static_cast<int>(out.size());
  if (width <= len) return out;
  std::string pad(static_cast<size_t>(width - len), ' ');
  if (spec.minus) return out + pad;
  if (spec.zero && !special) return prefix + std::string(pad.size(), '0') + body;
  return pad + out;
}

}  // namespace herald
