// The check subcommands: thin reporting over config's loaders and links' checks.
#include "app/check_command.h"

#include <ostream>

#include "config/config.h"
#include "config/rule_file.h"
#include "daemon/link_inputs.h"
#include "links/link_check.h"

namespace herald::app {
namespace {

// Prints diagnostics; returns how many are errors.
int report(const Diagnostics& diags, std::ostream& err) {
  int errors = 0;
  for (const Diagnostic& d : diags) {
    err << d.to_string() << "\n";
    if (d.severity == Severity::kError) ++errors;
  }
  return errors;
}

std::string plural(size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// Reports the diagnostics of a loaded rule file and, with `print_ok`, its summary when valid.
// Returns its number of errors.
int report_rule_file(const std::string& path, const config::Loaded<config::RuleFile>& loaded,
                     bool print_ok, std::ostream& out, std::ostream& err) {
  const int errors = report(loaded.diagnostics, err);
  if (errors == 0 && loaded.value && print_ok) {
    size_t alerting = 0, recording = 0;
    for (const auto& g : loaded.value->groups) {
      for (const auto& r : g.rules)
        (r.kind == config::RuleKind::kAlerting ? alerting : recording)++;
    }
    out << path << ": OK: " << plural(loaded.value->groups.size(), "group") << ", "
        << plural(alerting, "alerting rule") << ", " << plural(recording, "recording rule") << "\n";
  }
  return errors;
}

// The rule files a config names, loaded and reported.
struct CheckedRuleFiles {
  size_t count = 0;                      // files matched by rule_files
  std::vector<config::RuleFile> loaded;  // those without errors
  int errors = 0;
};

CheckedRuleFiles check_rule_files_of(const config::Config& cfg, bool print_ok, std::ostream& out,
                                     std::ostream& err) {
  const config::RuleFileList list = config::expand_rule_files(cfg);
  CheckedRuleFiles checked{list.files.size(), {}, report(list.diagnostics, err)};
  for (const std::string& f : list.files) {
    config::Loaded<config::RuleFile> loaded = config::load_rule_file(f);
    checked.errors += report_rule_file(f, loaded, print_ok, out, err);
    if (loaded.value) checked.loaded.push_back(std::move(*loaded.value));
  }
  return checked;
}

// Reads the dashboards and runbooks, runs the link checks and reports them. Returns the number
// of errors; prints `<path>: OK: links: …` when there are none and `errors_before` is 0.
int check_links_of(const std::string& path, const config::Config& cfg,
                   const std::vector<config::RuleFile>& rules, int errors_before, std::ostream& out,
                   std::ostream& err) {
  const daemon::LinkInputs inputs = daemon::read_link_inputs(cfg);
  int errors = report(inputs.diagnostics, err);
  errors += report(links::check_links(cfg, rules, inputs.dashboards, inputs.runbooks), err);
  if (errors + errors_before == 0) {
    out << path << ": OK: links: " << plural(cfg.links.drilldowns.size(), "drilldown") << ", "
        << plural(inputs.dashboards.size(), "dashboard") << ", "
        << plural(inputs.runbooks.size(), "runbook") << "\n";
  }
  return errors;
}

int finish(int errors, std::ostream& err) {
  if (errors == 0) return 0;
  err << plural(static_cast<size_t>(errors), "error") << "\n";
  return 1;
}

}  // namespace

int check_rules(const std::vector<std::string>& files, std::ostream& out, std::ostream& err) {
  int errors = 0;
  for (const std::string& f : files)
    errors += report_rule_file(f, config::load_rule_file(f), true, out, err);
  return finish(errors, err);
}

int check_config(const std::string& path, bool dump, const config::EnvLookup& env,
                 std::ostream& out, std::ostream& err) {
  const config::Loaded<config::Config> loaded = config::load_config(path, env);
  int errors = report(loaded.diagnostics, err);
  if (!loaded.value) return finish(errors, err);
  const config::Config& cfg = *loaded.value;
  const CheckedRuleFiles rules = check_rule_files_of(cfg, true, out, err);
  errors += rules.errors;
  if (errors == 0) {
    out << path << ": OK: " << plural(cfg.datasources.size(), "datasource") << ", "
        << plural(rules.count, "rule file") << "\n";
  }
  if (!cfg.links.dashboards_dir.empty() || !cfg.links.runbooks_dir.empty())
    errors += check_links_of(path, cfg, rules.loaded, errors, out, err);
  if (errors == 0 && dump) out << config::dump_config(cfg);
  return finish(errors, err);
}

int check_links(const std::string& config_path, const config::EnvLookup& env, std::ostream& out,
                std::ostream& err) {
  const config::Loaded<config::Config> loaded = config::load_config(config_path, env);
  int errors = report(loaded.diagnostics, err);
  if (!loaded.value) return finish(errors, err);
  const CheckedRuleFiles rules = check_rule_files_of(*loaded.value, false, out, err);
  errors += rules.errors;
  errors += check_links_of(config_path, *loaded.value, rules.loaded, errors, out, err);
  return finish(errors, err);
}

}  // namespace herald::app
