// Authorization headers from http_config, and secret files read at send time.
#include "notifiers/http_auth.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace herald::notifiers {
namespace {

std::string trim_space(std::string s) {
  const char* ws = " \t\r\n\v\f";
  const size_t begin = s.find_first_not_of(ws);
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(ws) - begin + 1);
}

}  // namespace

Result<std::string> read_secret_file(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return unavailable("unable to read " + std::string(what) + " " + path + ": " +
                       std::strerror(errno));
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return unavailable("unable to read " + std::string(what) + " " + path);
  return trim_space(std::move(content).str());
}

std::string base64_encode(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i < bytes.size()) {
    uint32_t v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
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
