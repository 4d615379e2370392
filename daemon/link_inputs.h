// What `herald check links` reads from disk: the dashboards in links.dashboards_dir and the
// runbook names in links.runbooks_dir. The checks themselves are pure (links/link_check.h).
#pragma once

#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "config/config.h"
#include "links/dashboard_catalog.h"
#include "model/diagnostic.h"

namespace herald::daemon {

struct LinkInputs {
  std::vector<links::Dashboard> dashboards;  // every valid *.json, in path order
  std::set<std::string> runbooks;            // <name> of every <runbooks_dir>/<name>.md
  Diagnostics diagnostics;                   // unreadable directories or files, invalid dashboards
};

// The runbooks in `dir`: the <name> of every <name>.md whose name herald serves at
// /runbooks/<name>, README.md (the folder's own guide) excepted. `ec` reports an unreadable dir.
[[nodiscard]] std::set<std::string> runbook_names(const std::string& dir, std::error_code& ec);

// Reads `*.json` under dashboards_dir (subdirectories included, as Grafana's file provisioning
// does) and lists `*.md` in runbooks_dir; an unset directory is skipped.
[[nodiscard]] LinkInputs read_link_inputs(const config::Config& cfg);

}  // namespace herald::daemon
