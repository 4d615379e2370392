// CurlHttpClient against a real cpp-httplib server on 127.0.0.1 (port 0): keep-alive reuse,
// timeouts, refused connections, non-2xx responses, headers, large bodies and secret hygiene.
// Plus one smoke test of CurlHttpClient + PrometheusClient against the real Prometheus binary.
#include "net/curl_http_client.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "evaluator/prometheus_client.h"

using herald::ErrorCode;
using herald::HttpRequest;
using herald::net::CurlHttpClient;
using std::chrono::milliseconds;

namespace {

constexpr size_t kLargeBody = size_t{5} << 20;

// An HTTP server on a free local port, serving in its own thread until destroyed. Counts the
// distinct client connections it has seen (by the client's source port).
class TestServer {
 public:
  TestServer() {
    server_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response&) {
      std::lock_guard lock(mu_);
      client_ports_.insert(req.remote_port);
      return httplib::Server::HandlerResponse::Unhandled;
    });
    add_routes();
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!server_.is_running() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(milliseconds(5));
  }
  ~TestServer() {
    release_slow_ = true;
    server_.stop();
    thread_.join();
  }

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  size_t connections() const {
    std::lock_guard lock(mu_);
    return client_ports_.size();
  }

 private:
  void add_routes() {
    server_.Get("/hello", [](const httplib::Request&, httplib::Response& res) {
      res.set_header("X-Test", "yes");
      res.set_content("hello", "text/plain");
    });
    server_.Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
      res.set_header("X-Echo-Custom", req.get_header_value("X-Custom"));
      res.set_header("X-Echo-Content-Type", req.get_header_value("Content-Type"));
      res.set_content(req.body, "text/plain");
    });
    server_.Get(R"(/status/(\d+))", [](const httplib::Request& req, httplib::Response& res) {
      res.status = std::stoi(req.matches[1].str());
      res.set_content("status body", "text/plain");
    });
    server_.Get("/slow", [this](const httplib::Request&, httplib::Response& res) {
      // Simulates a slow peer: 2s, or until the server is torn down.
      const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(2);
      while (!release_slow_ && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(milliseconds(10));
      res.set_content("late", "text/plain");
    });
    server_.Get("/pause", [](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(milliseconds(300));
      res.status = 429;
      res.set_content("wait", "text/plain");
    });
    server_.Get("/large", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(kLargeBody, 'x'), "application/octet-stream");
    });
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> release_slow_{false};
  mutable std::mutex mu_;
  std::set<int> client_ports_;  // GUARDED_BY(mu_)
};

// A local port that was bound and closed again: nothing listens there.
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  ::close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace

TEST_CASE("curl client: sequential requests reuse kept-alive connections", "[app][http]") {
  TestServer server;
  CurlHttpClient client(herald::TlsOptions{});
  constexpr int kRequests = 10;
  for (int i = 0; i < kRequests; ++i) {
    auto r = client.send({.url = server.url("/hello")});
    REQUIRE(r.has_value());
    CHECK(r->status == 200);
    CHECK(r->body == "hello");
  }
  // cpp-httplib closes a connection after 5 requests, so 2 is the expected count.
  CHECK(server.connections() < kRequests);
  CHECK(server.connections() <= 3);
}

TEST_CASE("curl client: concurrent requests all succeed", "[app][http]") {
  TestServer server;
  CurlHttpClient client(herald::TlsOptions{});
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        auto r = client.send({.url = server.url("/hello")});
        if (r && r->status == 200 && r->body == "hello") ++ok;
      }
    });
  }
  for (auto& t : threads)
    t.join();
  CHECK(ok == 40);
}

TEST_CASE("curl client: response headers are returned and looked up case-insensitively",
          "[app][http]") {
  TestServer server;
  CurlHttpClient client(herald::TlsOptions{});
  auto r = client.send({.url = server.url("/hello")});
  REQUIRE(r.has_value());
  CHECK(r->header("x-test") == "yes");
  CHECK(r->header("X-TEST") == "yes");
  CHECK(r->header("content-type") == "text/plain");
  CHECK_FALSE(r->header("X-Absent").has_value());
}

