// Receivers' http_config TLS settings and proxy_url reach the wire: an HTTPS peer with a private
// CA is trusted only through tls_config.ca_file (or insecure_skip_verify), and proxy_url sends the
// request through the proxy.
#include "net/http_client_pool.h"

#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <thread>

namespace herald::net {
namespace {

namespace fs = std::filesystem;

// A self-signed certificate for 127.0.0.1 made with the openssl CLI (scripts/setup installs it).
struct Certificate {
  fs::path dir = fs::temp_directory_path() / ("herald-tls-" + std::to_string(::getpid()));
  fs::path cert = dir / "cert.pem";
  fs::path key = dir / "key.pem";
  Certificate() {
    fs::create_directories(dir);
    const std::string cmd =
        "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -addext "
        "subjectAltName=IP:127.0.0.1 -days 1 -keyout " +
        key.string() + " -out " + cert.string() + " >/dev/null 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
  }
  ~Certificate() { fs::remove_all(dir); }
};

class NoHttp final : public HttpClient {
 public:
  Result<HttpResponse> send(const HttpRequest&) override { return HttpResponse{299, {}, ""}; }
};

// One-connection HTTP proxy stand-in: records the request line and answers 200.
class RecordingProxy {
 public:
  RecordingProxy() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
    REQUIRE(::listen(fd_, 1) == 0);
    thread_ = std::thread([this] { serve(); });
  }
  ~RecordingProxy() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  int port = 0;
  std::string request_line;

 private:
  void serve() {
    const int conn = ::accept(fd_, nullptr, nullptr);
    if (conn < 0) return;
    std::string got;
    char buf[4096];
    while (got.find("\r\n\r\n") == std::string::npos) {
      const ssize_t n = ::read(conn, buf, sizeof buf);
      if (n <= 0) break;
      got.append(buf, static_cast<size_t>(n));
    }
    request_line = got.substr(0, got.find("\r\n"));
    const std::string reply = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    (void)::write(conn, reply.data(), reply.size());
    ::close(conn);
  }
  int fd_ = -1;
  std::thread thread_;
};

}  // namespace

TEST_CASE("http client pool: one client per TLS / proxy setting", "[net]") {
  NoHttp fallback;
  HttpClientPool clients(fallback);
  CHECK(&clients.client({}, "") == &fallback);
  const TlsOptions ca{.ca_file = "/etc/ssl/ca.pem"};
  HttpClient& a = clients.client(ca, "");
  CHECK(&a != &fallback);
  CHECK(&clients.client(ca, "") == &a);
  CHECK(&clients.client({}, "http://proxy:3128") != &a);
  CHECK(clients.dedicated_clients() == 2);
}

TEST_CASE("http client pool: tls_config reaches an HTTPS peer with a private CA", "[net]") {
  Certificate cert;
  httplib::SSLServer server(cert.cert.c_str(), cert.key.c_str());
  server.Post("/hook", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok", "text/plain");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  std::thread t([&] { server.listen_after_bind(); });

  CurlHttpClient system_store(TlsOptions{});
  HttpClientPool clients(system_store);
  const HttpRequest post{.method = "POST",
                         .url = "https://127.0.0.1:" + std::to_string(port) + "/hook",
                         .headers = {},
                         .body = "{}",
                         .timeout = std::chrono::seconds(10)};
  CHECK_FALSE(clients.client({}, "").send(post));  // untrusted: the system store lacks it

  auto r = clients.client(TlsOptions{.ca_file = cert.cert.string()}, "").send(post);
  REQUIRE(r);
  CHECK(r->status == 200);

  r = clients.client(TlsOptions{.insecure_skip_verify = true}, "").send(post);
  REQUIRE(r);
  CHECK(r->status == 200);
  server.stop();
  t.join();
}

TEST_CASE("http client pool: proxy_url sends the request through the proxy", "[net]") {
  RecordingProxy proxy;
  NoHttp fallback;
  HttpClientPool clients(fallback);
  const std::string via = "http://127.0.0.1:" + std::to_string(proxy.port);
  auto r = clients.client({}, via).send(HttpRequest{.method = "POST",
                                                    .url = "http://hooks.example.invalid/x",
                                                    .headers = {},
                                                    .body = "{}",
                                                    .timeout = std::chrono::seconds(10)});
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(proxy.request_line == "POST http://hooks.example.invalid/x HTTP/1.1");
}

}  // namespace herald::net
