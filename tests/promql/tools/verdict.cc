// For tests/promql/test_promtool_diff.py: reads a JSON array of PromQL expressions on stdin and
// prints, for each, a JSON object: {"ok": true} or {"ok": false, "pos": <byte offset>,
// "error": "<line:col: parse error: …>"} — herald's verdict, to compare with promtool's —
// and for an accepted one "printed", its normal form, and "reparsed", that form parsed and
// printed again (equal when printing loses nothing).
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "promql/parser.h"
#include "promql/printer.h"

int main() {
  const std::string in((std::istreambuf_iterator<char>(std::cin)),
                       std::istreambuf_iterator<char>());
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : nlohmann::json::parse(in)) {
    const std::string expr = e.get<std::string>();
    const herald::promql::Parsed p = herald::promql::parse(expr);
    if (p.error) {
      out.push_back({{"ok", false}, {"pos", p.error->pos}, {"error", p.error->describe(expr)}});
    } else {
      const std::string printed = herald::promql::print(*p.expr);
      const herald::promql::Parsed again = herald::promql::parse(printed);
      out.push_back({{"ok", true},
                     {"printed", printed},
                     {"reparsed", again.error ? "error: " + again.error->describe(printed)
                                              : herald::promql::print(*again.expr)}});
    }
  }
  std::cout << out.dump(1) << "\n";
  return 0;
}
