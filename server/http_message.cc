// Header lookup and request-target decoding.
#include "server/http_message.h"

#include <strings.h>

namespace herald::server {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes `s` ('+' → ' ' when `plus_is_space`); nullopt on a malformed escape.
std::optional<std::string> unescape(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (s[i] == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace

std::string Request::header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (n.size() == name.size() && strncasecmp(n.data(), name.data(), n.size()) == 0) return v;
  }
  return "";
}

std::string Request::param(const std::string& name, size_t i) const {
  auto [it, end] = params.equal_range(name);
  for (; it != end; ++it, --i) {
    if (i == 0) return it->second;
  }
  return "";
}

std::optional<Target> parse_target(std::string_view target) {
  const size_t q = target.find('?');
  std::optional<std::string> path = unescape(target.substr(0, q), false);
  if (!path || path->find('\0') != std::string::npos) return std::nullopt;
  Target out{std::move(*path), {}};
  if (q == std::string_view::npos) return out;
  std::string_view query = target.substr(q + 1);
  // As Go's URL.Query(): pairs split on '&'; a pair with ';' or a bad escape is dropped.
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty() || pair.find(';') != std::string_view::npos) continue;
    const size_t eq = pair.find('=');
    auto key = unescape(pair.substr(0, eq), true);
    auto value = eq == std::string_view::npos ? std::optional<std::string>("")
                                              : unescape(pair.substr(eq + 1), true);
    if (key && value) out.params.emplace(std::move(*key), std::move(*value));
  }
  return out;
}

}  // namespace herald::server
