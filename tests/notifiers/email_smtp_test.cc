// The email integration end to end: EmailNotifier through the real CurlSmtpClient to a real SMTP
// server on 127.0.0.1 (tests/fakes/smtp_server.py, aiosmtpd), which stores each message with
// Python's own MIME parse of it. Covers threading across two emails, STARTTLS and AUTH, implicit
// TLS, how 4xx/5xx replies, refused auth, missing STARTTLS and network failures classify, and
// that the password appears in no error.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "model/base64.h"
#include "net/curl_smtp_client.h"
#include "notifiers/email.h"
#include "notifiers/email_render.h"
#include "notifiers/http_auth.h"
#include "tests/notifiers/fixtures.h"

extern char** environ;

using namespace std::chrono_literals;
using nlohmann::json;

namespace herald::notifiers {
namespace {

constexpr const char* kPython = "/usr/bin/python3";  // Debian's, which has aiosmtpd
constexpr std::string_view kUser = "herald";
constexpr std::string_view kPassword = "Sm7p-Pa55word!";

std::filesystem::path make_temp_dir(const std::string& prefix) {
  std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
  return tmpl;
}

// One self-signed certificate per test run (the server script makes it on first use), removed at
// exit.
const std::filesystem::path& tls_dir() {
  struct TempDir {
    std::filesystem::path path = make_temp_dir("herald-smtp-tls");
    ~TempDir() { std::filesystem::remove_all(path); }
  };
  static const TempDir dir;
  return dir.path;
}

struct ServerOptions {
  bool starttls = false;
  bool implicit_tls = false;
  bool auth = false;
};

// tests/fakes/smtp_server.py on a free port; killed, and its directory removed, on destruction.
class SmtpServer {
 public:
  explicit SmtpServer(ServerOptions o) : dir_(make_temp_dir("herald-smtp")) {
    std::filesystem::create_directory(dir_ / "mail");
    std::vector<std::string> args = {
        kPython,     std::string(HERALD_SOURCE_DIR) + "/tests/fakes/smtp_server.py",
        "--dir",     (dir_ / "mail").string(),
        "--tls-dir", tls_dir().string()};
    if (o.starttls) args.push_back("--starttls");
    if (o.implicit_tls) args.push_back("--implicit-tls");
    if (o.auth) args.push_back("--auth=" + std::string(kUser) + ":" + std::string(kPassword));
    start(args);
  }
  ~SmtpServer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    std::filesystem::remove_all(dir_);
  }
  std::string port() const { return port_; }
  // The stored messages in arrival order: envelope plus Python's parse (see smtp_server.py).
  std::vector<json> messages() const {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir_ / "mail"))
      if (e.path().extension() == ".json") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::vector<json> out;
    for (const auto& f : files)
      out.push_back(json::parse(std::ifstream(f)));
    return out;
  }

 private:
  void start(std::vector<std::string>& args) {
    int out[2];
    REQUIRE(::pipe(out) == 0);
    std::vector<char*> argv;
    for (auto& a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    const std::string log = (dir_ / "server.log").string();
    posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int spawned = posix_spawn(&pid_, kPython, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    if (spawned != 0) pid_ = -1;
    REQUIRE(spawned == 0);
    // Readiness: the first stdout line is the bound port, printed once it accepts connections.
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    std::string line;
    while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd p{.fd = out[0], .events = POLLIN, .revents = 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buf[64];
      const ssize_t n = ::read(out[0], buf, sizeof buf);
      if (n <= 0) break;  // exited
      line.append(buf, static_cast<size_t>(n));
    }
    ::close(out[0]);
    INFO("server log: " << std::ifstream(log).rdbuf());
    REQUIRE(line.find('\n') != std::string::npos);
    port_ = line.substr(0, line.find('\n'));
  }

  std::filesystem::path dir_;
  pid_t pid_ = -1;
  std::string port_;
};

// A port nothing listens on (bound, then closed).
std::string closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return std::to_string(ntohs(addr.sin_port));
}

