// Probes, reload and metrics.
#include "server/ops_routes.h"

namespace herald::server {

void register_ops_routes(Routes& s, OpsHooks hooks) {
  s.get(
      "/-/healthy",
      [](const Request&, Response& res) { res.set_content("herald is Healthy.\n", "text/plain"); },
      Run::kInline);
  s.get(
      "/-/ready",
      [ready = hooks.ready](const Request&, Response& res) {
        const bool ok = ready();
        res.status = ok ? 200 : 503;
        res.set_content(ok ? "herald is Ready.\n" : "Service Unavailable\n", "text/plain");
      },
      Run::kInline);
  const auto reload = [reload = hooks.reload](const Request&, Response& res) {
    if (!reload) {
      res.status = 404;
      return;
    }
    const daemon::ReloadOutcome out = reload();
    // Prometheus answers a failed reload with 500 and the error text.
    res.status = out.ok ? 200 : 500;
    res.set_content(out.ok ? "" : "failed to reload config:\n" + out.errors, "text/plain");
  };
  s.post("/-/reload", reload);
  s.put("/-/reload", reload);  // Prometheus accepts both
  s.get("/-/reload", [](const Request&, Response& res) {
    res.status = 405;
    res.set_header("Allow", "POST, PUT");
    res.set_content("Only POST or PUT requests allowed\n", "text/plain");
  });
  s.get("/metrics", [metrics = hooks.metrics](const Request&, Response& res) {
    res.set_content(metrics(), "text/plain; version=0.0.4; charset=utf-8");
  });
}

}  // namespace herald::server