TEST_CASE("curl client: a POST sends its body and headers", "[app][http]") {
  TestServer server;
  CurlHttpClient client(herald::TlsOptions{});
  const std::string body(4096, 'b');  // over 1 KiB: must not stall on "Expect: 100-continue"
  const auto start = std::chrono::steady_clock::now();
  auto r = client.send({.method = "POST",
                        .url = server.url("/echo"),
                        .headers = {{"X-Custom", "v1"}, {"Content-Type", "application/json"}},
                        .body = body});
  REQUIRE(r.has_value());
  CHECK(std::chrono::steady_clock::now() - start < milliseconds(900));
  CHECK(r->status == 200);
  CHECK(r->body == body);
  CHECK(r->header("X-Echo-Custom") == "v1");
  CHECK(r->header("X-Echo-Content-Type") == "application/json");
}

TEST_CASE("curl client: non-2xx statuses are responses, not errors", "[app][http]") {
  const int status = GENERATE(301, 400, 401, 404, 429, 500, 502, 503);
  TestServer server;
  CurlHttpClient client(herald::TlsOptions{});
  auto r = client.send({.url = server.url("/status/" + std::to_string(status))});
  REQUIRE(r.has_value());
  CHECK(r->status == status);
  CHECK(r->body == "status body");
}

TEST_CASE("curl client: a response says how long the exchange took", "[app][http]") {
  TestServer server;
  CurlHttpClient client(herald::TlsOptions{});
  const auto start = std::chrono::steady_clock::now();
  auto r = client.send({.url = server.url("/pause")});
  const auto measured = std::chrono::steady_clock::now() - start;
  REQUIRE(r.has_value());
  CHECK(r->status == 429);
  CHECK(r->elapsed >= milliseconds(300));
  CHECK(r->elapsed <= measured);
}

TEST_CASE("curl client: a slow response times out as unavailable", "[app][http]") {
  TestServer server;
  CurlHttpClient client(herald::TlsOptions{});
  const auto start = std::chrono::steady_clock::now();
  auto r = client.send({.url = server.url("/slow?token=query-secret"),
                        .headers = {{"Authorization", "Bearer header-secret"}},
                        .timeout = milliseconds(200)});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == ErrorCode::kUnavailable);
  CHECK(elapsed < milliseconds(1500));
  CHECK_THAT(r.error().message, Catch::StartsWith("GET " + server.url("/slow") + ": "));
  CHECK_THAT(r.error().message, !Catch::Contains("secret"));
  // The handle that timed out goes back to the pool and still works.
  auto after = client.send({.url = server.url("/hello")});
  REQUIRE(after.has_value());
  CHECK(after->status == 200);
}

TEST_CASE("curl client: a refused connection is unavailable and leaks no credentials",
          "[app][http]") {
  CurlHttpClient client(herald::TlsOptions{});
  const std::string authority = "127.0.0.1:" + std::to_string(closed_port());
  auto r = client.send({.method = "POST",
                        .url = "http://user:pw-secret@" + authority + "/api?token=q-secret#frag",
                        .headers = {{"Authorization", "Bearer h-secret"}},
                        .body = "query=body-secret"});
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == ErrorCode::kUnavailable);
  CHECK_THAT(r.error().message, Catch::StartsWith("POST http://" + authority + "/api: "));
  CHECK_THAT(r.error().message, !Catch::Contains("secret"));
}

TEST_CASE("curl client: unresolvable hosts and bad URLs are unavailable", "[app][http]") {
  CurlHttpClient client(herald::TlsOptions{});
  const std::string url = GENERATE(std::string("http://no-such-host.invalid/x"),
                                   std::string("ftp://127.0.0.1/x"), std::string("not a url"));
  auto r = client.send({.url = url, .timeout = milliseconds(2000)});
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == ErrorCode::kUnavailable);
}

TEST_CASE("curl client: large bodies arrive whole; over the cap is an error", "[app][http]") {
  TestServer server;
  SECTION("under the cap") {
    CurlHttpClient client(herald::TlsOptions{});
    auto r = client.send({.url = server.url("/large")});
    REQUIRE(r.has_value());
    CHECK(r->body.size() == kLargeBody);
    CHECK(r->body.find_first_not_of('x') == std::string::npos);
  }
  SECTION("over the cap") {
    CurlHttpClient client(herald::net::CurlOptions{.max_body_bytes = size_t{1} << 20});
    auto r = client.send({.url = server.url("/large")});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::kUnavailable);
    CHECK_THAT(r.error().message, Catch::Contains("response body exceeds 1048576 bytes"));
  }
}

