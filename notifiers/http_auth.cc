// Authorization headers from http_config, and secret files read at send time.
#include "notifiers/http_auth.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "model/base64.h"
#include "model/trim.h"

namespace herald::notifiers {
namespace {}  // namespace

Result<std::string> read_secret_file(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return unavailable("unable to read " + std::string(what) + " " + path + ": " +
                       std::strerror(errno));
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return unavailable("unable to read " + std::string(what) + " " + path);
  return std::string(trim(content.view()));
}

Status add_authorization(const config::HttpConfig& http, HttpHeaders& headers,
                         std::vector<std::string>& secrets) {
  // prometheus/common validation allows only one of the two; authorization wins here as it is
  // the outer round tripper there.
  if (!http.authorization_type.empty()) {
    std::string credentials = http.authorization_credentials.reveal();
    if (!http.authorization_credentials_file.empty()) {
      auto read =
          read_secret_file(http.authorization_credentials_file, "authorization credentials file");
      if (!read) return tl::unexpected(read.error());
      credentials = std::move(*read);
    }
    secrets.push_back(credentials);
    headers.emplace_back("Authorization", http.authorization_type + " " + credentials);
    return {};
  }
  if (http.basic_auth) {
    std::string password = http.basic_auth->password.reveal();
    if (!http.basic_auth->password_file.empty()) {
      auto read = read_secret_file(http.basic_auth->password_file, "basic auth password file");
      if (!read) return tl::unexpected(read.error());
      password = std::move(*read);
    }
    secrets.push_back(password);
    const std::string token = base64_encode(http.basic_auth->username + ":" + password);
    secrets.push_back(token);
    headers.emplace_back("Authorization", "Basic " + token);
  }
  return {};
}

}  // namespace herald::notifiers
