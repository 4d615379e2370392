// The demo receiver prints a Block Kit message as a person reads it.
#include "demo/receiver.h"

#include <catch2/catch.hpp>

TEST_CASE("demo receiver: a Block Kit message as plain lines", "[app]") {
  const auto message = nlohmann::json::parse(R"json({
    "channel": "#oncall", "text": "[FIRING:1] HighErrorRate (llama3-8b)",
    "blocks": [
      {"type": "header", "text": {"type": "plain_text", "text": "FIRING: HighErrorRate (llama3-8b)"}},
      {"type": "section", "text": {"type": "mrkdwn", "text": "*7.2% of requests failing* on &lt;b&gt;"},
       "fields": [{"type": "mrkdwn", "text": "*Severity:*\ncritical"},
                  {"type": "mrkdwn", "text": "*Since:*\n<!date^1777636800^{time}|12:00 UTC>"}]},
      {"type": "actions", "elements": [
        {"type": "button", "text": {"type": "plain_text", "text": "Dashboard"},
         "url": "http://grafana/d/inference-detail?var-model=llama3-8b"},
        {"type": "button", "text": {"type": "plain_text", "text": "Ack"}, "action_id": "ack"}]}],
    "attachments": [{"color": "#E01E5A", "blocks": []}]})json");
  CHECK(herald::demo::describe_slack_message(message, "slack #oncall") ==
        "slack #oncall  FIRING: HighErrorRate (llama3-8b)\n"
        "  7.2% of requests failing on <b>\n"
        "  Severity: critical · Since: 12:00 UTC\n"
        "  [Dashboard] http://grafana/d/inference-detail?var-model=llama3-8b\n"
        "  [Ack] ack\n");
  // Without blocks (a plain webhook text), the text is the header.
  CHECK(herald::demo::describe_slack_message(nlohmann::json{{"text", "*hi* &amp; bye"}}, "x") ==
        "x  hi & bye\n");
}
