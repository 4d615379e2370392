// The check subcommands: thin reporting over config's loaders.
#include "app/check_command.h"

#include <ostream>

#include "config/config.h"
#include "config/rule_file.h"

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

// Returns the number of errors in `path`.
int check_rule_file(const std::string& path, std::ostream& out, std::ostream& err) {
  const config::Loaded<config::RuleFile> loaded = config::load_rule_file(path);
  const int errors = report(loaded.diagnostics, err);
  if (errors == 0 && loaded.value) {
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

int finish(int errors, std::ostream& err) {
  if (errors == 0) return 0;
  err << plural(static_cast<size_t>(errors), "error") << "\n";
  return 1;
}

}  // namespace

int check_rules(const std::vector<std::string>& files, std::ostream& out, std::ostream& err) {
  int errors = 0;
  for (const std::string& f : files)
    errors += check_rule_file(f, out, err);
  return finish(errors, err);
}

int check_config(const std::string& path, bool dump, const config::EnvLookup& env,
                 std::ostream& out, std::ostream& err) {
  const config::Loaded<config::Config> loaded = config::load_config(path, env);
  int errors = report(loaded.diagnostics, err);
  if (!loaded.value) return finish(errors, err);
  const config::RuleFileList rule_files = config::expand_rule_files(*loaded.value);
  errors += report(rule_files.diagnostics, err);
  for (const std::string& f : rule_files.files)
    errors += check_rule_file(f, out, err);
  if (errors == 0) {
    out << path << ": OK: " << plural(loaded.value->datasources.size(), "datasource") << ", "
        << plural(rule_files.files.size(), "rule file") << "\n";
    if (dump) out << config::dump_config(*loaded.value);
  }
  return finish(errors, err);
}

}  // namespace herald::app
