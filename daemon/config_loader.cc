// herald.yml plus its rule files, all diagnostics collected.
#include "daemon/config_loader.h"

#include "config/env.h"
#include "daemon/link_inputs.h"

namespace herald::daemon {

LoadAttempt load_configuration(const std::string& config_path) {
  LoadAttempt out;
  auto append = [&out](const Diagnostics& d) {
    out.diagnostics.insert(out.diagnostics.end(), d.begin(), d.end());
  };
  auto cfg = config::load_config(config_path, config::process_env());
  append(cfg.diagnostics);
  if (!cfg.value) return out;
  auto loaded = std::make_shared<LoadedConfig>(LoadedConfig{std::move(*cfg.value), {}, {}});
  const config::RuleFileList files = config::expand_rule_files(loaded->config);
  append(files.diagnostics);
  for (const std::string& f : files.files) {
    auto rf = config::load_rule_file(f);
    append(rf.diagnostics);
    if (rf.value) loaded->rules.push_back(std::move(*rf.value));
  }
  if (has_errors(out.diagnostics)) return out;
  loaded->links = link_settings(loaded->config);
  out.loaded = std::move(loaded);
  return out;
}

links::LinkSettings link_settings(const config::Config& config) {
  std::error_code ignored;  // an unreadable runbooks_dir means no runbook links, as an empty one
  return links::LinkSettings{config.links, config.global.external_url,
                             runbook_names(config.links.runbooks_dir, ignored)};
}

std::string describe_errors(const Diagnostics& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) {
    if (d.severity == Severity::kError) out += d.to_string() + "\n";
  }
  return out;
}

}  // namespace herald::daemon
