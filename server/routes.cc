// Linear lookup: herald has a score of routes, matched once per request.
#include "server/routes.h"

namespace herald::server {
namespace {

// Whether `path` matches `pattern`; sets `rest` for a prefix pattern.
bool matches(const std::string& pattern, const std::string& path, std::string& rest) {
  if (!pattern.empty() && pattern.back() == '*') {
    const std::string_view prefix(pattern.data(), pattern.size() - 1);
    if (path.size() < prefix.size() || path.compare(0, prefix.size(), prefix) != 0) return false;
    rest = path.substr(prefix.size());
    return true;
  }
  return pattern == path;
}

}  // namespace

void Routes::add(std::string method, std::string pattern, Handler h, Run run) {
  routes_.push_back({std::move(method), std::move(pattern), std::move(h), run});
}

Routes::Lookup Routes::find(const std::string& method, const std::string& path) const {
  const std::string& m = method == "HEAD" ? std::string("GET") : method;
  Lookup out;
  for (const Route& r : routes_) {
    std::string rest;
    if (!matches(r.pattern, path, rest)) continue;
    if (r.method == m) return {&r, std::move(rest), ""};
    if (out.allow.find(r.method) == std::string::npos) {
      out.allow += out.allow.empty() ? r.method : ", " + r.method;
    }
  }
  return out;
}

}  // namespace herald::server
