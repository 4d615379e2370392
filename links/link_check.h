// `herald check links`: proves before deploy that the links herald and Grafana will render lead
// somewhere (README.md "Drilldown links, dashboards and runbooks"). A pure function of what the
// caller has loaded: the config, the rule files, the dashboards of links.dashboards_dir and the
// runbooks of links.runbooks_dir.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/rule_file.h"
#include "links/dashboard_catalog.h"
#include "model/diagnostic.h"

namespace herald::links {

// Checks, each problem reported once:
// - every links.drilldowns entry (and its `also` links): the dashboard uid exists and each `vars`
//   key is one of its variables — errors at the entry in herald.yml;
// - every alerting rule: some drilldown may apply (else a warning), and its runbook exists when
//   its runbook_url leads to herald's /runbooks/<name> or it has no runbook_url (a runbook_url
//   elsewhere, e.g. a wiki, is accepted) — errors at the rule;
// - every dashboard: uids are unique, and each link's `/d/<uid>` is a known dashboard, each
//   `var-<name>` a variable of that dashboard and each `$name` reference a variable of its own
//   dashboard or a Grafana built-in (`__`-prefixed) — errors naming the file and the link.
// Dashboard checks are skipped (with one warning when drilldowns exist) when links.dashboards_dir
// is not set. `runbooks` holds the names of runbooks_dir/*.md without ".md".
[[nodiscard]] Diagnostics check_links(const config::Config& cfg,
                                      const std::vector<config::RuleFile>& rule_files,
                                      const std::vector<Dashboard>& dashboards,
                                      const std::set<std::string>& runbooks);

}  // namespace herald::links
