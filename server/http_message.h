// One HTTP request as the route handlers see it, and the response they fill in: plain values,
// independent of the server's transport (server/http_server.cc), so the handlers are testable
// without a socket.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace herald::server {

// Query parameters in request order, decoded.
using QueryParams = std::multimap<std::string, std::string>;

struct Request {
  std::string method;  // "GET", "POST", …; HEAD is routed as GET
  std::string path;    // percent-decoded, without the query
  QueryParams params;
  std::vector<std::pair<std::string, std::string>> headers;  // as received
  std::string body;
  std::string rest;  // what a prefix route matched after its prefix ("" for exact routes)

  // The first header of that name (case-insensitive), or "".
  [[nodiscard]] std::string header(std::string_view name) const;
  [[nodiscard]] bool has_param(const std::string& name) const { return params.contains(name); }
  // The `i`th value of parameter `name`, or "".
  [[nodiscard]] std::string param(const std::string& name, size_t i = 0) const;
  [[nodiscard]] size_t param_count(const std::string& name) const { return params.count(name); }
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  void set_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
  void set_content(std::string content, std::string content_type) {
    body = std::move(content);
    set_header("Content-Type", std::move(content_type));
  }
};

// Splits a request target ("/path?query") into the percent-decoded path and the decoded query
// parameters, as Go's net/url does for a server ('+' in the query is a space). nullopt when an
// escape is malformed or the path decodes to a NUL.
struct Target {
  std::string path;
  QueryParams params;
};
[[nodiscard]] std::optional<Target> parse_target(std::string_view target);

}  // namespace herald::server
