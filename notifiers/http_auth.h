// The request side of an integration's http_config that herald's HttpClient does not see: the
// Authorization header (basic auth, or an authorization type + credentials such as a bearer
// token), with password_file / credentials_file read at every send as prometheus/common's round
// trippers read them, so a rotated file is picked up without a reload.
#pragma once

#include <string>
#include <vector>

#include "config/receivers.h"
#include "model/error.h"
#include "model/http_client.h"

namespace herald::notifiers {

// Appends the Authorization header `http` asks for (none without credentials) to `headers`, and
// the credential texts to `secrets` (for redaction). kUnavailable when a file cannot be read: the
// error names the file, never its content.
[[nodiscard]] Status add_authorization(const config::HttpConfig& http, HttpHeaders& headers,
                                       std::vector<std::string>& secrets);

// A file's content with surrounding whitespace trimmed (prometheus/common's strings.TrimSpace).
// kUnavailable naming `what` and the path when it cannot be read.
[[nodiscard]] Result<std::string> read_secret_file(const std::string& path, std::string_view what);

}  // namespace herald::notifiers