TEST_CASE("curl client: URLs are redacted for errors", "[app][http]") {
  using herald::net::redact_url;
  CHECK(redact_url("http://h:9090/api/v1/query") == "http://h:9090/api/v1/query");
  CHECK(redact_url("http://h/api?token=x") == "http://h/api");
  CHECK(redact_url("https://u:p@h:1/a#f") == "https://h:1/a");
  CHECK(redact_url("https://u@h") == "https://h");
  CHECK(redact_url("http://h/a@b") == "http://h/a@b");  // '@' in the path is not user info
  CHECK(redact_url("h/x?y") == "h/x");
}

namespace {

// A Prometheus server on a free local port scraping itself every second, with its storage in a
// temporary directory. The process is killed and the directory removed on destruction.
class PrometheusProcess {
 public:
  explicit PrometheusProcess(int port) : port_(port) {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / "herald-prometheus-XXXXXX").string();
    dir_ = ::mkdtemp(tmpl.data());
    std::ofstream(dir_ / "prometheus.yml")
        << "global: {scrape_interval: 1s}\n"
        << "scrape_configs:\n"
        << "  - job_name: self\n"
        << "    static_configs: [{targets: ['127.0.0.1:" << port << "']}]\n";
    std::vector<std::string> args = {"/usr/bin/prometheus",
                                     "--config.file=" + (dir_ / "prometheus.yml").string(),
                                     "--storage.tsdb.path=" + (dir_ / "data").string(),
                                     "--web.listen-address=127.0.0.1:" + std::to_string(port)};
    std::vector<char*> argv;
    for (auto& a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const std::string log = (dir_ / "prometheus.log").string();
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~PrometheusProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    std::filesystem::remove_all(dir_);
  }
  bool started() const { return pid_ > 0; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  int port_;
  pid_t pid_ = -1;
  std::filesystem::path dir_;
};

// Polls `attempt` every 100ms until it returns true or `timeout` passes.
template <typename F>
bool eventually(std::chrono::seconds timeout, F attempt) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (attempt()) return true;
    std::this_thread::sleep_for(milliseconds(100));
  }
  return false;
}

}  // namespace

TEST_CASE("prometheus smoke: instant queries against the real Prometheus", "[integration]") {
  if (!std::filesystem::exists("/usr/bin/prometheus")) {
    WARN("/usr/bin/prometheus not installed; skipped");
    return;
  }
  PrometheusProcess prom(closed_port());
  REQUIRE(prom.started());
  CurlHttpClient http(herald::TlsOptions{});
  REQUIRE(eventually(std::chrono::seconds(30), [&] {
    auto r = http.send({.url = prom.url() + "/-/ready", .timeout = milliseconds(1000)});
    return r && r->status == 200;
  }));
  herald::evaluator::PrometheusClient client(
      {.url = prom.url() + "/", .timeout = milliseconds(5000)}, http);

  auto one = client.query("vector(1)", std::chrono::system_clock::now());
  REQUIRE(one.has_value());
  REQUIRE(one->samples.size() == 1);
  CHECK(one->samples[0].labels.empty());
  CHECK(one->samples[0].value == 1.0);

  std::optional<herald::evaluator::QueryResult> up;
  REQUIRE(eventually(std::chrono::seconds(20), [&] {
    auto r = client.query("up", std::chrono::system_clock::now());
    REQUIRE(r.has_value());
    if (!r->samples.empty()) up = *r;
    return up.has_value();
  }));
  REQUIRE(up->samples.size() == 1);
  CHECK(up->samples[0].labels.get("__name__") == "up");
  CHECK(up->samples[0].labels.get("job") == "self");
  CHECK(up->samples[0].value == 1.0);

  auto bad = client.query("sum(", std::chrono::system_clock::now());
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().code == ErrorCode::kInvalidInput);
  CHECK_THAT(bad.error().message, Catch::StartsWith("bad_data: "));

  auto range = client.query("up[1m]", std::chrono::system_clock::now());
  REQUIRE_FALSE(range.has_value());
  CHECK(range.error().code == ErrorCode::kInvalidInput);
}
