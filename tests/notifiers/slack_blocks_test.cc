// Slack's Block Kit rendering: escaping and truncation helpers, colours, and golden payloads
// (golden/slack_<case>.json) that FakeSlack's validator must accept — hostile label values and a
// 60-alert group included. HERALD_UPDATE_GOLDEN=1 rewrites the golden files.
#include "notifiers/slack_blocks.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "model/matcher.h"
#include "notifiers/slack.h"
#include "tests/notifiers/fake_slack.h"
#include "tests/notifiers/fixtures.h"

using namespace std::chrono_literals;

namespace herald::notifiers {
namespace {

const WallTime kT = WallTime(std::chrono::seconds(1777636800));  // 2026-05-01 12:00 UTC

using test::read_file;

links::LinkSettings link_settings() {
  return test::drilldown_links("https://herald.example", "https://grafana.example");
}

Alert alert(LabelSet labels, std::string summary, WallTime start = kT) {
  return test::alert_with_summary(std::move(labels), std::move(summary), start);
}

Notification group(LabelSet group_labels, std::vector<Alert> firing,
                   std::vector<Alert> resolved = {}) {
  Notification n;
  n.receiver = "ml";
  n.group_key = "{}:" + group_labels.to_string();
  n.group_labels = std::move(group_labels);
  n.firing = std::move(firing);
  n.resolved = std::move(resolved);
  return n;
}

struct Rendered {
  nlohmann::ordered_json body;
  std::string text;  // as sent
};

Rendered render(const Notification& n, bool bot_mode, WallTime now = kT + 10min) {
  const Message m = build_message(n, link_settings(), now);
  const SlackRenderOptions options{.bot_mode = bot_mode,
                                   .group_id = bot_mode ? slack_group_id(n.group_key) : ""};
  auto body = render_slack_message(m, options);
  return {body, slack_dump(body)};
}

// Compares with golden/slack_<name>.json and checks FakeSlack (as Slack) accepts the payload.
void check_golden(const std::string& name, const Rendered& r) {
  const auto path = std::filesystem::path(HERALD_SOURCE_DIR) / "tests/notifiers/golden" /
                    ("slack_" + name + ".json");
  const std::string pretty =
      r.body.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  if (std::getenv("HERALD_UPDATE_GOLDEN") != nullptr)
    std::ofstream(path, std::ios::binary) << pretty;
  CAPTURE(path);
  CHECK(pretty == read_file(path));
  CHECK(fakes::validate_message(nlohmann::json::parse(r.text)) == "");
}

Notification one_firing() {
  return group({{"alertname", "HighErrorRate"}, {"model", "llama3-8b"}},
               {alert({{"alertname", "HighErrorRate"},
                       {"model", "llama3-8b"},
                       {"severity", "critical"},
                       {"team", "inference"}},
                      "5xx error rate 7.2% > 5%")});
}

}  // namespace

TEST_CASE("slack blocks: mrkdwn escaping of &, < and >", "[notifiers][slack]") {
  CHECK(slack_escape("a < b && c > d") == "a &lt; b &amp;&amp; c &gt; d");
  CHECK(slack_escape("<!channel> <@U123> <https://x|y>") ==
        "&lt;!channel&gt; &lt;@U123&gt; &lt;https://x|y&gt;");
  CHECK(slack_escape("*bold* 모델") == "*bold* 모델");
}

TEST_CASE("slack blocks: truncation counts characters and never splits one", "[notifiers][slack]") {
  CHECK(slack_length("abc") == 3);
  CHECK(slack_length("모델") == 2);
  CHECK(slack_length("\xF0\x9F\x94\xA5") == 2);  // 🔥 is a surrogate pair
  CHECK(slack_length("a\xFF") == 2);             // an invalid byte is sent as U+FFFD
  CHECK(slack_truncate("abcdef", 6) == "abcdef");
  CHECK(slack_truncate("abcdef", 4) == "abc\u2026");
  CHECK(slack_truncate("모델모델", 3) == "모델\u2026");
  CHECK(slack_truncate("a\xF0\x9F\x94\xA5", 3) == "a\xF0\x9F\x94\xA5");
  CHECK(slack_truncate("a\xF0\x9F\x94\xA5"
                       "b",
                       3) == "a\u2026");  // the pair does not fit with "…"
  // An entity is kept whole or dropped whole.
  CHECK(slack_escape_truncated("a<b", 6) == "a&lt;b");
  CHECK(slack_escape_truncated("a<bc", 6) == "a&lt;\u2026");
  CHECK(slack_escape_truncated("a<bc", 5) == "a\u2026");
  const std::string long_value(5000, 'x');
  const std::string cut = slack_escape_truncated(long_value, 300);
  CHECK(slack_length(cut) == 300);
  CHECK(cut.ends_with("\u2026"));
}

TEST_CASE("slack blocks: colour by state and severity", "[notifiers][slack]") {
  auto colour = [](std::vector<std::string> severities, bool resolved) {
    Message m;
    m.resolved = resolved;
    for (const auto& s : severities) {
      AlertLine line;
      line.labels = {{"severity", s}};
      m.firing.push_back(line);
    }
    return slack_color(m);
  };
  CHECK(colour({}, true) == "#2EB67D");
  CHECK(colour({"critical"}, false) == "#E01E5A");
  CHECK(colour({"info", "critical", "warning"}, false) == "#E01E5A");
  CHECK(colour({"warning", "info"}, false) == "#ECB22E");
  CHECK(colour({"info"}, false) == "#439FE0");
  CHECK(colour({""}, false) == "#439FE0");
}

TEST_CASE("slack blocks: durations, dates and thread replies", "[notifiers][slack]") {
  CHECK(slack_duration(45s) == "45s");
  CHECK(slack_duration(14min + 59s) == "14m");
  CHECK(slack_duration(2h) == "2h");
  CHECK(slack_duration(2h + 5min) == "2h 5m");
  CHECK(slack_duration(std::chrono::hours(24 * 3 + 4) + 10min) == "3d 4h");
  CHECK(slack_date(kT + 30s) ==
        "<!date^1777636830^{date_short_pretty} {time}|2026-05-01 12:00 UTC>");

  Message m;
  m.since = kT;
  m.firing.resize(2);
  m.resolved_alerts.resize(1);
  CHECK(slack_reply_text(m) == "2 firing, 1 resolved");
  m.resolved_alerts.clear();
  CHECK(slack_reply_text(m) == "2 firing");
  m.firing.clear();
  m.resolved = true;
  m.resolved_alerts.resize(2);
  m.resolved_alerts[0].ends_at = kT + 14min;
  m.resolved_alerts[1].ends_at = kT + 3min;
  CHECK(slack_reply_text(m) == "resolved after 14m");
}

TEST_CASE("slack blocks: golden, one firing alert in webhook mode", "[notifiers][slack]") {
  const Rendered r = render(one_firing(), false);
  check_golden("firing_webhook", r);
  CHECK(r.body["text"] == "[FIRING:1] HighErrorRate (llama3-8b)");
  CHECK(r.body["blocks"][0]["text"]["text"] == "FIRING: HighErrorRate (llama3-8b)");
  CHECK(r.text.find("\"ack\"") == std::string::npos);  // no interactive buttons without a bot
  CHECK(r.body["attachments"][0]["color"] == "#E01E5A");
}

TEST_CASE("slack blocks: golden, three firing alerts in bot mode", "[notifiers][slack]") {
  const LabelSet common = {{"alertname", "HighErrorRate"}, {"model", "llama3-8b"}};
  std::vector<Alert> firing;
  for (const char* mode : {"chat", "completion", "embeddings"}) {
    LabelSet l = common;
    l.set("mode", mode);
    l.set("severity", "warning");
    firing.push_back(alert(l, std::string(mode) + " 5xx above 5%", kT + 1min));
  }
  const Notification n = group(common, firing);
  const Rendered r = render(n, true);
  check_golden("firing_bot", r);
  const auto& buttons = r.body["blocks"].back()["elements"];
  REQUIRE(buttons.size() == 5);
  CHECK(buttons[3]["action_id"] == "ack");
  CHECK(buttons[3]["value"] == slack_group_id(n.group_key));
  CHECK(buttons[4]["action_id"] == "silence_1h");
  CHECK(r.body["attachments"][0]["color"] == "#ECB22E");
}

TEST_CASE("slack blocks: golden, a resolved group", "[notifiers][slack]") {
  Notification n = one_firing();
  n.resolved = n.firing;
  n.firing.clear();
  n.resolved[0].ends_at = kT + 14min;
  const Rendered r = render(n, true, kT + 15min);
  check_golden("resolved", r);
  CHECK(r.body["blocks"][0]["text"]["text"] == "RESOLVED: HighErrorRate (llama3-8b)");
  CHECK(r.body["attachments"][0]["color"] == "#2EB67D");
  CHECK(r.text.find("\"ack\"") == std::string::npos);  // nothing left to acknowledge
}

TEST_CASE("slack blocks: golden, hostile label and annotation values render inert",
          "[notifiers][slack]") {
  const std::string long_value(5000, 'v');
  const LabelSet group_labels = {{"alertname", "HighErrorRate"},
                                 {"model", "<script>alert(1)</script>"}};
  LabelSet a = group_labels;
  a.set("team", "<!channel>");
  a.set("note", "*bold* _it_ ~s~ `code`");
  a.set("long", long_value);
  a.set("region", "모델 서버");
  a.set("severity", "critical");
  LabelSet b = a;
  b.set("instance", "<@U0123>|&amp;");
  const Notification n =
      group(group_labels, {alert(a, "<!here> & <https://evil.example|click> *urgent*"),
                           alert(b, std::string(4000, 's'))});
  const Rendered r = render(n, true);
  check_golden("hostile", r);

  for (const char* raw : {"<script>", "<!channel>", "<!here>", "<@U0123>", "<https://evil"})
    CHECK(r.text.find(raw) == std::string::npos);
  CHECK(r.text.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(r.text.find("&lt;!channel&gt;") != std::string::npos);
  CHECK(r.text.find("&lt;@U0123&gt;|&amp;amp;") != std::string::npos);
  CHECK(r.text.find("모델 서버") != std::string::npos);
  CHECK(r.text.find(long_value.substr(0, 400)) == std::string::npos);  // cut, with "…"
  CHECK(r.text.find(std::string(299, 'v') + "\u2026") != std::string::npos);
  CHECK(r.text.find("`instance=&lt;@U0123&gt;|&amp;amp;`") != std::string::npos);
}

TEST_CASE("slack blocks: golden, 60 alerts are cut with \"+N more alerts\"", "[notifiers][slack]") {
  std::vector<Alert> firing;
  for (int i = 0; i < 60; ++i) {
    char instance[32];
    std::snprintf(instance, sizeof instance, "gpu-node-%02d:9400", i);
    firing.push_back(
        alert({{"alertname", "GpuMemoryHigh"}, {"instance", instance}, {"severity", "warning"}},
              "GPU memory above 95% for 10 minutes on " + std::string(instance)));
  }
  const Rendered r = render(group({{"alertname", "GpuMemoryHigh"}}, firing), true);
  check_golden("many_alerts", r);
  const std::string list = r.body["blocks"][2]["text"]["text"];
  CHECK(list.starts_with("*Firing (60):*\n"));
  CHECK(list.ends_with("\n_+40 more alerts_"));
  CHECK(slack_length(list) <= kSlackMaxSectionText);
}

TEST_CASE("slack blocks: the alert list fits a section however long the lines",
          "[notifiers][slack]") {
  std::vector<Alert> firing;
  for (int i = 0; i < 300; ++i) {
    firing.push_back(alert({{"alertname", "X"}, {"id", std::to_string(i) + std::string(500, '<')}},
                           std::string(500, '&')));
  }
  const Rendered r = render(group({{"alertname", "X"}}, firing), true);
  CHECK(fakes::validate_message(nlohmann::json::parse(r.text)) == "");
  const std::string list = r.body["blocks"][2]["text"]["text"];
  CHECK(list.find("more alerts_") != std::string::npos);
}

TEST_CASE("slack blocks: links that Slack would refuse are left out", "[notifiers][slack]") {
  Notification n = one_firing();
  n.firing[0].annotations["runbook_url"] = "https://runbooks.example/" + std::string(3000, 'r');
  auto settings = link_settings();
  settings.external_url = "";  // herald's own pages become root-relative: no Silence button
  const Message m = build_message(n, settings, kT);
  const auto body = render_slack_message(m, {.bot_mode = false, .group_id = ""});
  const auto& buttons = body["blocks"].back()["elements"];
  REQUIRE(buttons.size() == 1);
  CHECK(buttons[0]["action_id"] == "open_dashboard");
  CHECK(fakes::validate_message(nlohmann::json::parse(slack_dump(body))) == "");
}

TEST_CASE("slack blocks: many key labels end with \"+N more\"", "[notifiers][slack]") {
  LabelSet l = {{"alertname", "X"}, {"severity", "critical"}};
  for (char c = 'a'; c <= 'p'; ++c)
    l.set(std::string("label_") + c, "v");
  const Rendered r = render(group({{"alertname", "X"}}, {alert(l, "s")}), false);
  const auto& fields = r.body["blocks"][1]["fields"];
  REQUIRE(fields.size() == kSlackMaxFields);
  CHECK(fields[0]["text"] == "*Severity:*\ncritical");
  CHECK(fields[2]["text"] == "*label_a:*\nv");
  CHECK(fields[9]["text"] == "_+9 more_");
}

TEST_CASE("slack blocks: an alert without summary still renders a valid message",
          "[notifiers][slack]") {
  for (const char* summary : {"", " \n "}) {
    Notification n = one_firing();
    n.firing[0].annotations = {{"summary", summary}};
    const Rendered r = render(n, false);
    CHECK_FALSE(r.body["blocks"][1].contains("text"));
    CHECK(r.body["blocks"][1]["fields"].size() == 4);
    CHECK(fakes::validate_message(nlohmann::json::parse(r.text)) == "");
  }
}

TEST_CASE("slack blocks: the config's pretext, footer, fields and actions, within Slack's limits",
          "[notifiers][slack]") {
  const Message m = build_message(one_firing(), link_settings(), kT + 1min);
  SlackRenderOptions options;
  options.pretext = "on-call: <@U123>";
  options.footer = "herald demo";
  for (int i = 0; i < 12; ++i)
    options.fields.push_back({"model <" + std::to_string(i) + ">", "`llama3-8b`", std::nullopt});
  options.fields.push_back({"", "", std::nullopt});  // empty: left out
  options.actions = {{"button", "Grafana", "https://grafana.example/d/x", "danger", "", "", {}},
                     {"button", "Interactive", "", "primary", "ack", "1", {}},  // no URL: left out
                     {"button", "Relative", "/d/x", "", "", "", {}}};           // not absolute
  const nlohmann::json body = nlohmann::json::parse(slack_dump(render_slack_message(m, options)));
  CHECK(fakes::validate_message(body) == "");
  const nlohmann::json& blocks = body.at("blocks");
  CHECK(blocks.at(1) == nlohmann::json::parse(R"({"type":"context","elements":[
           {"type":"mrkdwn","text":"on-call: <@U123>","verbatim":true}]})"));
  CHECK(blocks.back().at("elements").at(0).at("text") == "herald demo");
  const nlohmann::json* fields = nullptr;
  const nlohmann::json* actions = nullptr;
  for (const nlohmann::json& b : blocks) {
    if (b.at("type") == "section" && b.contains("fields") &&
        b.at("fields").at(0).at("text").get<std::string>().starts_with("*model"))
      fields = &b;
    if (b.at("type") == "actions") actions = &b;
  }
  REQUIRE(fields != nullptr);
  CHECK(fields->at("fields").size() == 10);
  CHECK(fields->at("fields").at(0).at("text") == "*model &lt;0&gt;*\n`llama3-8b`");
  CHECK(fields->at("fields").at(9).at("text") == "_+3 more_");
  REQUIRE(actions != nullptr);
  const nlohmann::json& last = actions->at("elements").back();
  CHECK(last.at("text").at("text") == "Grafana");
  CHECK(last.at("url") == "https://grafana.example/d/x");
  CHECK(last.at("style") == "danger");
  CHECK(actions->dump().find("Interactive") == std::string::npos);
  CHECK(actions->dump().find("Relative") == std::string::npos);
}

}  // namespace herald::notifiers
