// The text exposition writer behind /metrics and the demo exporter: escaping and value spellings.
#include "model/exposition.h"

#include <catch2/catch.hpp>
#include <cmath>

namespace herald {

TEST_CASE("exposition: label values and help text are escaped", "[model]") {
  CHECK(escape_label_value(R"(a"b\c)"
                           "\n") == R"(a\"b\\c\n)");
  ExpositionWriter w;
  w.family("x_total", "counter", "line\\one\nline two");
  w.sample("x_total", {{"a", "q\"uote"}, {"empty", ""}}, 3);
  CHECK(w.take() ==
        "# HELP x_total line\\\\one\\nline two\n# TYPE x_total counter\n"
        "x_total{a=\"q\\\"uote\"} 3\n");
}

TEST_CASE("exposition: values use Prometheus spellings", "[model]") {
  CHECK(format_metric_value(12345) == "12345");
  CHECK(format_metric_value(0.25) == "0.25");
  CHECK(format_metric_value(INFINITY) == "+Inf");
  CHECK(format_metric_value(-INFINITY) == "-Inf");
  CHECK(format_metric_value(NAN) == "NaN");
}

}  // namespace herald
