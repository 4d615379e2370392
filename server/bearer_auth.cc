// Authorization: Bearer <token> against web.auth_token_file.
#include "server/bearer_auth.h"

#include <strings.h>

#include <fstream>
#include <sstream>

#include "model/trim.h"

namespace herald::server {
namespace {

Response text(int status, std::string body) {
  Response res;
  res.status = status;
  res.set_content(std::move(body), "text/plain; charset=utf-8");
  return res;
}

}  // namespace

bool constant_time_equal(std::string_view given, std::string_view expected) {
  if (given.size() != expected.size() || expected.empty()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < given.size(); ++i)
    diff |= static_cast<unsigned char>(given[i] ^ expected[i]);
  return diff == 0;
}

std::optional<Response> BearerAuth::check(std::string_view authorization) const {
  const std::string file = token_file_ ? token_file_() : "";
  if (file.empty()) return std::nullopt;
  std::ifstream in(file);
  std::stringstream contents;
  contents << in.rdbuf();
  const std::string token(trim(contents.str(), kAsciiSpace));
  if (!in || token.empty()) return text(503, "cannot read web.auth_token_file\n");
  constexpr std::string_view kScheme = "bearer ";
  const std::string_view given = trim(authorization, kAsciiSpace);
  if (given.size() > kScheme.size() &&
      strncasecmp(given.data(), kScheme.data(), kScheme.size()) == 0 &&
      constant_time_equal(trim(given.substr(kScheme.size()), kAsciiSpace), token)) {
    return std::nullopt;
  }
  Response res = text(401, "unauthorized\n");
  res.set_header("WWW-Authenticate", "Bearer");
  return res;
}

}  // namespace herald::server
