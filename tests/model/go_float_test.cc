// Go float formatting: expected strings are what Go's strconv.FormatFloat and fmt produce
// (strconv/ftoa.go rules: shortest digits, %e exponent of at least two digits, %g switch-over).
#include "model/go_float.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

using herald::format_float;
using herald::go_float_string;
using herald::go_format_float_verb;
using herald::GoFloatSpec;

namespace {
struct Case {
  double v;
  char fmt;
  int prec;
  const char* want;
};
constexpr double kInf = std::numeric_limits<double>::infinity();
}  // namespace

TEST_CASE("go_float: FormatFloat matches Go", "[model]") {
  auto c = GENERATE(values<Case>({
      {0.072, 'e', -1, "7.2e-02"},
      {7.2, 'e', -1, "7.2e+00"},
      {100, 'e', -1, "1e+02"},
      {1e100, 'e', -1, "1e+100"},
      {5e-324, 'e', -1, "5e-324"},
      {0, 'e', -1, "0e+00"},
      {1, 'e', 3, "1.000e+00"},
      {1, 'E', 3, "1.000E+00"},
      {1234.5678, 'e', 6, "1.234568e+03"},
      {1e6, 'g', -1, "1e+06"},
      {123456, 'g', -1, "123456"},
      {1234567, 'g', -1, "1.234567e+06"},
      {0.0723, 'g', -1, "0.0723"},
      {0.0001, 'g', -1, "0.0001"},
      {0.00001, 'g', -1, "1e-05"},
      {1e20, 'g', -1, "1e+20"},
      {1e21, 'g', -1, "1e+21"},
      {100, 'g', -1, "100"},
      {0, 'g', -1, "0"},
      {-0.0, 'g', -1, "-0"},
      {0.1 + 0.2, 'g', -1, "0.30000000000000004"},
      {1.7976931348623157e308, 'g', -1, "1.7976931348623157e+308"},
      {1234567, 'g', 4, "1.235e+06"},
      {1.2345, 'g', 4, "1.234"},
      {12.345, 'g', 4, "12.35"},
      {100000, 'g', 4, "1e+05"},
      {100, 'g', 3, "100"},
      {0, 'g', 4, "0"},
      {1, 'g', 4, "1"},
      {1234, 'g', 3, "1.23e+03"},
      {1234, 'G', 3, "1.23E+03"},
      {0.000012345, 'g', 0, "1e-05"},
      {1.5, 'f', -1, "1.5"},
      {1e21, 'f', -1, "1000000000000000000000"},
      {1e-7, 'f', -1, "0.0000001"},
      {3720.01, 'f', 2, "3720.01"},
      {2.5, 'f', 0, "2"},
      {3.5, 'f', 0, "4"},
      {1.005, 'f', 2, "1.00"},
      {-0.0001, 'f', 2, "-0.00"},
      {3.14159, 'f', 6, "3.141590"},
      {std::nan(""), 'g', -1, "NaN"},
      {kInf, 'e', -1, "+Inf"},
      {-kInf, 'f', 2, "-Inf"},
  }));
  CAPTURE(c.v, c.fmt, c.prec);
  CHECK(format_float(c.v, c.fmt, c.prec) == c.want);
}

TEST_CASE("go_float: %v and verbs with flags match fmt", "[model]") {
  CHECK(go_float_string(1e6) == "1e+06");
  CHECK(go_float_string(kInf) == "+Inf");
  CHECK(go_format_float_verb(3.14159, GoFloatSpec{'f', 8, 3}) == "   3.142");
  CHECK(go_format_float_verb(3.14159, GoFloatSpec{'f', 8, 2, false, true}) == "3.14    ");
  CHECK(go_format_float_verb(-3.14159, GoFloatSpec{'f', 8, 3, false, false, false, true}) ==
        "-003.142");
  CHECK(go_format_float_verb(12345.678, GoFloatSpec{'e', -1, 2, true}) == "+1.23e+04");
  CHECK(go_format_float_verb(0.005, GoFloatSpec{'f', -1, 2}) == "0.01");
  CHECK(go_format_float_verb(2.0, GoFloatSpec{'f', -1, -1}) == "2.000000");
  CHECK(go_format_float_verb(kInf, GoFloatSpec{'f', 5, 1}) == " +Inf");
  CHECK(go_format_float_verb(std::nan(""), GoFloatSpec{'f', 5, 1, false, false, false, true}) ==
        "  NaN");
  CHECK(go_format_float_verb(1.5, GoFloatSpec{'g', -1, -1, false, false, true}) == " 1.5");
}
