// Loading herald.yml and every rule file it names, as one unit: start-up and every reload use
// it, and a reload applies only a configuration in which nothing is an error. The link settings
// are built here too, once per load, for the notifiers and the runbook pages alike.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/rule_file.h"
#include "links/alert_links.h"
#include "model/diagnostic.h"

namespace herald::daemon {

struct LoadedConfig {
  config::Config config;
  std::vector<config::RuleFile> rules;
  links::LinkSettings links;  // link_settings(config), as the runbooks dir was when loaded
};

struct LoadAttempt {
  std::shared_ptr<const LoadedConfig> loaded;  // null when any diagnostic is an error
  Diagnostics diagnostics;                     // every error and warning, in file order
};

[[nodiscard]] LoadAttempt load_configuration(const std::string& config_path);

// What links are built from under `config`: its links section, global.external_url, and the
// runbooks found in links.runbooks_dir now (built at start-up and on every applied reload).
[[nodiscard]] links::LinkSettings link_settings(const config::Config& config);

// What a reload reports back (HTTP reply, tests).
struct ReloadOutcome {
  bool ok = false;
  std::string errors;  // "file:line:col: error: message" lines when !ok
};

// The error diagnostics, one "file:line:col: error: message" per line.
[[nodiscard]] std::string describe_errors(const Diagnostics& diagnostics);

}  // namespace herald::daemon
