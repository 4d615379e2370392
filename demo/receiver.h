// `herald demo-receiver`: a local stand-in for Slack that the demo's herald notifies. It accepts
// what Slack accepts from herald — incoming-webhook posts (/services/…) and the Web API's
// chat.postMessage / chat.update — answers as Slack does, and prints each message readably.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace herald::demo {

struct DemoReceiverOptions {
  std::string listen_address = "127.0.0.1:9102";  // host:port; port 0 picks a free port
};

// A Block Kit message as a few plain lines: the header, the texts and fields (mrkdwn markers and
// entities undone), and each button with its URL. `how` prefixes the first line (e.g. "slack
// #oncall", "update", "thread reply"). Pure.
[[nodiscard]] std::string describe_slack_message(const nlohmann::json& message,
                                                 const std::string& how);

// Serves until SIGINT/SIGTERM, printing every message to stdout. Returns the exit code.
int run_demo_receiver(const DemoReceiverOptions& options);

}  // namespace herald::demo
