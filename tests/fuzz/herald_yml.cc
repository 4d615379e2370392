// Fuzz target: herald.yml (config/config.h), Alertmanager sections included. It loads and dumps,
// or is refused with at least one error. Every ${VAR} is defined, so the fuzzer reaches past it.
#include "config/config.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using herald::fuzz::check;
  static const herald::config::EnvLookup env = [](std::string_view) {
    return std::optional<std::string>("x");
  };
  const auto loaded =
      herald::config::parse_config("fuzz.yml", herald::fuzz::as_text(data, size), env);
  if (!loaded.ok()) {
    check(herald::has_errors(loaded.diagnostics), "a refused herald.yml says why");
    return 0;
  }
  check(!herald::config::dump_config(*loaded.value).empty(), "a loaded herald.yml dumps");
  return 0;
}