const WallTime kNow = WallTime(std::chrono::seconds(1'777'636'800));

config::EmailConfig config_for(const SmtpServer& s, bool require_tls, bool auth) {
  config::EmailConfig c;
  c.to = "ml-oncall@example.com, Ops <ops@example.com>";
  c.from = "herald <herald@example.com>";
  c.hello = "herald.example.com";
  c.smarthost = {"127.0.0.1", s.port()};
  c.require_tls = require_tls;
  c.tls_config.ca_file = (tls_dir() / "cert.pem").string();
  if (auth) {
    c.auth_username = std::string(kUser);
    c.auth_password = config::Secret(std::string(kPassword));
  }
  return c;
}

Notification group(std::vector<std::string> modes, std::string previous_data = "") {
  Notification n;
  n.receiver = "ml";
  n.group_key = R"({}:{alertname="HighErrorRate", model="모델"})";
  n.group_labels = {{"alertname", "HighErrorRate"}, {"model", "모델"}};
  for (const std::string& mode : modes) {
    Alert a;
    a.labels = {{"alertname", "HighErrorRate"},
                {"model", "모델"},
                {"mode", mode},
                {"note", "<script>alert(1)</script> *bold* <!channel>"}};
    a.annotations = {{"summary", mode + " 5xx above 5%"}};
    a.starts_at = kNow - 5min;
    n.firing.push_back(a);
  }
  n.previous_data = std::move(previous_data);
  return n;
}

std::string field(const json& message, std::string_view name) {
  for (const auto& h : message.at("headers"))
    if (h.at(0) == name) return h.at(1);
  return "<none>";
}

std::string lf(std::string s) {
  for (size_t p = s.find("\r\n"); p != std::string::npos; p = s.find("\r\n", p))
    s.erase(p, 1);
  return s;
}

// No error may show the password, nor the base64 forms AUTH PLAIN and LOGIN send it in.
void check_no_password(const std::string& error) {
  CAPTURE(error);
  CHECK(error.find(kPassword) == std::string::npos);
  CHECK(error.find(base64_encode(kPassword)) == std::string::npos);
  CHECK(error.find(base64_encode(std::string(1, '\0') + std::string(kUser) + '\0' +
                                 std::string(kPassword))) == std::string::npos);
}

}  // namespace

TEST_CASE("email smtp: a group's two emails arrive as one thread of multipart/alternative mail",
          "[notifiers][email][integration]") {
  SmtpServer server({});
  net::CurlSmtpClient smtp;
  EmailNotifier notifier(config_for(server, /*require_tls=*/false, false),
                         test::herald_links("https://herald.example.com"), smtp);
  const DeliveryResult first = notifier.notify(group({"chat", "completion"}), kNow);
  REQUIRE(first.error == "");
  REQUIRE(first.outcome == DeliveryOutcome::kDelivered);
  const Notification later = group({"chat"}, first.data);
  const DeliveryResult second = notifier.notify(later, kNow);
  REQUIRE(second.outcome == DeliveryOutcome::kDelivered);

  const std::vector<json> mail = server.messages();
  REQUIRE(mail.size() == 2);
  for (const json& m : mail) {
    CHECK(m.at("mail_from") == "herald@example.com");
    CHECK(m.at("helo") == "herald.example.com");
    CHECK(m.at("rcpt_tos") == json({"ml-oncall@example.com", "ops@example.com"}));
    CHECK(m.at("defects").empty());
    CHECK(m.at("content_type") == "multipart/alternative");
    REQUIRE(m.at("parts").size() == 2);
    CHECK(m.at("parts")[0].at("content_type") == "text/plain");
    CHECK(m.at("parts")[1].at("content_type") == "text/html");
    for (const json& part : m.at("parts")) {
      CHECK(part.at("charset") == "utf-8");
      CHECK(part.at("transfer_encoding") == "quoted-printable");
    }
    CHECK(field(m, "To") == "ml-oncall@example.com, Ops <ops@example.com>");
  }
  // Python decodes the RFC 2047 subject and the quoted-printable parts to exactly what was meant.
  const Message second_message =
      build_message(later, *test::herald_links("https://herald.example.com"), kNow);
  CHECK(field(mail[0], "Subject") == "[FIRING:2] HighErrorRate (모델)");
  CHECK(field(mail[1], "Subject") == second_message.subject);
  CHECK(lf(mail[1].at("parts")[0].at("content")) == render_email_text(second_message));
  CHECK(lf(mail[1].at("parts")[1].at("content")) == render_email_html(second_message));
  const std::string html = mail[0].at("parts")[1].at("content");
  CHECK(html.find("<script>") == std::string::npos);
  CHECK_THAT(html,
             Catch::Contains("&lt;script&gt;alert(1)&lt;/script&gt; *bold* &lt;!channel&gt;"));

  // Threading: the first email is the root; the second replies to it.
  const std::string root = field(mail[0], "Message-ID");
  CHECK(root == "<" + first.data + ">");
  CHECK(field(mail[0], "In-Reply-To") == "<none>");
  CHECK(field(mail[1], "In-Reply-To") == root);
  CHECK(field(mail[1], "References") == root);
  CHECK(field(mail[1], "Message-ID") != root);
}

TEST_CASE("email smtp: STARTTLS and AUTH", "[notifiers][email][integration]") {
  SmtpServer server({.starttls = true, .auth = true});
  net::CurlSmtpClient smtp;
  std::vector<std::string> errors;

  SECTION("delivered over STARTTLS with the right password") {
    EmailNotifier notifier(config_for(server, true, true),
                           test::herald_links("https://herald.example.com"), smtp);
    const DeliveryResult r = notifier.notify(group({"chat"}), kNow);
    REQUIRE(r.error == "");
    const std::vector<json> mail = server.messages();
    REQUIRE(mail.size() == 1);
    CHECK(mail[0].at("tls") == true);
    CHECK(mail[0].at("login") == kUser);
  }
  SECTION("a wrong password is refused for good") {
    config::EmailConfig c = config_for(server, true, true);
    c.auth_password = config::Secret("wrong-" + std::string(kPassword));
    EmailNotifier notifier(c, test::herald_links("https://herald.example.com"), smtp);
    const DeliveryResult r = notifier.notify(group({"chat"}), kNow);
    CHECK(r.outcome == DeliveryOutcome::kPermanent);
    CHECK_THAT(r.error, Catch::StartsWith("email: smtp 127.0.0.1:" + server.port() + ": "));
    CHECK_THAT(r.error, Catch::Contains("535"));
    errors.push_back(r.error);
  }
  SECTION("a server that echoes the password in its reply") {
    config::EmailConfig c = config_for(server, true, true);
    c.to = "echo550@example.com";
    EmailNotifier notifier(c, test::herald_links("https://herald.example.com"), smtp);
    const DeliveryResult r = notifier.notify(group({"chat"}), kNow);
    CHECK(r.outcome == DeliveryOutcome::kPermanent);
    CHECK_THAT(r.error, Catch::Contains("550 5.7.1 Rejected for herald with password <redacted>"));
    errors.push_back(r.error);
  }
  SECTION("an untrusted certificate is a TLS error: retried") {
    config::EmailConfig c = config_for(server, true, true);
    c.tls_config.ca_file = "";
    EmailNotifier notifier(c, test::herald_links("https://herald.example.com"), smtp);
    const DeliveryResult r = notifier.notify(group({"chat"}), kNow);
    CHECK(r.outcome == DeliveryOutcome::kRetry);
    errors.push_back(r.error);
    c.tls_config.insecure_skip_verify = true;
    EmailNotifier insecure(c, test::herald_links("https://herald.example.com"), smtp);
    CHECK(insecure.notify(group({"chat"}), kNow).outcome == DeliveryOutcome::kDelivered);
  }
  SECTION("tls_config.server_name is the name verified") {
    config::EmailConfig c = config_for(server, true, true);
    c.tls_config.server_name = "smtp.example.com";  // not in the certificate
    EmailNotifier notifier(c, test::herald_links("https://herald.example.com"), smtp);
    const DeliveryResult r = notifier.notify(group({"chat"}), kNow);
    CHECK(r.outcome == DeliveryOutcome::kRetry);
    CHECK_THAT(r.error, Catch::Contains("smtp.example.com"));
    errors.push_back(r.error);
  }
  for (const std::string& e : errors)
    check_no_password(e);
}

TEST_CASE("email smtp: require_tls against a server without STARTTLS fails for good",
          "[notifiers][email][integration]") {
  SmtpServer server({.auth = false});
  net::CurlSmtpClient smtp;
  EmailNotifier notifier(config_for(server, /*require_tls=*/true, true),
                         test::herald_links("https://herald.example.com"), smtp);
  const DeliveryResult r = notifier.notify(group({"chat"}), kNow);
  CHECK(r.outcome == DeliveryOutcome::kPermanent);
  CHECK(r.error == "email: smtp 127.0.0.1:" + server.port() +
                       ": server does not offer STARTTLS (require_tls is true)");
  CHECK(server.messages().empty());
  check_no_password(r.error);
}

TEST_CASE("email smtp: 4xx is retried, 5xx is not", "[notifiers][email][integration]") {
  SmtpServer server({});
  net::CurlSmtpClient smtp;
  const auto [to, outcome, reply] = GENERATE(table<std::string, DeliveryOutcome, std::string>({
      {"fail451@example.com", DeliveryOutcome::kRetry, "451 4.3.0 Try again later"},
      {"fail550@example.com", DeliveryOutcome::kPermanent, "550 5.7.1 Message rejected"},
  }));
  config::EmailConfig c = config_for(server, false, true);
  c.to = to;
  EmailNotifier notifier(c, test::herald_links("https://herald.example.com"), smtp);
  const DeliveryResult r = notifier.notify(group({"chat"}), kNow);
  CHECK(r.outcome == outcome);
  CHECK_THAT(r.error, Catch::Contains("server replied \"" + reply + "\""));
  CHECK(r.data.empty());
  check_no_password(r.error);
}

TEST_CASE("email smtp: implicit TLS (smtps)", "[notifiers][email][integration]") {
  SmtpServer server({.implicit_tls = true});
  net::CurlSmtpClient smtp;
  MailEnvelope mail{.host = "127.0.0.1",
                    .port = server.port(),
                    .implicit_tls = true,
                    .from = "herald@example.com",
                    .to = {"ml@example.com"},
                    .message = "Subject: hi\r\n\r\n.leading dot\r\n",
                    .timeout = 10s,
                    .tls = {.ca_file = (tls_dir() / "cert.pem").string()}};
  REQUIRE(smtp.send(mail));
  const std::vector<json> got = server.messages();
  REQUIRE(got.size() == 1);
  CHECK(got[0].at("tls") == true);
  CHECK(got[0].at("parts")[0].at("content") == ".leading dot\r\n");  // dot-stuffed on the wire
}

TEST_CASE("email smtp: an unreachable smarthost is retried", "[notifiers][email][integration]") {
  net::CurlSmtpClient smtp;
  const Status s = smtp.send({.host = "127.0.0.1",
                              .port = closed_port(),
                              .require_starttls = false,
                              .username = std::string(kUser),
                              .password = std::string(kPassword),
                              .from = "herald@example.com",
                              .to = {"ml@example.com"},
                              .message = "Subject: x\r\n\r\nx\r\n",
                              .timeout = 5s});
  REQUIRE_FALSE(s);
  CHECK(s.error().code == ErrorCode::kUnavailable);
  check_no_password(s.error().message);
}

TEST_CASE("email smtp: a server that never answers times out and is retried",
          "[notifiers][email][integration]") {
  // Listening, so the connection is made, but nothing ever accepts it or sends a greeting.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(fd, 4) == 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  net::CurlSmtpClient smtp;
  const auto start = std::chrono::steady_clock::now();
  const Status s = smtp.send({.host = "127.0.0.1",
                              .port = std::to_string(ntohs(addr.sin_port)),
                              .require_starttls = false,
                              .from = "herald@example.com",
                              .to = {"ml@example.com"},
                              .message = "Subject: x\r\n\r\nx\r\n",
                              .timeout = 1s});
  const auto took = std::chrono::steady_clock::now() - start;
  ::close(fd);
  REQUIRE_FALSE(s);
  CHECK(s.error().code == ErrorCode::kUnavailable);
  CHECK(took < 5s);
}

TEST_CASE("email smtp: libcurl results classify as retry or give up", "[notifiers][email]") {
  using net::smtp_failure_code;
  const auto [curl_code, reply, want] = GENERATE(table<int, long, ErrorCode>({
      {55 /* SEND_ERROR */, 451, ErrorCode::kUnavailable},
      {8 /* WEIRD_SERVER_REPLY */, 452, ErrorCode::kUnavailable},
      {55, 550, ErrorCode::kRejected},
      {8, 554, ErrorCode::kRejected},
      {67 /* LOGIN_DENIED */, 535, ErrorCode::kRejected},
      {67, 0, ErrorCode::kRejected},
      {64 /* USE_SSL_FAILED */, 250, ErrorCode::kRejected},
      {64, 454, ErrorCode::kUnavailable},  // STARTTLS refused for now
      {7 /* COULDNT_CONNECT */, 0, ErrorCode::kUnavailable},
      {28 /* OPERATION_TIMEDOUT */, 250, ErrorCode::kUnavailable},
      {35 /* SSL_CONNECT_ERROR */, 220, ErrorCode::kUnavailable},
      {60 /* PEER_FAILED_VERIFICATION */, 220, ErrorCode::kUnavailable},
      {56 /* RECV_ERROR */, 354, ErrorCode::kUnavailable},
  }));
  CAPTURE(curl_code, reply);
  CHECK(smtp_failure_code(curl_code, reply) == want);
}

}  // namespace herald::notifiers
