// How the server turns bytes into a Request: Boost.Beast's parser (which already refuses
// conflicting or signed Content-Length, Content-Length beside Transfer-Encoding, and header names
// with white space) plus herald's own checks on the header. The same functions serve the
// server's asynchronous reads (server/http_server.cc) and frame_request, which parses a whole
// buffer at once (tests and the fuzz target). Internal to server/.
#pragma once

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <optional>
#include <string_view>
#include <variant>

#include "server/http_message.h"

namespace herald::server {

using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// A parser for one request whose header may take `max_header_bytes` (more → 431). The body's
// limit is set by body_error, after the header has been judged: Beast would otherwise refuse
// an over-long Content-Length with 413 before herald could answer 401 to a missing token.
void limit_parser(RequestParser& parser, size_t max_header_bytes);

// 413 when the header announces a body over `max_request_bytes`; otherwise nullopt, and a
// chunked body is limited to that size as it is read.
[[nodiscard]] std::optional<Response> body_error(RequestParser& parser, size_t max_request_bytes);

// The answer to a request whose header Beast accepted but herald does not: an HTTP version
// other than 1.0 and 1.1 (505), HTTP/1.1 without Host (400), a transfer coding other than
// chunked (501), a malformed target (400). nullopt: the header is fine.
[[nodiscard]] std::optional<Response> header_error(const RequestParser& parser);

// The answer to a Beast parse error: 431, 413 or 400 naming what was wrong.
[[nodiscard]] Response parse_error(const boost::beast::error_code& ec);

// The request the handlers see. REQUIRES: header_error(parser) is nullopt and the body is read.
[[nodiscard]] Request to_request(RequestParser& parser);

// Parses the first request in `bytes`: the Request, or the error answer the server would send.
// A request cut short is a 400.
[[nodiscard]] std::variant<Request, Response> frame_request(std::string_view bytes,
                                                            size_t max_header_bytes,
                                                            size_t max_request_bytes);

// A plain-text answer.
[[nodiscard]] Response text_response(int status, std::string body);

}  // namespace herald::server
