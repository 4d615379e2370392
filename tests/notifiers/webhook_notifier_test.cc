// WebhookNotifier end to end: against a recording fake HttpClient (headers, credential files,
// url_file), and against a real cpp-httplib sink on 127.0.0.1 through the real CurlHttpClient
// (exact body and Authorization arrive; 429 + Retry-After, 400 and a refused connection classify
// as the outbox needs; no error ever shows the URL's secret path or query).
#include <httplib.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "net/curl_http_client.h"
#include "notifiers/webhook.h"

using herald::DeliveryOutcome;
using herald::HttpRequest;
using herald::HttpResponse;
using herald::Notification;
using herald::Result;
using herald::config::Secret;
using herald::notifiers::WebhookNotifier;
using std::chrono::seconds;

namespace {

const herald::WallTime kNow = herald::WallTime(seconds(1777636800));

Notification sample_notification() {
  Notification n;
  n.receiver = "ml";
  n.group_key = R"({}:{alertname="HighErrorRate"})";
  n.group_labels = {{"alertname", "HighErrorRate"}};
  herald::Alert a;
  a.labels = {{"alertname", "HighErrorRate"}, {"model", "llama3-8b"}};
  a.annotations = {{"summary", "5xx > 5%"}};
  a.starts_at = herald::WallTime(seconds(1777636800));
  n.firing.push_back(a);
  return n;
}

class RecordingClient final : public herald::HttpClient {
 public:
  Result<HttpResponse> send(const HttpRequest& request) override {
    requests.push_back(request);
    return HttpResponse{200, {}, ""};
  }
  std::vector<HttpRequest> requests;
};

std::string header(const HttpRequest& r, std::string_view name) {
  for (const auto& [n, v] : r.headers)
    if (n == name) return v;
  return "<none>";
}

std::filesystem::path write_temp(const std::string& name, const std::string& content) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("herald-notifiers-" + std::to_string(::getpid()) + "-" + name);
  std::ofstream(path) << content;
  return path;
}

herald::config::WebhookConfig webhook_to(std::string url) {
  herald::config::WebhookConfig c;
  c.url = Secret(std::move(url));
  return c;
}

