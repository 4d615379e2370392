// http(s) URL validation and redaction for herald.yml.
#include "config/url.h"

#include <algorithm>
#include <cctype>

#include "config/secret.h"

namespace herald::config {
namespace {

struct UrlParts {
  std::string_view scheme;
  std::string_view userinfo;  // without the '@'
  std::string_view host;      // with brackets for IPv6
  std::string_view port;
  size_t authority_begin = 0;
  bool has_userinfo = false;
};

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

UrlParts split(std::string_view url) {
  UrlParts p;
  size_t colon = url.find("://");
  if (colon == std::string_view::npos) return p;
  p.scheme = url.substr(0, colon);
  p.authority_begin = colon + 3;
  std::string_view rest = url.substr(p.authority_begin);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    p.has_userinfo = true;
    p.userinfo = authority.substr(0, at);
    authority.remove_prefix(at + 1);
  }
  size_t port_colon = authority.rfind(':');
  if (port_colon != std::string_view::npos && authority.find(']', port_colon) == authority.npos) {
    p.port = authority.substr(port_colon + 1);
    authority = authority.substr(0, port_colon);
  }
  p.host = authority;
  return p;
}

}  // namespace

Status check_http_url(std::string_view url) {
  const std::string form = "must be an http or https URL with a host";
  if (std::any_of(url.begin(), url.end(),
                  [](char c) { return std::isspace(static_cast<unsigned char>(c)); })) {
    return invalid_input(form + " (it contains whitespace): \"" + redact_url(url) + "\"");
  }
  UrlParts p = split(url);
  if (!iequals(p.scheme, "http") && !iequals(p.scheme, "https")) {
    return invalid_input(form + ": \"" + redact_url(url) + "\"");
  }
  if (p.host.empty()) return invalid_input(form + " (no host): \"" + redact_url(url) + "\"");
  if (!std::all_of(p.port.begin(), p.port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return invalid_input(form + " (bad port): \"" + redact_url(url) + "\"");
  }
  return {};
}

std::string redact_url(std::string_view url) {
  UrlParts p = split(url);
  if (!p.has_userinfo) return std::string(url);
  size_t colon = p.userinfo.find(':');
  if (colon == std::string_view::npos) return std::string(url);
  size_t password_begin = p.authority_begin + colon + 1;
  size_t password_end = p.authority_begin + p.userinfo.size();
  return std::string(url.substr(0, password_begin)) + std::string(Secret::kRedacted) +
         std::string(url.substr(password_end));
}

}  // namespace herald::config
