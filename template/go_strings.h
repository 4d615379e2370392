// Go standard-library string helpers the template functions are defined by: html/js/url
// escaping (text/template, net/url), strings.Title/ToUpper/ToLower, net.SplitHostPort,
// net.JoinHostPort, net.ParseIP and strconv.ParseFloat.
#pragma once

#include <string>
#include <string_view>
#include <tl/expected.hpp>

#include "model/url_escape.h"

namespace herald::tmpl {

// template.HTMLEscapeString; `escape_plus` adds html/template's '+' → "&#43;" (its escaper for
// values in HTML text).
[[nodiscard]] std::string html_escape(std::string_view s, bool escape_plus = false);
[[nodiscard]] std::string js_escape(std::string_view s);  // template.JSEscapeString
using herald::url_query_escape;                           // url.QueryEscape, shared with links/

// golang.org/x/text/cases.Title: upper-cases the first letter of each word; an apostrophe, '.'
// or ':' between letters and '_' do not start a word, digits belong to it ("5xx" → "5Xx").
// `lower_rest` lower-cases the word's other letters: Alertmanager's `title` does
// ("HighErrorRate" → "Higherrorrate"); Prometheus's (cases.NoLower) does not.
[[nodiscard]] std::string go_title(std::string_view s, bool lower_rest);
// strings.ToUpper / ToLower: Unicode simple case mapping; invalid UTF-8 becomes U+FFFD.
[[nodiscard]] std::string go_to_upper(std::string_view s);
[[nodiscard]] std::string go_to_lower(std::string_view s);
[[nodiscard]] std::string ascii_lower(std::string_view s);  // ASCII letters only

// net.ParseIP(s) != nil: dotted IPv4 (no leading zeros) or IPv6.
[[nodiscard]] bool is_ip_address(std::string_view s);

// strconv.ParseFloat(s, 64); the error is Go's, e.g.
// `strconv.ParseFloat: parsing "one": invalid syntax`.
[[nodiscard]] tl::expected<double, std::string> go_parse_float(std::string_view s);

}  // namespace herald::tmpl
