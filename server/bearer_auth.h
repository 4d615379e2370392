// The bearer token that write endpoints require when web.auth_token_file is set: checked before
// the request is acted on, compared in constant time, and read from the file per request so a
// rotated token applies at once. Thread-safe.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace herald::server {

// Answers 401 (or 503 when the token file cannot be read) itself and returns false when the
// request may not proceed. Every route family's write endpoints call it first.
using WriteGuard = std::function<bool(const httplib::Request&, httplib::Response&)>;

// The guard for the token in the file `token_file()` names ("" = write endpoints are open).
[[nodiscard]] WriteGuard bearer_token_guard(std::function<std::string()> token_file);

// Compares without an early exit, so the time taken does not reveal how much of a guess matched.
// An empty `expected` never matches.
[[nodiscard]] bool constant_time_equal(std::string_view given, std::string_view expected);

}  // namespace herald::server
