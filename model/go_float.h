// Go's float64 formatting, byte for byte: strconv.FormatFloat and fmt's float verbs, so values
// rendered by templates and by the Prometheus-compatible API match what Prometheus prints
// (e.g. FormatFloat(0.072,'e',-1,64) = "7.2e-02", fmt %v of 1e6 = "1e+06").
#pragma once

#include <string>

namespace herald {

// strconv.FormatFloat(v, fmt, prec, 64) for fmt in 'e' 'E' 'f' 'g' 'G'. prec < 0 selects the
// shortest digits that round-trip. NaN, +Inf and -Inf render as "NaN", "+Inf", "-Inf".
[[nodiscard]] std::string format_float(double v, char fmt, int prec);

// fmt's %v of a float64: shortest %g, which uses the exponent form when the decimal exponent is
// < -4 or >= 6 (strconv ftoa.go: "if shortest { eprec = 6 }"), hence "1e+06" but "123456".
[[nodiscard]] inline std::string go_float_string(double v) {
  return format_float(v, 'g', -1);
}

// One fmt float verb with its flags, as in fmt.Sprintf("%+08.3f", v).
struct GoFloatSpec {
  char verb = 'v';  // one of v e E f F g G
  int width = -1;   // -1: absent
  int prec = -1;    // -1: absent (verb default: 6 for e/f, shortest for g/v)
  bool plus = false;
  bool minus = false;
  bool space = false;
  bool zero = false;
};

// fmt.Sprintf of one float64 operand with the given verb, flags, width and precision.
[[nodiscard]] std::string go_format_float_verb(double v, const GoFloatSpec& spec);

}  // namespace herald
