// SlackNotifier's answers classified for the outbox: a 429's Retry-After closes the channel from
// the answer on, Web API and webhook errors are retry or permanent as Slack documents them, and
// neither the token nor the webhook URL's path is ever in an error.
#include <catch2/catch.hpp>
#include <deque>

#include "net/curl_http_client.h"
#include "notifiers/slack.h"
#include "tests/notifiers/slack_fixtures.h"

using namespace std::chrono_literals;
using herald::fakes::FakeSlack;

namespace herald::notifiers {
namespace {

using namespace slack_testing;

TEST_CASE("slack: 429 with Retry-After 2 closes the channel for 2 s in both modes",
          "[notifiers][slack][integration]") {
  FakeSlack slack;
  net::CurlHttpClient http(net::CurlOptions{});
  FakeClock clock(kT + 1min);
  const bool bot = GENERATE(false, true);
  CAPTURE(bot);
  SlackNotifier notifier(bot ? bot_config(slack) : webhook_config(slack), "ml", settings(), http);
  slack.force(429, "rate limited", "2");
  const DeliveryResult r = notifier.notify(notification({alert("chat")}), clock.now());
  CHECK(r.outcome == DeliveryOutcome::kRetry);
  CHECK(r.retry_after == 2s);
  CHECK(r.error.find("http 429") != std::string::npos);
  check_no_secret(r, slack);
  CHECK(slack.messages().empty());

  // Another group bound for the same channel waits out the same Retry-After without asking
  // Slack (the 429 was the channel's, not the group's); it counts from the answer, so the
  // exchange's own few milliseconds round the second left up to 2 s...
  const size_t calls = slack.calls().size();
  clock.advance(1s);
  Notification other = notification({alert("completion")});
  other.group_key = R"({}:{alertname="HighErrorRate", model="mistral-7b"})";
  const DeliveryResult held = notifier.notify(other, clock.now());
  CHECK(held.outcome == DeliveryOutcome::kRetry);
  REQUIRE(held.retry_after);
  CHECK(*held.retry_after == 2s);
  CHECK(slack.calls().size() == calls);
  // ...and once that has passed, both go through.
  clock.advance(*held.retry_after);
  CHECK(notifier.notify(notification({alert("chat")}), clock.now()).outcome ==
        DeliveryOutcome::kDelivered);
  CHECK(notifier.notify(other, clock.now()).outcome == DeliveryOutcome::kDelivered);
  CHECK(slack.messages().size() == 2);
}

// Answers each request with the next scripted response, reported as taking `elapsed` each.
class ScriptedSlack final : public HttpClient {
 public:
  Result<HttpResponse> send(const HttpRequest& request) override {
    urls.push_back(request.url);
    REQUIRE(!answers.empty());
    HttpResponse r = answers.front();
    answers.pop_front();
    return r;
  }
  static HttpResponse answer(int status, std::string body, std::chrono::microseconds elapsed,
                             HttpHeaders headers = {}) {
    HttpResponse r{status, std::move(headers), std::move(body)};
    r.elapsed = elapsed;
    return r;
  }
  std::deque<HttpResponse> answers;
  std::vector<std::string> urls;
};

TEST_CASE("slack: a channel's Retry-After counts from the answer, not from the request",
          "[notifiers][slack]") {
  FakeClock clock(kT + 1min);
  ScriptedSlack http;
  const HttpHeaders retry_after_2 = {{"Retry-After", "2"}};
  Notification other = notification({alert("completion")});
  other.group_key = R"({}:{alertname="HighErrorRate", model="mistral-7b"})";
  SECTION("webhook: the 429 comes 1.5 s after the request") {
    config::SlackConfig c;
    c.api_url = config::Secret("http://slack.test/services/T0/B0/XXXX");
    SlackNotifier notifier(c, "ml", settings(), http);
    http.answers = {ScriptedSlack::answer(429, "rate limited", 1500ms, retry_after_2)};
    const DeliveryResult r = notifier.notify(notification({alert("chat")}), clock.now());
    CHECK(r.outcome == DeliveryOutcome::kRetry);
    CHECK(r.retry_after == 2s);
    // 2 s after the request the channel has 1.5 s to go: the other group waits, unsent.
    clock.advance(2s);
    const DeliveryResult held = notifier.notify(other, clock.now());
    CHECK(held.outcome == DeliveryOutcome::kRetry);
    CHECK(held.retry_after == 2s);
    CHECK(http.urls.size() == 1);
    clock.advance(1500ms);
    http.answers = {ScriptedSlack::answer(200, "ok", 100ms)};
    CHECK(notifier.notify(other, clock.now()).outcome == DeliveryOutcome::kDelivered);
  }
  SECTION("bot mode: the update takes 1 s, then the thread reply gets ratelimited in 0.5 s") {
    config::SlackConfig c;
    c.send_resolved = true;
    c.app_token = config::Secret("xoxb-1-test");
    c.app_url = "http://slack.test/api/chat.postMessage";
    c.channel = "#alerts";
    SlackNotifier notifier(c, "ml", settings(), http);
    http.answers = {
        ScriptedSlack::answer(200, R"({"ok":true,"channel":"C1","ts":"1.000100"})", 1s),
        ScriptedSlack::answer(200, R"({"ok":false,"error":"ratelimited"})", 500ms, retry_after_2)};
    const std::string parent = encode_slack_thread({"C1", "1.000100", false});
    const DeliveryResult r = notifier.notify(
        notification({alert("chat"), alert("completion")}, {}, parent), clock.now());
    CHECK(r.outcome == DeliveryOutcome::kRetry);
    CHECK(r.retry_after == 2s);
    CHECK(http.urls == std::vector<std::string>{"http://slack.test/api/chat.update",
                                                "http://slack.test/api/chat.postMessage"});
    clock.advance(3400ms);  // the answer came at +1.5 s: closed until +3.5 s
    const DeliveryResult held = notifier.notify(other, clock.now());
    CHECK(held.outcome == DeliveryOutcome::kRetry);
    CHECK(http.urls.size() == 2);
  }
}

TEST_CASE("slack: Web API errors classify as retry or permanent without leaking the token",
          "[notifiers][slack][integration]") {
  FakeSlack slack;
  net::CurlHttpClient http(net::CurlOptions{});
  FakeClock clock(kT + 1min);

  SECTION("a wrong token is invalid_auth: permanent") {
    SlackNotifier notifier(bot_config(slack, "xoxb-wrong-TOKEN"), "ml", settings(), http);
    const DeliveryResult r = notifier.notify(notification({alert("chat")}), clock.now());
    CHECK(r.outcome == DeliveryOutcome::kPermanent);
    CHECK(r.error == "slack: chat.postMessage: invalid_auth");
    CHECK(r.error.find("wrong") == std::string::npos);
  }
  SECTION("an unknown channel is channel_not_found: permanent") {
    auto c = bot_config(slack);
    c.channel = "#nowhere";
    SlackNotifier notifier(c, "ml", settings(), http);
    const DeliveryResult r = notifier.notify(notification({alert("chat")}), clock.now());
    CHECK(r.outcome == DeliveryOutcome::kPermanent);
    CHECK(r.error == "slack: chat.postMessage: channel_not_found");
  }
  SECTION("ok:false ratelimited retries, with Retry-After when sent") {
    SlackNotifier notifier(bot_config(slack), "ml", settings(), http);
    slack.force_api(R"({"ok":false,"error":"ratelimited"})", "7");
    const DeliveryResult r = notifier.notify(notification({alert("chat")}), clock.now());
    CHECK(r.outcome == DeliveryOutcome::kRetry);
    CHECK(r.retry_after == 7s);
    CHECK(r.error == "slack: chat.postMessage: ratelimited");
  }
  SECTION("a 500 echoing the request retries, redacted") {
    SlackNotifier notifier(bot_config(slack), "ml", settings(), http);
    slack.force(500, "oops: Bearer " + slack.token());
    const DeliveryResult r = notifier.notify(notification({alert("chat")}), clock.now());
    CHECK(r.outcome == DeliveryOutcome::kRetry);
    CHECK_FALSE(r.retry_after);
    CHECK(r.error ==
          "slack: chat.postMessage: http 500 Internal Server Error: oops: Bearer <redacted>");
    check_no_secret(r, slack);
  }
  SECTION("a failed thread reply fails the notification, so it is retried whole") {
    SlackNotifier notifier(bot_config(slack), "ml", settings(), http);
    const DeliveryResult first = notifier.notify(notification({alert("chat")}), clock.now());
    REQUIRE(first.outcome == DeliveryOutcome::kDelivered);
    slack.force_api(R"({"ok":true,"channel":"C0123","ts":"1"})");  // the update
    slack.force(503);                                              // the reply
    const DeliveryResult r =
        notifier.notify(notification({alert("chat")}, {}, first.data), clock.now());
    CHECK(r.outcome == DeliveryOutcome::kRetry);
    CHECK(r.error == "slack: chat.postMessage: http 503 Service Unavailable");
  }
  SECTION("app_token_file is read at every send") {
    const auto file = write_temp("token", slack.token() + "\n");
    auto c = bot_config(slack);
    c.app_token = config::Secret();
    c.app_token_file = file;
    SlackNotifier notifier(c, "ml", settings(), http);
    CHECK(notifier.notify(notification({alert("chat")}), clock.now()).outcome ==
          DeliveryOutcome::kDelivered);
    std::ofstream(file) << "xoxb-rotated-TOKEN";
    const DeliveryResult r = notifier.notify(notification({alert("chat")}), clock.now());
    CHECK(r.outcome == DeliveryOutcome::kPermanent);
    CHECK(r.error == "slack: chat.postMessage: invalid_auth");
    std::filesystem::remove(file);
  }
}

TEST_CASE("slack: webhook errors classify as Slack's plain-text answers say",
          "[notifiers][slack][integration]") {
  FakeSlack slack;
  net::CurlHttpClient http(net::CurlOptions{});
  FakeClock clock(kT + 1min);
  SlackNotifier notifier(webhook_config(slack), "ml", settings(), http);
  struct Case {
    int status;
    const char* body;
    DeliveryOutcome outcome;
  };
  const Case c = GENERATE(Case{404, "channel_not_found", DeliveryOutcome::kPermanent},
                          Case{410, "channel_is_archived", DeliveryOutcome::kPermanent},
                          Case{403, "action_prohibited", DeliveryOutcome::kPermanent},
                          Case{400, "invalid_payload", DeliveryOutcome::kPermanent},
                          Case{500, "rollup_error", DeliveryOutcome::kRetry},
                          Case{200, "not ok", DeliveryOutcome::kPermanent});
  CAPTURE(c.status, c.body);
  slack.force(c.status, std::string(c.body) + " " + FakeSlack::kWebhookPath);
  const DeliveryResult r = notifier.notify(notification({alert("chat")}), clock.now());
  CHECK(r.outcome == c.outcome);
  CHECK(r.error.find(c.body) != std::string::npos);
  CHECK(r.error.find("<redacted>") != std::string::npos);
  check_no_secret(r, slack);
}

TEST_CASE("slack: a refused connection retries without naming the webhook path",
          "[notifiers][slack][integration]") {
  std::string url;
  {
    FakeSlack closed;  // a port that was just free and is closed again
    url = closed.webhook_url();
  }
  net::CurlHttpClient http(net::CurlOptions{});
  FakeClock clock(kT + 1min);
  config::SlackConfig c;
  c.api_url = config::Secret(url);
  SlackNotifier notifier(c, "ml", settings(), http);
  const DeliveryResult r = notifier.notify(notification({alert("chat")}), clock.now());
  CHECK(r.outcome == DeliveryOutcome::kRetry);
  CHECK(r.error.starts_with("slack: "));
  CAPTURE(r.error);
  CHECK(r.error.find("XXXX") == std::string::npos);
  CHECK(r.error.find("/services/") == std::string::npos);
}

}  // namespace
}  // namespace herald::notifiers
