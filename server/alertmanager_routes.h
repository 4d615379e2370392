// The Alertmanager API v2 endpoints herald serves (docs/compatibility.md "Alertmanager API v2"),
// registered on herald's HTTP server: they convert between the router and the JSON codecs of
// alertmanager_api.h. Without a router (no `route` configured) every endpoint answers 404.
#pragma once

#include <functional>
#include <string>

#include "model/clock.h"
#include "model/error.h"
#include "router/router.h"
#include "server/routes.h"

namespace herald::server {

struct AlertmanagerApiHooks {
  std::function<router::Router*()> router;            // null result: no router
  std::function<Status(std::vector<Alert>)> receive;  // hands alerts to the router's loop
  std::function<std::string()> config_original;       // herald.yml with secrets redacted
  const Clock* clock = nullptr;
  WallTime started{};
};

void register_alertmanager_api(Routes& routes, AlertmanagerApiHooks hooks);

}  // namespace herald::server
