// Fuzz target: a Prometheus rule file (config/rule_file.h). It loads, or is refused with at least
// one error; every diagnostic names the file it was given.
#include "config/rule_file.h"

#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using herald::fuzz::check;
  const auto loaded =
      herald::config::parse_rule_file("fuzz.yml", herald::fuzz::as_text(data, size));
  if (!loaded.ok()) check(herald::has_errors(loaded.diagnostics), "a refused rule file says why");
  for (const herald::Diagnostic& d : loaded.diagnostics) {
    check(d.pos.file == "fuzz.yml", "a diagnostic names the rule file");
  }
  return 0;
}
