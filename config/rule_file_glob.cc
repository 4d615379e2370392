// Expansion of herald.yml `rule_files` patterns with glob(3).
#include <glob.h>

#include <algorithm>

#include "config/config.h"

namespace herald::config {

RuleFileList expand_rule_files(const Config& config) {
  RuleFileList out;
  for (const RuleFilePattern& p : config.rule_files) {
    glob_t g{};
    int rc = ::glob(p.pattern.c_str(), 0, nullptr, &g);
    if (rc == 0) {
      for (size_t i = 0; i < g.gl_pathc; ++i)
        out.files.emplace_back(g.gl_pathv[i]);
    } else {
      // Prometheus only logs an empty match: a rules directory may legitimately be empty.
      std::string why = rc == GLOB_NOMATCH ? "matches no file" : "cannot be read";
      out.diagnostics.push_back(Diagnostic{p.pos, Severity::kWarning,
                                           "rule_files: pattern \"" + p.pattern + "\" " + why});
    }
    ::globfree(&g);
  }
  std::sort(out.files.begin(), out.files.end());
  out.files.erase(std::unique(out.files.begin(), out.files.end()), out.files.end());
  return out;
}

}  // namespace herald::config
