// Which names can be runbooks: alert names, ^[A-Za-z_][A-Za-z0-9_:.-]*$. No '/' and no leading
// '.', so a valid name never leaves the runbooks directory; the runbook links, the reader of
// links.runbooks_dir and the /runbooks/<name> pages all apply this one rule. Pure.
#pragma once

#include <algorithm>
#include <string_view>

namespace herald::links {

[[nodiscard]] inline bool valid_runbook_name(std::string_view name) {
  auto alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  auto rest = [&](char c) {
    return alpha(c) || (c >= '0' && c <= '9') || c == ':' || c == '.' || c == '-';
  };
  return !name.empty() && alpha(name.front()) && std::all_of(name.begin() + 1, name.end(), rest);
}

}  // namespace herald::links
