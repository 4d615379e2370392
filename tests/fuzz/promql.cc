// Fuzz target: PromQL (promql/parser.h). Any text either parses, and then its normal form parses
// back to the same normal form, or fails with an error inside the text (or just past its end).
// One exception, Prometheus's own: a positive infinity prints as "+Inf", so a unary + before an
// operation starting with it (`+Inf ^ 2` is +(Inf ^ 2)) prints as "++Inf ^ 2", which parses as
// one more unary +. Prometheus's String() does exactly this, and herald must print as it does
// (integration.promql_printer), so such forms need only parse.
#include "promql/parser.h"
#include "promql/printer.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using herald::fuzz::check;
  const std::string_view text = herald::fuzz::as_text(data, size);
  const herald::promql::Parsed p = herald::promql::parse(text);
  if (p.error) {
    check(p.error->pos <= size, "the error is in the text");
    check(!p.error->message.empty(), "the error says why");
    return 0;
  }
  const std::string printed = herald::promql::print(*p.expr);
  const herald::promql::Parsed again = herald::promql::parse(printed);
  check(!again.error, "the normal form parses");
  if (printed.find("+Inf") == std::string::npos) {
    check(herald::promql::print(*again.expr) == printed, "the normal form is a fixed point");
  }
  return 0;
}
