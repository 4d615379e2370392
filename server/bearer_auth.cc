// Authorization: Bearer <token> against web.auth_token_file.
#include "server/bearer_auth.h"

#include <httplib.h>

#include <fstream>

namespace herald::server {

bool constant_time_equal(std::string_view given, std::string_view expected) {
  if (given.size() != expected.size() || expected.empty()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < given.size(); ++i)
    diff |= static_cast<unsigned char>(given[i] ^ expected[i]);
  return diff == 0;
}

WriteGuard bearer_token_guard(std::function<std::string()> token_file) {
  return [token_file = std::move(token_file)](const httplib::Request& req, httplib::Response& res) {
    const std::string file = token_file ? token_file() : "";
    if (file.empty()) return true;
    std::ifstream in(file);
    std::string token;
    std::getline(in, token);
    while (!token.empty() && (token.back() == '\r' || token.back() == ' '))
      token.pop_back();
    if (!in && token.empty()) {
      res.status = 503;
      res.set_content("cannot read web.auth_token_file\n", "text/plain");
      return false;
    }
    const std::string header = req.get_header_value("Authorization");
    const std::string_view prefix = "Bearer ";
    if (header.rfind(prefix, 0) == 0 &&
        constant_time_equal(std::string_view(header).substr(prefix.size()), token)) {
      return true;
    }
    res.status = 401;
    res.set_header("WWW-Authenticate", "Bearer");
    res.set_content("unauthorized\n", "text/plain");
    return false;
  };
}

}  // namespace herald::server
