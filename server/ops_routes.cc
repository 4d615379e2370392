// Probes, reload and metrics.
#include "server/ops_routes.h"

#include <httplib.h>

namespace herald::server {

void register_ops_routes(httplib::Server& s, OpsHooks hooks, WriteGuard authorize) {
  s.Get("/-/healthy", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("herald is Healthy.\n", "text/plain");
  });
  s.Get("/-/ready", [ready = hooks.ready](const httplib::Request&, httplib::Response& res) {
    const bool ok = ready();
    res.status = ok ? 200 : 503;
    res.set_content(ok ? "herald is Ready.\n" : "Service Unavailable\n", "text/plain");
  });
  const auto reload = [reload = hooks.reload, authorize](const httplib::Request& req,
                                                         httplib::Response& res) {
    if (!authorize(req, res)) return;
    if (!reload) {
      res.status = 404;
      return;
    }
    const daemon::ReloadOutcome out = reload();
    // Prometheus answers a failed reload with 500 and the error text.
    res.status = out.ok ? 200 : 500;
    res.set_content(out.ok ? "" : "failed to reload config:\n" + out.errors, "text/plain");
  };
  s.Post("/-/reload", reload);
  s.Put("/-/reload", reload);  // Prometheus accepts both
  s.Get("/-/reload", [](const httplib::Request&, httplib::Response& res) {
    res.status = 405;
    res.set_header("Allow", "POST, PUT");
    res.set_content("Only POST or PUT requests allowed\n", "text/plain");
  });
  s.Get("/metrics", [metrics = hooks.metrics](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics(), "text/plain; version=0.0.4; charset=utf-8");
  });
}

}  // namespace herald::server
