// Go standard-library string helpers the template functions are defined by: html/js/url
// escaping (text/template, net/url), strings.Title/ToUpper/ToLower, net.SplitHostPort,
// net.JoinHostPort, net.ParseIP and strconv.ParseFloat.
#pragma once

#include <string>
#include <string_view>
#include <tl/expected.hpp>

#include "model/url_escape.h"

namespace herald::tmpl {

[[nodiscard]] std::string html_escape(std::string_view s);  // template.HTMLEscapeString
[[nodiscard]] std::string js_escape(std::string_view s);    // template.JSEscapeString
using herald::url_query_escape;                             // url.QueryEscape, shared with links/

// Title-cases the first letter of each word (Prometheus's `title`). Only ASCII letters change
// case; an apostrophe, '.' or ':' between letters does not start a word (Unicode word breaks,
// as golang.org/x/text/cases.Title, which current Prometheus uses).
[[nodiscard]] std::string go_title(std::string_view s);
[[nodiscard]] std::string ascii_upper(std::string_view s);  // strings.ToUpper for ASCII text
[[nodiscard]] std::string ascii_lower(std::string_view s);

struct HostPort {
  std::string host;
  std::string port;
};
// net.SplitHostPort; the error is Go's message ("missing port in address").
[[nodiscard]] tl::expected<HostPort, std::string> split_host_port(std::string_view hostport);
[[nodiscard]] std::string join_host_port(std::string_view host, std::string_view port);
// net.ParseIP(s) != nil: dotted IPv4 (no leading zeros) or IPv6.
[[nodiscard]] bool is_ip_address(std::string_view s);

// strconv.ParseFloat(s, 64); the error is Go's, e.g.
// `strconv.ParseFloat: parsing "one": invalid syntax`.
[[nodiscard]] tl::expected<double, std::string> go_parse_float(std::string_view s);

}  // namespace herald::tmpl
