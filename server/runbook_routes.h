// GET /runbooks/<name>: the runbook page (server/runbook_page.h) with the alert's active instances.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "links/alert_links.h"
#include "model/clock.h"
#include "server/routes.h"
#include "server/runbook_page.h"

namespace herald::server {

// Both functions are called per request, so a reload swaps what they return; without `settings`
// every runbook answers 404.
struct RunbookHooks {
  std::function<std::shared_ptr<const links::LinkSettings>()> settings;
  // The pending and firing alerts named `alertname`, with their generator URLs (may be null).
  std::function<std::vector<ActiveRuleAlert>(const std::string& alertname)> active_alerts;
  const Clock* clock = nullptr;  // `now` for the links' time ranges; null: the system clock
};

void register_runbook_pages(Routes& routes, RunbookHooks hooks);

}  // namespace herald::server
