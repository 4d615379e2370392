// Fuzz target: POST /api/v2/silences bodies (parse_post_silence in server/alertmanager_api.h).
// A silence parses, or fails with a reason; a parsed one is shown as GET /api/v2/silences shows
// it, and that answer is JSON.
#include <chrono>
#include <nlohmann/json.hpp>

#include "server/alertmanager_api.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using herald::fuzz::check;
  using namespace herald::server;
  const herald::WallTime now{std::chrono::seconds(1777636800)};
  auto s = parse_post_silence(herald::fuzz::as_text(data, size), now);
  if (!s) {
    check(!s.error().message.empty(), "a refused silence says why");
    return 0;
  }
  s->id = "5b8c1f0e-3a51-4c1e-9d3a-2f6f1f6f1f6f";
  check(nlohmann::json::accept(silences_json({*s})), "GET /api/v2/silences answers JSON");
  return 0;
}
