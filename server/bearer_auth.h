// The bearer token that write endpoints require when web.auth_token_file is set: checked on the
// request's headers, before its body is read (server/http_server.cc), compared in constant time,
// and read from the file per request so a rotated token applies at once. Thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "server/http_message.h"

namespace herald::server {

class BearerAuth {
 public:
  // `token_file()` names the file holding the token ("" or null: write endpoints are open).
  explicit BearerAuth(std::function<std::string()> token_file)
      : token_file_(std::move(token_file)) {}

  // nullopt when a request with this Authorization header value may write; else the answer:
  // 401, or 503 when the token file cannot be read (an unreadable file never means "open").
  // The scheme is case-insensitive (RFC 7235); the file's surrounding whitespace is not part of
  // the token.
  [[nodiscard]] std::optional<Response> check(std::string_view authorization) const;

 private:
  std::function<std::string()> token_file_;
};

// Compares without an early exit, so the time taken does not reveal how much of a guess matched.
// An empty `expected` never matches.
[[nodiscard]] bool constant_time_equal(std::string_view given, std::string_view expected);

}  // namespace herald::server
