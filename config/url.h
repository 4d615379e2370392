// The URL checks herald.yml needs (datasource url, external_url, grafana_url): an absolute
// http or https URL with a host. Not a general URL parser.
#pragma once

#include <string>
#include <string_view>

#include "model/error.h"

namespace herald::config {

// OK for e.g. "http://prometheus:9090", "https://u:p@grafana.example.com/sub/path".
// The error message never repeats the URL's userinfo (it may hold a password).
[[nodiscard]] Status check_http_url(std::string_view url);

// `url` with the password of its userinfo (if any) replaced by "<secret>", for messages and dumps.
[[nodiscard]] std::string redact_url(std::string_view url);

}  // namespace herald::config
