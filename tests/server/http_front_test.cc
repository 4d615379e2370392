// The HTTP front over real sockets: what a hostile or sloppy client gets. Raw sockets, because an
// HTTP client library would not send what these tests need to send.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "server/http_server.h"

using herald::server::HttpServer;
using herald::server::ServerHooks;
using herald::server::ServerLimits;

namespace {

using Clock = std::chrono::steady_clock;

class Socket {
 public:
  explicit Socket(int port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Socket() { ::close(fd_); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  [[nodiscard]] bool connected() const { return connected_; }
  void send_all(const std::string& bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<size_t>(n);
    }
  }
  // What arrives until `done(received)` or the peer closes or `deadline` passes.
  std::string receive(const std::function<bool(const std::string&)>& done,
                      std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
    std::string out;
    const auto end = Clock::now() + deadline;
    while (!done(out) && Clock::now() < end) {
      pollfd p{fd_, POLLIN, 0};
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now());
      if (poll(&p, 1, static_cast<int>(std::max<int64_t>(left.count(), 0))) <= 0) break;
      char buf[4096];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }
  // `count` complete responses (each with a Content-Length), or what arrived by the deadline.
  std::string responses(size_t count) {
    return receive([count](const std::string& s) { return complete_responses(s) >= count; });
  }
  // Whether the server has closed its side (a read returns end of file within `wait`).
  bool closed_by_peer(std::chrono::milliseconds wait = std::chrono::seconds(5)) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(wait.count())) <= 0) return false;
    char buf[256];
    return ::recv(fd_, buf, sizeof buf, MSG_PEEK) == 0;
  }

  static size_t complete_responses(const std::string& s) {
    size_t count = 0, at = 0;
    for (;;) {
      const size_t end = s.find("\r\n\r\n", at);
      if (end == std::string::npos) return count;
      const size_t cl = s.find("Content-Length: ", at);
      size_t length = 0;
      if (cl != std::string::npos && cl < end) length = std::stoul(s.substr(cl + 16));
      if (s.size() < end + 4 + length) return count;
      at = end + 4 + length;
      ++count;
    }
  }

 private:
  int fd_;
  bool connected_ = false;
};

std::string status_line(const std::string& response) {
  return response.substr(0, response.find("\r\n"));
}

struct TokenFile {
  std::string path = std::string(HERALD_BINARY_DIR) + "/http_front_test_token";
  explicit TokenFile(const std::string& contents) { std::ofstream(path) << contents; }
  ~TokenFile() { std::remove(path.c_str()); }
};

ServerHooks hooks_with(std::function<std::string()> token_file = {}) {
  ServerHooks h;
  h.prometheus.groups = [] { return std::vector<herald::evaluator::GroupStatus>{}; };
  h.ops.ready = [] { return true; };
  h.ops.metrics = [] { return std::string("m 1\n"); };
  h.ops.reload = [] { return herald::daemon::ReloadOutcome{true, ""}; };
  h.auth_token_file = std::move(token_file);
  return h;
}

const std::string kHealthy = "GET /-/healthy HTTP/1.1\r\nHost: h\r\n\r\n";

}  // namespace

TEST_CASE("http front: pipelined requests are answered in order", "[server][front]") {
  HttpServer server(hooks_with());
  REQUIRE(server.start("127.0.0.1:0"));
  Socket s(server.port());
  s.send_all(kHealthy + "GET /nope HTTP/1.1\r\nHost: h\r\n\r\n" + kHealthy);
  const std::string got = s.responses(3);
  REQUIRE(Socket::complete_responses(got) == 3);
  const size_t first = got.find("HTTP/1.1 200"), second = got.find("HTTP/1.1 404"),
               third = got.find("HTTP/1.1 200", first + 1);
  CHECK(first < second);
  CHECK(second < third);
  CHECK(third != std::string::npos);
}

TEST_CASE("http front: a write's token is checked before its body is read", "[server][front]") {
  TokenFile token("  s3cret \n");
  herald::MetricsRegistry metrics;
  ServerHooks hooks = hooks_with([&] { return token.path; });
  hooks.metrics = &metrics;
  HttpServer server(std::move(hooks));
  REQUIRE(server.start("127.0.0.1:0"));

  SECTION("no token: 401 at once, and the connection closes without waiting for the body") {
    Socket s(server.port());
    s.send_all("POST /-/reload HTTP/1.1\r\nHost: h\r\nContent-Length: 300000000\r\n\r\n");
    const std::string got = s.responses(1);
    CHECK(status_line(got) == "HTTP/1.1 401 Unauthorized");
    CHECK(s.closed_by_peer());
    CHECK(metrics.render().find("herald_http_requests_refused_total{reason=\"unauthorized\"} 1") !=
          std::string::npos);
  }
  SECTION("the token, but a body over the limit: 413 before it is read") {
    Socket s(server.port());
    s.send_all(
        "POST /-/reload HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer s3cret\r\n"
        "Content-Length: 300000000\r\n\r\n");
    CHECK(status_line(s.responses(1)) == "HTTP/1.1 413 Payload Too Large");
  }
  SECTION("the scheme is case-insensitive and the file's white space is not the token") {
    Socket s(server.port());
    s.send_all(
        "POST /-/reload HTTP/1.1\r\nHost: h\r\nauthorization: bearer s3cret\r\n"
        "Content-Length: 0\r\n\r\n");
    CHECK(status_line(s.responses(1)) == "HTTP/1.1 200 OK");
  }
  SECTION("Expect: 100-continue gets its 401 without sending the body") {
    Socket s(server.port());
    s.send_all(
        "POST /-/reload HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
        "Content-Length: 10\r\n\r\n");
    CHECK(status_line(s.responses(1)) == "HTTP/1.1 401 Unauthorized");
  }
  SECTION("with the token, Expect: 100-continue is answered before the body") {
    Socket s(server.port());
    s.send_all(
        "POST /-/reload HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer s3cret\r\n"
        "Expect: 100-continue\r\nContent-Length: 4\r\n\r\n");
    CHECK(status_line(s.receive([](const std::string& r) {
            return r.find("\r\n\r\n") != std::string::npos;
          })) == "HTTP/1.1 100 Continue");
    s.send_all("body");
    CHECK(s.receive([](const std::string& r) {
             return r.find("200 OK") != std::string::npos;
           }).find("HTTP/1.1 200 OK") != std::string::npos);
  }
}