// A webhook receiver on a free local port that records each POST and answers as told.
class Sink {
 public:
  Sink() {
    server_.Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      bodies_.push_back(req.body);
      authorizations_.push_back(req.get_header_value("Authorization"));
      content_types_.push_back(req.get_header_value("Content-Type"));
      paths_.push_back(req.target);
      res.status = status_;
      if (!retry_after_.empty()) res.set_header("Retry-After", retry_after_);
      res.set_content(answer_body_, "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    const auto deadline = std::chrono::steady_clock::now() + seconds(5);
    while (!server_.is_running() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~Sink() {
    server_.stop();
    thread_.join();
  }
  void answer(int status, std::string body = "", std::string retry_after = "") {
    std::lock_guard lock(mu_);
    status_ = status;
    answer_body_ = std::move(body);
    retry_after_ = std::move(retry_after);
  }
  std::string url(const std::string& path_and_query) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path_and_query;
  }
  std::vector<std::string> bodies() const {
    std::lock_guard lock(mu_);
    return bodies_;
  }
  std::vector<std::string> authorizations() const {
    std::lock_guard lock(mu_);
    return authorizations_;
  }
  std::vector<std::string> content_types() const {
    std::lock_guard lock(mu_);
    return content_types_;
  }
  std::vector<std::string> paths() const {
    std::lock_guard lock(mu_);
    return paths_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  int status_ = 200;                                                          // GUARDED_BY(mu_)
  std::string answer_body_, retry_after_;                                     // GUARDED_BY(mu_)
  std::vector<std::string> bodies_, authorizations_, content_types_, paths_;  // GUARDED_BY(mu_)
};

constexpr std::string_view kSecretPath = "/hooks/T0123/B0456/XSECRETXSECRET";
constexpr std::string_view kSecretQuery = "token=QSECRETQSECRET";

void check_no_url_secret(const std::string& error) {
  CAPTURE(error);
  CHECK(error.find("XSECRET") == std::string::npos);
  CHECK(error.find("QSECRET") == std::string::npos);
  CHECK(error.find("hooks") == std::string::npos);
}

}  // namespace

TEST_CASE("webhook notifier: POSTs JSON with herald's user agent and a bearer token",
          "[notifiers][webhook]") {
  RecordingClient http;
  auto config = webhook_to("https://hooks.example/x");
  config.http_config.authorization_type = "Bearer";
  config.http_config.authorization_credentials = Secret("tok-123");
  WebhookNotifier notifier(config, "ml", "http://herald:9095", http,
                           {.timeout = std::chrono::milliseconds(1500)});
  const auto r = notifier.notify(sample_notification(), kNow);
  CHECK(r.outcome == DeliveryOutcome::kDelivered);
  REQUIRE(http.requests.size() == 1);
  const HttpRequest& req = http.requests[0];
  CHECK(req.method == "POST");
  CHECK(req.url == "https://hooks.example/x");
  CHECK(req.timeout == std::chrono::milliseconds(1500));
  CHECK(header(req, "Content-Type") == "application/json");
  CHECK(header(req, "User-Agent").starts_with("herald/"));
  CHECK(header(req, "Authorization") == "Bearer tok-123");
  CHECK(req.body ==
        herald::notifiers::render_webhook(sample_notification(), "ml", "http://herald:9095", 0));
  CHECK(notifier.integration() == "webhook");
  CHECK(notifier.send_resolved());
}

TEST_CASE("webhook notifier: url_file and credential files are read at every send",
          "[notifiers][webhook]") {
  RecordingClient http;
  const auto url_file = write_temp("url", "https://hooks.example/one\n");
  const auto password_file = write_temp("password", "  pw-one \n");
  herald::config::WebhookConfig config;
  config.url_file = url_file;
  config.http_config.basic_auth =
      herald::config::BasicAuth{"alice", Secret(), password_file.string()};
  WebhookNotifier notifier(config, "ml", "", http);
  CHECK(notifier.notify(sample_notification(), kNow).outcome == DeliveryOutcome::kDelivered);
  std::ofstream(url_file) << "https://hooks.example/two";
  std::ofstream(password_file) << "pw-two";
  CHECK(notifier.notify(sample_notification(), kNow).outcome == DeliveryOutcome::kDelivered);
  REQUIRE(http.requests.size() == 2);
  CHECK(http.requests[0].url == "https://hooks.example/one");
  CHECK(header(http.requests[0], "Authorization") == "Basic YWxpY2U6cHctb25l");  // alice:pw-one
  CHECK(http.requests[1].url == "https://hooks.example/two");
  CHECK(header(http.requests[1], "Authorization") == "Basic YWxpY2U6cHctdHdv");  // alice:pw-two

  // An unreadable url_file is permanent (as in Alertmanager); a credential file retries.
  std::filesystem::remove(url_file);
  auto r = notifier.notify(sample_notification(), kNow);
  CHECK(r.outcome == DeliveryOutcome::kPermanent);
  CHECK(r.error.starts_with("webhook: unable to read url_file " + url_file.string()));
  config.url_file.clear();
  config.url = Secret("https://hooks.example/three");
  std::filesystem::remove(password_file);
  WebhookNotifier without_password(config, "ml", "", http);
  r = without_password.notify(sample_notification(), kNow);
  CHECK(r.outcome == DeliveryOutcome::kRetry);
  CHECK(r.error.starts_with("webhook: unable to read basic auth password file"));
  CHECK(http.requests.size() == 2);
}

TEST_CASE("webhook notifier: real sink receives the exact body and Authorization",
          "[notifiers][webhook][integration]") {
  Sink sink;
  herald::net::CurlHttpClient http(herald::net::CurlOptions{});
  auto config = webhook_to(sink.url(std::string(kSecretPath) + "?" + std::string(kSecretQuery)));
  config.http_config.basic_auth = herald::config::BasicAuth{"herald", Secret("pa:ss"), ""};
  WebhookNotifier notifier(config, "ml", "http://herald:9095", http);

  const auto ok = notifier.notify(sample_notification(), kNow);
  CHECK(ok.outcome == DeliveryOutcome::kDelivered);
  CHECK(ok.error.empty());
  REQUIRE(sink.bodies().size() == 1);
  CHECK(sink.bodies()[0] ==
        herald::notifiers::render_webhook(sample_notification(), "ml", "http://herald:9095", 0));
  CHECK(sink.authorizations()[0] == "Basic aGVyYWxkOnBhOnNz");  // herald:pa:ss
  CHECK(sink.content_types()[0] == "application/json");
  CHECK(sink.paths()[0] == std::string(kSecretPath) + "?" + std::string(kSecretQuery));

  SECTION("429 with Retry-After: 2 retries after 2 s") {
    sink.answer(429, "slow down", "2");
    const auto r = notifier.notify(sample_notification(), kNow);
    CHECK(r.outcome == DeliveryOutcome::kRetry);
    CHECK(r.retry_after == seconds(2));
    CHECK(r.error == "webhook: http 429 Too Many Requests: slow down");
  }
  SECTION("400 is permanent, and an echo of the URL is redacted") {
    sink.answer(400, "bad request to " + std::string(kSecretPath) + "?" +
                         std::string(kSecretQuery) + " with Basic aGVyYWxkOnBhOnNz");
    const auto r = notifier.notify(sample_notification(), kNow);
    CHECK(r.outcome == DeliveryOutcome::kPermanent);
    CHECK_FALSE(r.retry_after.has_value());
    CHECK(r.error.starts_with("webhook: http 400 Bad Request: bad request to "));
    CHECK(r.error.find("aGVyYWxkOnBhOnNz") == std::string::npos);
    check_no_url_secret(r.error);
  }
  SECTION("503 retries without Retry-After") {
    sink.answer(503);
    const auto r = notifier.notify(sample_notification(), kNow);
    CHECK(r.outcome == DeliveryOutcome::kRetry);
    CHECK_FALSE(r.retry_after.has_value());
    CHECK(r.error == "webhook: http 503 Service Unavailable");
  }
}

TEST_CASE("webhook notifier: a refused connection retries without naming the secret URL",
          "[notifiers][webhook][integration]") {
  int port = 0;
  {
    Sink closed;  // a port that was just free and is closed again
    port = std::stoi(closed.url("").substr(std::string("http://127.0.0.1:").size()));
  }
  herald::net::CurlHttpClient http(herald::net::CurlOptions{});
  const std::string url = "http://user:UPASSWORD@127.0.0.1:" + std::to_string(port) +
                          std::string(kSecretPath) + "?" + std::string(kSecretQuery);
  WebhookNotifier notifier(webhook_to(url), "ml", "", http);
  const auto r = notifier.notify(sample_notification(), kNow);
  CHECK(r.outcome == DeliveryOutcome::kRetry);
  CHECK(r.error.starts_with("webhook: "));
  CHECK(r.error.find("UPASSWORD") == std::string::npos);
  check_no_url_secret(r.error);
}
