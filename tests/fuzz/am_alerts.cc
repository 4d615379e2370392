// Fuzz target: POST /api/v2/alerts bodies (parse_post_alerts in server/alertmanager_api.h). The
// body is refused with one error, or each alert is kept or dropped with a reason; the kept alerts
// then list as GET /api/v2/alerts answers them, and that answer is JSON.
#include <chrono>
#include <nlohmann/json.hpp>

#include "server/alertmanager_api.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using herald::fuzz::check;
  using namespace herald::server;
  const herald::WallTime now{std::chrono::seconds(1777636800)};
  const PostAlertsResult r =
      parse_post_alerts(herald::fuzz::as_text(data, size), now, std::chrono::minutes(5));
  if (r.body_refused) check(r.alerts.empty() && r.errors.size() == 1, "a refusal is one error");
  check(r.error_text().empty() == r.errors.empty(), "errors make the 400 text");
  std::vector<ApiAlert> listed;
  for (const herald::Alert& a : r.alerts)
    listed.push_back(ApiAlert{a, {"default"}, {}, {}});
  check(nlohmann::json::accept(alerts_json(listed, now)), "GET /api/v2/alerts answers JSON");
  return 0;
}
