// EmailNotifier against a recording fake SmtpClient: the envelope it builds from the config (TLS
// mode, auth, password file, addresses), thread ids across a group's notifications, configured
// headers, and how the client's errors map onto the outbox's outcomes without the password.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "notifiers/email.h"
#include "notifiers/email_thread.h"
#include "tests/notifiers/fixtures.h"
#include "tests/notifiers/qp_decode.h"

using namespace std::chrono_literals;

namespace herald::notifiers {
namespace {

const WallTime kNow = WallTime(std::chrono::seconds(1'777'636'800));
constexpr std::string_view kPassword = "hunter2-Pa55word";

class RecordingSmtp final : public SmtpClient {
 public:
  Status send(const MailEnvelope& mail) override {
    sent.push_back(mail);
    return answer;
  }
  std::vector<MailEnvelope> sent;
  Status answer{};
};

config::EmailConfig email_config() {
  config::EmailConfig c;
  c.to = "ml-oncall@example.com, Ops <ops@example.com>";
  c.from = "herald <herald@example.com>";
  c.smarthost = {"smtp.example.com", "587"};
  c.auth_username = "herald";
  c.auth_password = config::Secret(std::string(kPassword));
  return c;
}

Notification notification(std::string previous_data = "") {
  Notification n;
  n.receiver = "ml";
  n.group_key = R"({}:{alertname="HighErrorRate"})";
  n.group_labels = {{"alertname", "HighErrorRate"}};
  Alert a;
  a.labels = {{"alertname", "HighErrorRate"}, {"model", "llama3-8b"}};
  a.annotations = {{"summary", "5xx above 5%"}};
  a.starts_at = kNow - 5min;
  n.firing.push_back(a);
  n.previous_data = std::move(previous_data);
  return n;
}

// The value of header `name` in a rendered message (first line only), or "<none>".
std::string header(const std::string& message, const std::string& name) {
  const size_t at = message.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "<none>";
  const size_t start = at + name.size() + 4;
  return message.substr(start, message.find("\r\n", start) - start);
}

// The message body after the headers, quoted-printable decoded (both parts).
std::string decoded_body(const std::string& message) {
  return herald::test::qp_decode(message.substr(message.find("\r\n\r\n")));
}

}  // namespace

TEST_CASE("email notifier: envelope from the config", "[notifiers][email]") {
  RecordingSmtp smtp;
  EmailNotifier notifier(email_config(), test::herald_links("https://herald.example.com"), smtp);
  REQUIRE(notifier.notify(notification(), kNow).outcome == DeliveryOutcome::kDelivered);
  REQUIRE(smtp.sent.size() == 1);
  const MailEnvelope& m = smtp.sent[0];
  CHECK(m.host == "smtp.example.com");
  CHECK(m.port == "587");
  CHECK_FALSE(m.implicit_tls);
  CHECK(m.require_starttls);
  CHECK(m.hello == "localhost");
  CHECK(m.username == "herald");
  CHECK(m.password == kPassword);
  CHECK(m.auth_mechanism.empty());
  CHECK(m.from == "herald@example.com");
  CHECK(m.to == std::vector<std::string>{"ml-oncall@example.com", "ops@example.com"});
  CHECK(m.message.find(std::string(kPassword)) == std::string::npos);
  CHECK(header(m.message, "To") == "ml-oncall@example.com, Ops <ops@example.com>");
  CHECK(
      m.message.starts_with("Date: Fri, 01 May 2026 12:00:00 +0000\r\nFrom: herald "
                            "<herald@example.com>\r\n"));
  CHECK(header(m.message, "Subject") == "[FIRING:1] HighErrorRate");

  SECTION("port 465 is implicit TLS") {
    config::EmailConfig c = email_config();
    c.smarthost.port = "465";
    EmailNotifier tls(c, test::herald_links("https://herald.example.com"), smtp);
    REQUIRE(tls.notify(notification(), kNow).outcome == DeliveryOutcome::kDelivered);
    CHECK(smtp.sent.back().implicit_tls);
  }
  SECTION("auth_secret alone means CRAM-MD5") {
    config::EmailConfig c = email_config();
    c.auth_password = {};
    c.auth_secret = config::Secret("cram-secret");
    EmailNotifier cram(c, test::herald_links("https://herald.example.com"), smtp);
    REQUIRE(cram.notify(notification(), kNow).outcome == DeliveryOutcome::kDelivered);
    CHECK(smtp.sent.back().password == "cram-secret");
    CHECK(smtp.sent.back().auth_mechanism == "CRAM-MD5");
  }
}

TEST_CASE("email notifier: a group's emails form one thread", "[notifiers][email]") {
  RecordingSmtp smtp;
  EmailNotifier notifier(email_config(), test::herald_links("https://herald.example.com"), smtp);
  const std::string root = thread_root_id(notification().group_key);

  const DeliveryResult first = notifier.notify(notification(), kNow);
  REQUIRE(first.outcome == DeliveryOutcome::kDelivered);
  CHECK(first.data == root);
  CHECK(header(smtp.sent[0].message, "Message-ID") == "<" + root + ">");
  CHECK(header(smtp.sent[0].message, "In-Reply-To") == "<none>");

  const DeliveryResult second = notifier.notify(notification(first.data), kNow);
  const DeliveryResult third = notifier.notify(notification(second.data), kNow);
  CHECK(second.data == root);
  CHECK(third.data == root);
  for (size_t i : {1, 2}) {
    const std::string& msg = smtp.sent[i].message;
    CHECK(header(msg, "In-Reply-To") == "<" + root + ">");
    CHECK(header(msg, "References") == "<" + root + ">");
    CHECK(header(msg, "Message-ID").starts_with("<" + root.substr(0, 32) + "."));
  }
  // The same `now`, still distinct ids.
  CHECK(header(smtp.sent[1].message, "Message-ID") != header(smtp.sent[2].message, "Message-ID"));

  // previous_data that is not an id (a damaged log row) never reaches a header.
  REQUIRE(notifier.notify(notification("x>\r\nBcc: evil@example.com"), kNow).outcome ==
          DeliveryOutcome::kDelivered);
  CHECK(smtp.sent.back().message.find("evil") == std::string::npos);
  CHECK(header(smtp.sent.back().message, "Message-ID") == "<" + root + ">");
}

TEST_CASE("email notifier: configured headers", "[notifiers][email]") {
  RecordingSmtp smtp;
  config::EmailConfig c = email_config();
  c.headers = {{"Subject", "Model alert"},
               {"To", "Team <team@example.com>"},
               {"X-Priority", "1"},
               {"X-Templated", "{{ .GroupLabels.alertname }}"}};
  EmailNotifier notifier(c, test::herald_links("https://herald.example.com"), smtp);
  REQUIRE(notifier.notify(notification(), kNow).outcome == DeliveryOutcome::kDelivered);
  const MailEnvelope& m = smtp.sent[0];
  CHECK(header(m.message, "Subject") == "Model alert");
  CHECK(header(m.message, "To") == "Team <team@example.com>");
  CHECK(m.to.size() == 2);  // the envelope still goes to `to`
  CHECK(header(m.message, "X-Priority") == "1");
  CHECK(header(m.message, "X-Templated") == "HighErrorRate");  // expanded per notification
}

TEST_CASE("email notifier: to, subject, text and html are templates", "[notifiers][email]") {
  RecordingSmtp smtp;
  config::EmailConfig c = email_config();
  c.to = "{{ .CommonLabels.model }}-oncall@example.com";
  c.headers = {{"Subject", "{{ template \"__subject\" . }}"}};
  c.text = "{{ range .Alerts }}{{ .Labels.model }}: {{ .Annotations.summary }}{{ end }}";
  c.html = "<p>{{ .CommonAnnotations.summary }} <a href=\"{{ .DashboardURL }}\">d</a></p>";
  EmailNotifier notifier(c, test::herald_links("https://herald.example.com"), smtp);
  Notification n = notification();
  n.firing[0].annotations["summary"] = "5xx > 5% <b>";
  const DeliveryResult r = notifier.notify(n, kNow);
  REQUIRE(r.outcome == DeliveryOutcome::kDelivered);
  CHECK(r.warnings.empty());
  const MailEnvelope& m = smtp.sent[0];
  CHECK(m.to == std::vector<std::string>{"llama3-8b-oncall@example.com"});
  CHECK(header(m.message, "Subject") == "[FIRING:1] HighErrorRate (llama3-8b)");
  const std::string body = decoded_body(m.message);
  CHECK(body.find("llama3-8b: 5xx > 5% <b>") != std::string::npos);            // text: as is
  CHECK(body.find("<p>5xx &gt; 5% &lt;b&gt; <a href=") != std::string::npos);  // html: escaped
}

TEST_CASE("email notifier: a failing template sends herald's own part and says why",
          "[notifiers][email]") {
  RecordingSmtp smtp;
  config::EmailConfig c = email_config();
  c.html = "{{ .CommonLabels.Nope.Deeper | len }}";  // len of nil: a runtime error
  EmailNotifier notifier(c, test::herald_links("https://herald.example.com"), smtp);
  const DeliveryResult r = notifier.notify(notification(), kNow);
  REQUIRE(r.outcome == DeliveryOutcome::kDelivered);
  REQUIRE(r.warnings.size() == 1);
  CHECK_THAT(r.warnings[0],
             Catch::StartsWith("email_configs.html: template: email_configs.html:1"));
  CHECK(decoded_body(smtp.sent[0].message).find("<!DOCTYPE html>") != std::string::npos);
}

TEST_CASE("email notifier: configuration it cannot use fails permanently", "[notifiers][email]") {
  RecordingSmtp smtp;
  auto outcome = [&](config::EmailConfig c) {
    EmailNotifier notifier(std::move(c), test::herald_links("https://herald.example.com"), smtp);
    return notifier.notify(notification(), kNow);
  };
  config::EmailConfig c = email_config();
  c.to = "{{ .CommonLabels.team }}@example.com";  // no team label: "@example.com"
  DeliveryResult r = outcome(c);
  CHECK(r.outcome == DeliveryOutcome::kPermanent);
  CHECK_THAT(r.error, Catch::StartsWith("email: to: invalid address"));

  c = email_config();
  c.to = "{{ template \"nope\" . }}";  // an addressing template that fails: no guessing
  r = outcome(c);
  CHECK(r.outcome == DeliveryOutcome::kPermanent);
  CHECK_THAT(r.error, Catch::StartsWith("email: email_configs.to: template: no such template"));

  c = email_config();
  c.to = "not-an-address";
  r = outcome(c);
  CHECK(r.outcome == DeliveryOutcome::kPermanent);
  CHECK_THAT(r.error, Catch::StartsWith("email: to: invalid address"));

  c = email_config();
  c.from = "";
  CHECK(outcome(c).outcome == DeliveryOutcome::kPermanent);
  CHECK(smtp.sent.empty());
}

TEST_CASE("email notifier: auth_password_file is read at every send", "[notifiers][email]") {
  RecordingSmtp smtp;
  const auto path = std::filesystem::temp_directory_path() /
                    ("herald-email-password-" + std::to_string(::getpid()));
  config::EmailConfig c = email_config();
  c.auth_password = {};
  c.auth_password_file = path.string();
  EmailNotifier notifier(c, test::herald_links("https://herald.example.com"), smtp);

  std::filesystem::remove(path);
  DeliveryResult r = notifier.notify(notification(), kNow);
  CHECK(r.outcome == DeliveryOutcome::kRetry);
  CHECK_THAT(r.error, Catch::Contains("auth_password_file"));

  std::ofstream(path) << "first-password\n";
  REQUIRE(notifier.notify(notification(), kNow).outcome == DeliveryOutcome::kDelivered);
  CHECK(smtp.sent.back().password == "first-password");
  std::ofstream(path) << "rotated-password\n";
  REQUIRE(notifier.notify(notification(), kNow).outcome == DeliveryOutcome::kDelivered);
  CHECK(smtp.sent.back().password == "rotated-password");
  std::filesystem::remove(path);
}

TEST_CASE("email notifier: client errors map to retry or give up, password redacted",
          "[notifiers][email]") {
  RecordingSmtp smtp;
  EmailNotifier notifier(email_config(), test::herald_links("https://herald.example.com"), smtp);
  const auto [code, outcome] = GENERATE(table<ErrorCode, DeliveryOutcome>({
      {ErrorCode::kUnavailable, DeliveryOutcome::kRetry},
      {ErrorCode::kRejected, DeliveryOutcome::kPermanent},
      {ErrorCode::kInvalidInput, DeliveryOutcome::kPermanent},
  }));
  smtp.answer = make_error(code, "smtp smtp.example.com:587: echoed " + std::string(kPassword));
  const DeliveryResult r = notifier.notify(notification(), kNow);
  CHECK(r.outcome == outcome);
  CHECK(r.error == "email: smtp smtp.example.com:587: echoed <redacted>");
  CHECK(r.data.empty());
}

}  // namespace herald::notifiers
