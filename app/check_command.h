// `herald check rules FILE…`, `herald check config FILE` and `herald check links FILE`: load
// everything, print every diagnostic (not just the first) in file:line:col form, and return the
// exit code: 0 when valid (warnings allowed), 1 when anything is wrong.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "config/env.h"

namespace herald::app {

int check_rules(const std::vector<std::string>& files, std::ostream& out, std::ostream& err);

// Validates herald.yml and every rule file its rule_files match. With `dump`, prints the
// effective configuration (secrets as <secret>) when it is valid. When links.dashboards_dir or
// links.runbooks_dir is set, also runs the checks of check_links.
int check_config(const std::string& path, bool dump, const config::EnvLookup& env,
                 std::ostream& out, std::ostream& err);

// Proves the links of herald.yml and its rules (links/link_check.h): drilldown dashboards and
// variables against links.dashboards_dir, runbooks against links.runbooks_dir, and the links
// inside every dashboard.
int check_links(const std::string& config_path, const config::EnvLookup& env, std::ostream& out,
                std::ostream& err);

}  // namespace herald::app
