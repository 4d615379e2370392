// SlackNotifier end to end against FakeSlack through the real CurlHttpClient: webhook mode, and
// bot mode's one parent per group updated in place with thread replies, templates, and the fake's
// own checks. How answers classify (429, 5xx, ok:false) is in slack_answers_test.cc.
#include "notifiers/slack.h"

#include <catch2/catch.hpp>

#include "net/curl_http_client.h"
#include "notifiers/slack_blocks.h"
#include "tests/notifiers/slack_fixtures.h"

using namespace std::chrono_literals;
using herald::fakes::FakeSlack;

namespace herald::notifiers {

using namespace slack_testing;

TEST_CASE("slack: group ids, thread data and Web API error classes", "[notifiers][slack]") {
  CHECK(slack_group_id("abc") == "ba7816bf8f01cfea");  // sha256("abc") begins so
  CHECK(slack_group_id("").size() == 16);

  const SlackThread t{"C0123", "1716900000.000100", true};
  const auto back = decode_slack_thread(encode_slack_thread(t));
  REQUIRE(back);
  CHECK(back->channel == "C0123");
  CHECK(back->ts == "1716900000.000100");
  CHECK(back->resolved);
  for (const char* bad :
       {"", "null", "[]", "{", R"({"channel":"C1"})", R"({"channel":1,"ts":"2"})"})
    CHECK_FALSE(decode_slack_thread(bad));

  CHECK(slack_api_error_outcome("ratelimited") == DeliveryOutcome::kRetry);
  CHECK(slack_api_error_outcome("internal_error") == DeliveryOutcome::kRetry);
  for (const char* e :
       {"invalid_auth", "not_authed", "channel_not_found", "not_in_channel", "is_archived",
        "missing_scope", "invalid_blocks", "msg_too_long", "no_text"})
    CHECK(slack_api_error_outcome(e) == DeliveryOutcome::kPermanent);
}

TEST_CASE("slack: bot mode keeps one parent per group, updated in place, with thread replies",
          "[notifiers][slack][integration]") {
  FakeSlack slack;
  net::CurlHttpClient http(net::CurlOptions{});
  FakeClock clock(kT + 1min);
  SlackNotifier notifier(bot_config(slack), "ml", settings(), http);
  CHECK(notifier.integration() == "slack");
  CHECK(notifier.send_resolved());

  // Firing: a parent in the channel.
  const DeliveryResult first = notifier.notify(notification({alert("chat")}), clock.now());
  REQUIRE(first.outcome == DeliveryOutcome::kDelivered);
  const auto parent = decode_slack_thread(first.data);
  REQUIRE(parent);
  CHECK(parent->channel == FakeSlack::kChannelId);
  CHECK_FALSE(parent->resolved);
  REQUIRE(slack.parents().size() == 1);
  CHECK(slack.parents()[0].ts == parent->ts);
  CHECK(slack.parents()[0].body["channel"] == FakeSlack::kChannel);

  // More firing: the parent is updated, and the thread says what changed.
  clock.advance(5min);
  const DeliveryResult second = notifier.notify(
      notification({alert("chat"), alert("completion", kT + 5min)}, {}, first.data), clock.now());
  REQUIRE(second.outcome == DeliveryOutcome::kDelivered);
  CHECK(decode_slack_thread(second.data)->ts == parent->ts);
  CHECK(slack.parents().size() == 1);
  CHECK(slack.parents()[0].updates == 1);
  CHECK(slack.parents()[0].body["text"] == "[FIRING:2] HighErrorRate (llama3-8b)");
  REQUIRE(slack.replies().size() == 1);
  CHECK(slack.replies()[0].thread_ts == parent->ts);
  CHECK(slack.replies()[0].body["text"] == "2 firing");

  // All resolved: the parent turns green and the thread says how long it lasted.
  clock.advance(10min);
  const DeliveryResult third =
      notifier.notify(notification({},
                                   {resolved(alert("chat"), kT + 14min),
                                    resolved(alert("completion", kT + 5min), kT + 9min)},
                                   second.data),
                      clock.now());
  REQUIRE(third.outcome == DeliveryOutcome::kDelivered);
  CHECK(decode_slack_thread(third.data)->resolved);
  REQUIRE(slack.parents().size() == 1);
  const auto final_parent = slack.parents()[0];
  CHECK(final_parent.updates == 2);
  CHECK(final_parent.body["channel"] == FakeSlack::kChannelId);
  CHECK(final_parent.body["blocks"][0]["text"]["text"] == "RESOLVED: HighErrorRate (llama3-8b)");
  CHECK(final_parent.body["attachments"][0]["color"] == "#2EB67D");
  REQUIRE(slack.replies().size() == 2);
  CHECK(slack.replies()[1].body["text"] == "resolved after 14m");
  CHECK(slack.replies()[1].thread_ts == parent->ts);

  // Exactly one postMessage without thread_ts so far; the rest were updates and replies.
  int posts = 0, updates = 0;
  for (const auto& call : slack.calls()) {
    CHECK(call.status == 200);
    posts += call.endpoint == "chat.postMessage" &&
             nlohmann::json::parse(call.body).contains("thread_ts") == false;
    updates += call.endpoint == "chat.update";
  }
  CHECK(posts == 1);
  CHECK(updates == 2);

  // Firing again after the all-resolved: a new parent.
  clock.advance(30min);
  const DeliveryResult again =
      notifier.notify(notification({alert("chat", kT + 40min)}, {}, third.data), clock.now());
  REQUIRE(again.outcome == DeliveryOutcome::kDelivered);
  CHECK(slack.parents().size() == 2);
  CHECK(decode_slack_thread(again.data)->ts != parent->ts);
  CHECK(slack.parents()[1].body["attachments"][0]["color"] == "#E01E5A");
}

TEST_CASE("slack: a parent that cannot be updated is replaced by a new one",
          "[notifiers][slack][integration]") {
  FakeSlack slack;
  net::CurlHttpClient http(net::CurlOptions{});
  FakeClock clock(kT + 1min);
  SlackNotifier notifier(bot_config(slack), "ml", settings(), http);
  const DeliveryResult first = notifier.notify(notification({alert("chat")}), clock.now());
  REQUIRE(first.outcome == DeliveryOutcome::kDelivered);
  slack.forget(decode_slack_thread(first.data)->ts);  // deleted in Slack

  const DeliveryResult second = notifier.notify(
      notification({alert("chat"), alert("completion")}, {}, first.data), clock.now());
  REQUIRE(second.outcome == DeliveryOutcome::kDelivered);
  CHECK(decode_slack_thread(second.data)->ts != decode_slack_thread(first.data)->ts);
  REQUIRE(slack.parents().size() == 1);
  CHECK(slack.replies().empty());
  CHECK(slack.calls()[1].answer.find("message_not_found") != std::string::npos);

  SECTION("edit_window_closed also starts anew; another update error is reported") {
    slack.force_api(R"({"ok":false,"error":"edit_window_closed"})");
    const DeliveryResult third =
        notifier.notify(notification({alert("chat")}, {}, second.data), clock.now());
    CHECK(third.outcome == DeliveryOutcome::kDelivered);
    CHECK(slack.parents().size() == 2);

    slack.force_api(R"({"ok":false,"error":"not_in_channel"})");
    const DeliveryResult fourth =
        notifier.notify(notification({alert("chat")}, {}, third.data), clock.now());
    CHECK(fourth.outcome == DeliveryOutcome::kPermanent);
    CHECK(fourth.error == "slack: chat.update: not_in_channel");
    CHECK(slack.parents().size() == 2);
  }
}

TEST_CASE("slack: webhook mode posts the Block Kit message and expects \"ok\"",
          "[notifiers][slack][integration]") {
  FakeSlack slack;
  net::CurlHttpClient http(net::CurlOptions{});
  FakeClock clock(kT + 1min);
  SlackNotifier notifier(webhook_config(slack), "ml", settings(), http);
  CHECK_FALSE(notifier.send_resolved());
  const Notification n = notification({alert("chat"), alert("completion")});
  const DeliveryResult r = notifier.notify(n, clock.now());
  CHECK(r.outcome == DeliveryOutcome::kDelivered);
  CHECK(r.data.empty());
  REQUIRE(slack.messages().size() == 1);
  const auto expected = render_slack_message(build_message(n, *settings(), kT + 1min), {});
  CHECK(slack.messages()[0].body == nlohmann::json::parse(slack_dump(expected)));
  CHECK_FALSE(slack.messages()[0].body.contains("channel"));

  SECTION("api_url_file is read at every send") {
    const auto file = write_temp("url", slack.webhook_url() + "\n");
    config::SlackConfig c;
    c.api_url_file = file;
    SlackNotifier from_file(c, "ml", settings(), http);
    CHECK(from_file.notify(n, clock.now()).outcome == DeliveryOutcome::kDelivered);
    std::filesystem::remove(file);
    const DeliveryResult missing = from_file.notify(n, clock.now());
    CHECK(missing.outcome == DeliveryOutcome::kPermanent);
    CHECK(missing.error.starts_with("slack: unable to read api_url_file "));
  }
}

TEST_CASE("slack: the fake rejects what Slack rejects", "[notifiers][slack][integration]") {
  FakeSlack slack;
  net::CurlHttpClient http(net::CurlOptions{});
  auto post = [&](const std::string& url, const std::string& type, const std::string& body,
                  bool auth = true) {
    HttpRequest q{.method = "POST", .url = url, .headers = {{"Content-Type", type}}, .body = body};
    if (auth) q.headers.emplace_back("Authorization", "Bearer " + slack.token());
    auto r = http.send(q);
    REQUIRE(r);
    return std::to_string(r->status) + " " + r->body;
  };
  const std::string hook = slack.webhook_url();
  const std::string api = slack.post_message_url();
  CHECK(post(hook, "application/json", R"({"text":"hi"})") == "200 ok");
  CHECK(post(hook, "text/plain", R"({"text":"hi"})") == "400 invalid_payload");
  CHECK(post(hook, "application/json", R"({"blocks":[]})") == "400 no_text");
  CHECK(post(hook, "application/json", R"({"text":"x","blocks":[{"type":"bogus"}]})") ==
        "400 invalid_blocks");
  const std::string long_header(151, 'h');
  CHECK(post(hook, "application/json",
             R"({"blocks":[{"type":"header","text":{"type":"plain_text","text":")" + long_header +
                 R"("}}]})") == "400 invalid_blocks");
  CHECK(post(hook, "application/json", R"({"text":")" + std::string(40001, 't') + R"("})") ==
        "400 msg_too_long");
  CHECK(post(slack.base() + "/services/T000/B000/YYYY", "application/json", "{}") ==
        "404 no_service");
  CHECK(post(api, "application/json", R"({"channel":"#alerts","text":"x"})", false) ==
        R"(200 {"error":"not_authed","ok":false})");
  CHECK(post(api, "application/x-www-form-urlencoded", "channel=x&text=y") ==
        R"(200 {"error":"invalid_form_data","ok":false})");
  CHECK(post(api, "application/json; charset=utf-8", R"({"channel":"#alerts"})") ==
        R"(200 {"error":"no_text","ok":false})");
  CHECK(post(slack.base() + "/api/chat.update", "application/json",
             R"({"channel":"C0123","ts":"1.2","text":"x"})") ==
        R"(200 {"error":"message_not_found","ok":false})");
  CHECK(post(api, "application/json", R"({"channel":"#alerts","text":"x","thread_ts":"9.9"})") ==
        R"(200 {"error":"thread_not_found","ok":false})");
}

TEST_CASE("slack: title, text, fallback, color, username and channel templates are expanded",
          "[notifiers][slack][integration]") {
  FakeSlack slack;
  net::CurlHttpClient http(net::CurlOptions{});
  FakeClock clock(kT + 1min);
  const bool bot = GENERATE(false, true);
  CAPTURE(bot);
  config::SlackConfig c = bot ? bot_config(slack) : webhook_config(slack);
  // The fake knows one channel: the template must build exactly its ID.
  c.channel = bot ? "{{ if eq .CommonLabels.model \"llama3-8b\" }}" +
                        std::string(FakeSlack::kChannel) + "{{ end }}"
                  : "";
  c.title = "{{ template \"slack.default.title\" . }}";
  c.text = "{{ range .Alerts }}<{{ .SilenceURL }}|{{ .Labels.mode }}> {{ end }}";
  c.fallback = "{{ .Status }}: {{ .CommonLabels.alertname }}";
  c.color = "{{ if eq .Status \"firing\" }}#FF0000{{ end }}";
  c.username = "herald-{{ .Receiver }}";
  SlackNotifier notifier(c, "ml", settings(), http, SlackOptions{},
                         Templating{nullptr, "https://herald.example"});
  const DeliveryResult r =
      notifier.notify(notification({alert("chat"), alert("completion")}), clock.now());
  REQUIRE(r.outcome == DeliveryOutcome::kDelivered);
  CHECK(r.warnings.empty());
  REQUIRE(slack.messages().size() == 1);
  const nlohmann::json body = slack.messages()[0].body;
  CHECK(body.at("blocks").at(0).at("text").at("text") ==
        "[FIRING:2] HighErrorRate llama3-8b (critical)");  // Alertmanager's subject
  const std::string text = body.at("blocks").at(1).at("text").at("text");
  CHECK_THAT(text, Catch::StartsWith("<https://herald.example/silences/new?filter="));
  CHECK_THAT(text, Catch::Contains("|chat> <"));
  CHECK(body["text"] == "firing: HighErrorRate");
  CHECK(body.at("attachments").at(0).at("color") == "#FF0000");
  CHECK(body["username"] == "herald-ml");
  if (bot) CHECK(slack.parents().size() == 1);  // posted to the channel the template named
}

TEST_CASE(
    "slack: a failing content template sends herald's text and reports it; a failing "
    "channel fails the delivery",
    "[notifiers][slack][integration]") {
  FakeSlack slack;
  net::CurlHttpClient http(net::CurlOptions{});
  FakeClock clock(kT + 1min);
  config::SlackConfig c = webhook_config(slack);
  c.title = "{{ template \"nope\" . }}";
  SlackNotifier notifier(c, "ml", settings(), http);
  const Notification n = notification({alert("chat")});
  const DeliveryResult r = notifier.notify(n, clock.now());
  REQUIRE(r.outcome == DeliveryOutcome::kDelivered);
  REQUIRE(r.warnings.size() == 1);
  CHECK_THAT(r.warnings[0], Catch::StartsWith("slack_configs.title: template: no such template"));
  REQUIRE(slack.messages().size() == 1);
  CHECK(slack.messages()[0].body.at("blocks").at(0).at("text").at("text") ==
        "FIRING: HighErrorRate (llama3-8b)");

  config::SlackConfig b = bot_config(slack);
  b.channel = "{{ .Nope }}";
  SlackNotifier bot(b, "ml", settings(), http);
  const DeliveryResult failed = bot.notify(n, clock.now());
  CHECK(failed.outcome == DeliveryOutcome::kPermanent);
  CHECK_THAT(failed.error, Catch::StartsWith("slack: slack_configs.channel: template:"));
  CHECK(slack.messages().size() == 1);
}

}  // namespace herald::notifiers
