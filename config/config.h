// herald.yml (README.md "Configuration"): the validated, immutable daemon configuration.
// Defaults are filled in at load; relative paths are resolved against the config file's
// directory (as Prometheus does); ${NAME} references are expanded from an injected environment.
// A Config is never mutated after load and may be shared between threads.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/env.h"
#include "config/loaded.h"
#include "config/routing.h"
#include "config/secret.h"
#include "config/tls_config.h"
#include "model/diagnostic.h"
#include "model/duration.h"
#include "model/labels.h"

namespace herald::config {

struct GlobalConfig {
  std::string external_url;                                // optional; links to herald's own pages
  Duration evaluation_interval = std::chrono::minutes(1);  // Prometheus's default
  Duration resolve_timeout = std::chrono::minutes(5);      // Alertmanager's default
  LabelSet external_labels;
  // Pending alerts restart their `for` clock after an outage longer than this
  // (docs/compatibility.md "Prometheus restarts and reloads").
  Duration for_outage_tolerance = std::chrono::hours(1);
  // Alertmanager's global fields (smtp_*, slack_*, pagerduty_url, http_config): already applied
  // to the receivers; kept for the dump.
  NotifierDefaults notifier_defaults;
};

struct Datasource {
  std::string name;
  std::string url;
  Duration timeout =
      std::chrono::seconds(30);  // per query; Grafana's default for Prometheus datasources
  Secret bearer_token;
  std::string bearer_token_file;  // read at use time (Kubernetes rotates service-account tokens)
  // Header values are Secrets: in practice they carry credentials (Authorization, X-Api-Key).
  std::map<std::string, Secret> headers;
  TlsConfig tls_config;
  // After this long unreachable, HeraldDatasourceUnreachable fires (docs/compatibility.md
  // "Deliberate differences").
  Duration unreachable_after = std::chrono::minutes(2);
  bool is_default = false;  // `default:`; exactly one datasource has it after load
  SourcePos pos;
};

struct DrilldownWindow {
  Duration before = std::chrono::minutes(30);  // from = ActiveAt - before
  Duration after = std::chrono::minutes(15);   // to = ResolvedAt + after once resolved
  Duration min_span = std::chrono::hours(1);   // the window is widened to at least this
};

struct DrilldownLink {
  std::string title;
  std::string dashboard;                    // Grafana dashboard uid
  std::map<std::string, std::string> vars;  // Grafana variable ← alert label name
};

struct Drilldown {
  Matchers matchers;  // Alertmanager syntax, as in routes; all must match
  std::string dashboard;
  std::map<std::string, std::string> vars;
  DrilldownWindow window;
  std::vector<DrilldownLink> also;
  SourcePos pos;
};

struct LinksConfig {
  std::string grafana_url;
  std::string dashboards_dir;
  std::string runbooks_dir;
  std::vector<Drilldown> drilldowns;  // first match wins
};

struct WebConfig {
  std::string auth_token_file;  // when set, write endpoints need this bearer token
};

struct RuleFilePattern {
  std::string pattern;  // a glob(3) pattern, already resolved against Config::dir
  SourcePos pos;
};

struct Config {
  std::string path;  // the file it was loaded from
  std::string dir;   // its directory: the base of every relative path
  GlobalConfig global;
  std::vector<Datasource> datasources;
  std::vector<RuleFilePattern> rule_files;
  LinksConfig links;
  WebConfig web;
  RoutingConfig routing;  // route, receivers, inhibit_rules, time_intervals
  // Every file or directory a `*_file` or `*_dir` field names, resolved against `dir` (secrets,
  // TLS files, runbooks and dashboards): with `path`, rule_files and routing.templates, what a
  // change of should reload the configuration (daemon/config_watcher.h).
  std::vector<std::string> referenced_paths;

  // The default datasource, or nullptr when there is none (no datasources configured).
  [[nodiscard]] const Datasource* default_datasource() const;
};

// Parses and validates herald.yml text. `path_for_messages` prefixes diagnostics and gives the
// directory relative paths are resolved against.
[[nodiscard]] Loaded<Config> parse_config(std::string_view path_for_messages,
                                          std::string_view content, const EnvLookup& env);
[[nodiscard]] Loaded<Config> load_config(const std::string& path, const EnvLookup& env);

// Expands `config.rule_files` with glob(3), sorted and without duplicates. A pattern that
// matches nothing is a warning (as Prometheus logs it), not an error.
struct RuleFileList {
  std::vector<std::string> files;
  Diagnostics diagnostics;
};
[[nodiscard]] RuleFileList expand_rule_files(const Config& config);

// The effective configuration as YAML (defaults filled in), for `herald check config` and
// /api/v2/status. Every secret prints as "<secret>", URL passwords included.
[[nodiscard]] std::string dump_config(const Config& config);

}  // namespace herald::config
