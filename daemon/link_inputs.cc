// Directory and file reads for `herald check links`.
#include "daemon/link_inputs.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "links/runbook_name.h"

namespace herald::daemon {
namespace {

namespace fs = std::filesystem;

// Regular files under `dir` ending in `ext`, sorted; `recursive` descends into subdirectories.
std::vector<fs::path> files_in(const std::string& dir, const std::string& ext, bool recursive,
                               std::error_code& ec) {
  std::vector<fs::path> out;
  const auto add = [&](const fs::directory_entry& e) {
    std::error_code type_ec;  // a dangling symlink is skipped, not an error
    if (e.is_regular_file(type_ec) && e.path().extension() == ext)
      out.push_back(e.path().lexically_normal());  // messages show dir/x.md, not dir/a/../x.md
  };
  if (recursive) {
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
      add(*it);
  } else {
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
      add(*it);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Diagnostic dir_error(const config::Config& cfg, const std::string& field, const std::string& dir,
                     const std::error_code& ec) {
  return Diagnostic{SourcePos{cfg.path}, Severity::kError,
                    "links." + field + ": cannot read " + dir + ": " + ec.message()};
}

void read_dashboards(const config::Config& cfg, LinkInputs& out) {
  std::error_code ec;
  const std::vector<fs::path> files = files_in(cfg.links.dashboards_dir, ".json", true, ec);
  if (ec) {
    out.diagnostics.push_back(dir_error(cfg, "dashboards_dir", cfg.links.dashboards_dir, ec));
    return;
  }
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      out.diagnostics.push_back(Diagnostic{SourcePos{file.string()}, Severity::kError,
                                           std::string("cannot read: ") + std::strerror(errno)});
      continue;
    }
    std::ostringstream text;
    text << in.rdbuf();
    config::Loaded<links::Dashboard> d = links::parse_dashboard(file.string(), text.str());
    out.diagnostics.insert(out.diagnostics.end(), d.diagnostics.begin(), d.diagnostics.end());
    if (d.value) out.dashboards.push_back(std::move(*d.value));
  }
}

void read_runbooks(const config::Config& cfg, LinkInputs& out) {
  std::error_code ec;
  out.runbooks = runbook_names(cfg.links.runbooks_dir, ec);
  if (ec) out.diagnostics.push_back(dir_error(cfg, "runbooks_dir", cfg.links.runbooks_dir, ec));
}

}  // namespace

std::set<std::string> runbook_names(const std::string& dir, std::error_code& ec) {
  std::set<std::string> out;
  for (const fs::path& file : files_in(dir, ".md", false, ec)) {
    const std::string name = file.stem().string();
    if (name != "README" && links::valid_runbook_name(name)) out.insert(name);
  }
  return out;
}

LinkInputs read_link_inputs(const config::Config& cfg) {
  LinkInputs out;
  if (!cfg.links.dashboards_dir.empty()) read_dashboards(cfg, out);
  if (!cfg.links.runbooks_dir.empty()) read_runbooks(cfg, out);
  return out;
}

}  // namespace herald::daemon
