// The runbook file is read per request, so an edited ConfigMap shows at once.
#include "server/runbook_routes.h"

#include "links/runbook_name.h"

namespace herald::server {
namespace {

void text_reply(Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_content(body, "text/plain; charset=utf-8");
}

void serve_runbook(const RunbookHooks& hooks, const std::string& name, Response& res) {
  const auto settings = hooks.settings ? hooks.settings() : nullptr;
  if (!settings || !links::valid_runbook_name(name)) {
    text_reply(res, 404, "no runbook for " + name + "\n");
    return;
  }
  auto markdown = read_runbook(settings->links.runbooks_dir, name);
  if (!markdown) {
    const bool missing = markdown.error().code == ErrorCode::kNotFound;
    text_reply(res, missing ? 404 : 500,
               missing ? "no runbook for " + name + "\n" : markdown.error().message + "\n");
    return;
  }
  const WallTime now = hooks.clock ? hooks.clock->now() : std::chrono::system_clock::now();
  const auto alerts =
      hooks.active_alerts ? hooks.active_alerts(name) : std::vector<ActiveRuleAlert>{};
  // Markdown cannot carry scripts (raw HTML is dropped); the policy is a second fence.
  res.set_header("Content-Security-Policy",
                 "default-src 'none'; style-src 'unsafe-inline'; img-src * data:");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_content(render_runbook_page(name, *markdown, active_instances(alerts, *settings, now)),
                  "text/html; charset=utf-8");
}

}  // namespace

void register_runbook_pages(Routes& s, RunbookHooks hooks) {
  // The path is percent-decoded (server/http_message.h): "..%2Fetc" arrives as "../etc" and is
  // refused by valid_runbook_name.
  s.get("/runbooks/*", [hooks = std::move(hooks)](const Request& req, Response& res) {
    serve_runbook(hooks, req.rest, res);
  });
}

}  // namespace herald::server
