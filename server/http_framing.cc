// Header checks, parse errors, and the one-buffer parse.
#include "server/http_framing.h"

#include <boost/beast/http/error.hpp>
#include <limits>

namespace herald::server {
namespace http = boost::beast::http;

void limit_parser(RequestParser& parser, size_t max_header_bytes) {
  parser.header_limit(static_cast<std::uint32_t>(max_header_bytes));
  // No limit yet (not boost::none, which Beast 1.74 compares as smaller than any length).
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
}

std::optional<Response> body_error(RequestParser& parser, size_t max_request_bytes) {
  if (const auto length = parser.content_length(); length && *length > max_request_bytes) {
    return parse_error(http::error::body_limit);
  }
  parser.body_limit(max_request_bytes);
  return std::nullopt;
}

Response text_response(int status, std::string body) {
  Response res;
  res.status = status;
  res.set_content(std::move(body), "text/plain; charset=utf-8");
  return res;
}

std::optional<Response> header_error(const RequestParser& parser) {
  const auto& req = parser.get();
  if (req.version() != 10 && req.version() != 11) {
    return text_response(505, "HTTP version not supported\n");
  }
  if (req.version() == 11 && req.count(http::field::host) == 0) {
    return text_response(400, "bad request: missing Host header\n");
  }
  if (req.count(http::field::transfer_encoding) != 0 && !parser.chunked()) {
    return text_response(501, "unsupported Transfer-Encoding: only chunked is accepted\n");
  }
  if (!parse_target(std::string_view(req.target().data(), req.target().size()))) {
    return text_response(400, "bad request: malformed request target\n");
  }
  return std::nullopt;
}

Response parse_error(const boost::beast::error_code& ec) {
  if (ec == http::error::header_limit) {
    return text_response(431, "request header fields too large\n");
  }
  if (ec == http::error::bad_version) return text_response(505, "HTTP version not supported\n");
  if (ec == http::error::body_limit) {
    return text_response(413, "request body too large\n");
  }
  return text_response(400, "bad request: " + ec.message() + "\n");
}

Request to_request(RequestParser& parser) {
  http::request<http::string_body> msg = parser.release();
  std::optional<Target> target =
      parse_target(std::string_view(msg.target().data(), msg.target().size()));
  Request req;
  req.method = std::string(msg.method_string());
  req.path = std::move(target->path);
  req.params = std::move(target->params);
  for (const auto& field : msg) {
    req.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  req.body = std::move(msg.body());
  return req;
}

std::variant<Request, Response> frame_request(std::string_view bytes, size_t max_header_bytes,
                                              size_t max_request_bytes) {
  RequestParser parser;
  limit_parser(parser, max_header_bytes);
  parser.eager(false);
  boost::beast::error_code ec;
  size_t used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
  if (ec == http::error::need_more) return parse_error(http::error::partial_message);
  if (ec) return parse_error(ec);
  if (auto bad = header_error(parser)) return *bad;
  if (auto bad = body_error(parser, max_request_bytes)) return *bad;
  parser.eager(true);
  while (!parser.is_done()) {
    bytes.remove_prefix(used);
    used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
    if (ec == http::error::need_more || (!ec && used == 0)) {
      return parse_error(http::error::partial_message);
    }
    if (ec) return parse_error(ec);
  }
  return to_request(parser);
}

}  // namespace herald::server