TEST_CASE("http front: a slow request gets 408, an idle connection just closes",
          "[server][front]") {
  herald::MetricsRegistry metrics;
  ServerHooks hooks = hooks_with();
  hooks.metrics = &metrics;
  ServerLimits limits;
  limits.header_timeout = std::chrono::milliseconds(300);
  limits.idle_timeout = std::chrono::milliseconds(300);
  HttpServer server(std::move(hooks), limits);
  REQUIRE(server.start("127.0.0.1:0"));

  Socket slow(server.port());
  slow.send_all("GET /-/healthy HTTP/1.1\r\nHo");
  CHECK(status_line(slow.responses(1)) == "HTTP/1.1 408 Request Timeout");
  CHECK(slow.closed_by_peer());

  Socket idle(server.port());
  CHECK(idle.closed_by_peer());
  CHECK(metrics.render().find("herald_http_requests_refused_total{reason=\"timeout\"} 1") !=
        std::string::npos);
}

TEST_CASE("http front: clients holding every connection cannot keep a probe out",
          "[server][front]") {
  herald::MetricsRegistry metrics;
  ServerHooks hooks = hooks_with();
  hooks.metrics = &metrics;
  ServerLimits limits;
  limits.max_connections = 16;
  limits.max_connections_per_client = 8;
  HttpServer server(std::move(hooks), limits);
  REQUIRE(server.start("127.0.0.1:0"));

  // Twenty half-sent requests from one address: the ninth and later each close the oldest.
  std::vector<std::unique_ptr<Socket>> held;
  for (int i = 0; i < 20; ++i) {
    held.push_back(std::make_unique<Socket>(server.port()));
    REQUIRE(held.back()->connected());
    held.back()->send_all("GET /-/healthy HTTP/1.1\r\nX-Slow: ");
  }
  Socket probe(server.port());
  probe.send_all(kHealthy);
  CHECK(status_line(probe.responses(1)) == "HTTP/1.1 200 OK");
  CHECK(metrics.render().find("herald_http_connections_evicted_total 13") != std::string::npos);
}

TEST_CASE("http front: a client whose connections are all busy gets 429", "[server][front]") {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> running{0};
  ServerHooks hooks = hooks_with();
  hooks.ops.reload = [&] {
    ++running;
    released.wait();
    return herald::daemon::ReloadOutcome{true, ""};
  };
  ServerLimits limits;
  limits.max_connections_per_client = 2;
  HttpServer server(std::move(hooks), limits);
  REQUIRE(server.start("127.0.0.1:0"));
  const std::string reload = "POST /-/reload HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n";
  Socket a(server.port()), b(server.port());
  a.send_all(reload);
  b.send_all(reload);
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (running.load() < 2 && Clock::now() < deadline)
    std::this_thread::yield();
  REQUIRE(running.load() == 2);  // both in their handlers: nothing to evict
  Socket c(server.port());
  CHECK(status_line(c.responses(1)) == "HTTP/1.1 429 Too Many Requests");
  release.set_value();
  CHECK(status_line(a.responses(1)) == "HTTP/1.1 200 OK");
  CHECK(status_line(b.responses(1)) == "HTTP/1.1 200 OK");
}

TEST_CASE("http front: a reused connection answers many requests", "[server][front]") {
  HttpServer server(hooks_with());
  REQUIRE(server.start("127.0.0.1:0"));
  Socket s(server.port());
  for (int i = 0; i < 20; ++i) {
    s.send_all(kHealthy);
    REQUIRE(status_line(s.responses(1)) == "HTTP/1.1 200 OK");
  }
}

TEST_CASE("http front: HEAD answers a GET route's headers without its body", "[server][front]") {
  HttpServer server(hooks_with());
  REQUIRE(server.start("127.0.0.1:0"));
  Socket s(server.port());
  s.send_all("HEAD /-/healthy HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
  const std::string got = s.receive([](const std::string&) { return false; });
  CHECK(status_line(got) == "HTTP/1.1 200 OK");
  CHECK(got.find("Content-Length: 19\r\n") != std::string::npos);
  CHECK(got.substr(got.find("\r\n\r\n") + 4).empty());
}
