// Request framing on whole buffers: what the server accepts, and what it refuses with which
// status, before any handler sees the request.
#include "server/http_framing.h"

#include <catch2/catch.hpp>

using herald::server::frame_request;
using herald::server::parse_target;
using herald::server::Request;
using herald::server::Response;

namespace {

constexpr size_t kHeaderLimit = 1024;
constexpr size_t kBodyLimit = 64;

std::variant<Request, Response> frame(const std::string& bytes) {
  return frame_request(bytes, kHeaderLimit, kBodyLimit);
}

int status_of(const std::string& bytes) {
  auto r = frame(bytes);
  return std::holds_alternative<Response>(r) ? std::get<Response>(r).status : 0;
}

Request request_of(const std::string& bytes) {
  auto r = frame(bytes);
  if (std::holds_alternative<Response>(r)) FAIL(std::get<Response>(r).body);
  return std::get<Request>(std::move(r));
}

}  // namespace

TEST_CASE("framing: a plain request, its headers, target and body", "[server][framing]") {
  Request r = request_of(
      "POST /api/v2/alerts?a=1&b=x+y&b=%2F HTTP/1.1\r\nHost: h\r\nX-Thing: v\r\n"
      "Content-Length: 5\r\n\r\nhello");
  CHECK(r.method == "POST");
  CHECK(r.path == "/api/v2/alerts");
  CHECK(r.param("a") == "1");
  CHECK(r.param_count("b") == 2);
  CHECK(r.param("b", 0) == "x y");
  CHECK(r.param("b", 1) == "/");
  CHECK(r.header("x-thing") == "v");
  CHECK(r.body == "hello");
}

TEST_CASE("framing: a chunked body is reassembled", "[server][framing]") {
  Request r = request_of(
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
      "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
  CHECK(r.body == "abcde");
}

TEST_CASE("framing: ambiguous lengths are refused", "[server][framing]") {
  // Two different lengths: which one a proxy used is unknowable (request smuggling).
  CHECK(status_of("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n"
                  "abcd") == 400);
  CHECK(status_of("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +3\r\n\r\nabc") == 400);
  CHECK(status_of("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -3\r\n\r\nabc") == 400);
  CHECK(status_of("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n"
                  "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n") == 400);
  CHECK(status_of("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding : chunked\r\n\r\n"
                  "3\r\nabc\r\n0\r\n\r\n") == 400);
  CHECK(status_of("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\nabc") == 501);
  // The same length twice is one length (RFC 9110 §8.6).
  CHECK(request_of("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n"
                   "abc")
            .body == "abc");
}

TEST_CASE("framing: versions, Host and targets", "[server][framing]") {
  CHECK(status_of("GET / HTTP/1.1\r\n\r\n") == 400);  // HTTP/1.1 requires Host
  CHECK(request_of("GET / HTTP/1.0\r\n\r\n").path == "/");
  CHECK(status_of("GET / HTTP/2.0\r\nHost: h\r\n\r\n") == 505);
  CHECK(status_of("GET /a%zz HTTP/1.1\r\nHost: h\r\n\r\n") == 400);
  CHECK(status_of("GET /a%00 HTTP/1.1\r\nHost: h\r\n\r\n") == 400);
  CHECK(status_of("GARBAGE\r\n\r\n") == 400);
  CHECK(status_of("GET / HTTP/1.1\r\nHost: h\r\n") == 400);  // cut short
}

TEST_CASE("framing: limits answer 431 and 413", "[server][framing]") {
  CHECK(status_of("GET / HTTP/1.1\r\nHost: h\r\nX: " + std::string(2 * kHeaderLimit, 'a') +
                  "\r\n\r\n") == 431);
  CHECK(status_of("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 65\r\n\r\n" +
                  std::string(65, 'a')) == 413);
  CHECK(status_of("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n41\r\n" +
                  std::string(65, 'a') + "\r\n0\r\n\r\n") == 413);
  CHECK(
      request_of("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 64\r\n\r\n" + std::string(64, 'a'))
          .body.size() == 64);
}

TEST_CASE("framing: query parameters decode as Go's URL.Query", "[server][framing]") {
  auto t = parse_target("/p%20q?filter=alertname%3D%22x%22&x;y=1&bad=%zz&empty&=v");
  REQUIRE(t);
  CHECK(t->path == "/p q");
  CHECK(t->params.size() == 3);
  CHECK(t->params.find("filter")->second == "alertname=\"x\"");
  CHECK(t->params.find("empty")->second.empty());
  CHECK(t->params.find("")->second == "v");
  CHECK_FALSE(t->params.contains("bad"));
  CHECK_FALSE(parse_target("/%4"));
}
