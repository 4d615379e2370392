// The demo's Slack stand-in: Slack's answers, and messages printed for people.
#include "demo/receiver.h"

#include <httplib.h>

#include <atomic>
#include <iostream>
#include <mutex>

#include "demo/serve_until_signal.h"

namespace herald::demo {
namespace {

using nlohmann::json;

// mrkdwn as a person reads it: entities decoded, <url|label> → label (url), a special
// <!date…|fallback> → fallback, *bold* → bold, line breaks → spaces.
std::string plain(std::string s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '<') {
      const size_t end = s.find('>', i);
      if (end != std::string::npos) {
        const std::string inner = s.substr(i + 1, end - i - 1);
        const size_t bar = inner.find('|');
        if (bar == std::string::npos) {
          out += inner;
        } else {
          out += inner.substr(bar + 1);
          if (inner[0] != '!') out += " (" + inner.substr(0, bar) + ")";
        }
        i = end;
        continue;
      }
    }
    if (s[i] != '*') out += s[i] == '\n' ? ' ' : s[i];
  }
  for (auto [from, to] : {std::pair{"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}}) {
    for (size_t at = out.find(from); at != std::string::npos; at = out.find(from, at + 1))
      out.replace(at, std::string_view(from).size(), to);
  }
  return out;
}

std::string text_of(const json& j) {
  return j.is_object() && j.contains("text") && j["text"].is_string() ? j["text"].get<std::string>()
                                                                      : "";
}

void describe_block(const json& b, std::string& out) {
  const std::string type = b.value("type", "");
  if (type == "section" || type == "context") {
    if (const std::string t = plain(text_of(b.value("text", json()))); !t.empty())
      out += "  " + t + "\n";
    std::string fields;
    for (const json& f : b.value("fields", b.value("elements", json::array())))
      fields += (fields.empty() ? "" : " · ") + plain(text_of(f));
    if (!fields.empty()) out += "  " + fields + "\n";
  } else if (type == "actions") {
    for (const json& e : b.value("elements", json::array())) {
      const std::string label = text_of(e.value("text", json()));
      out += "  [" + label + "] " + e.value("url", e.value("action_id", "")) + "\n";
    }
  }
}

}  // namespace

std::string describe_slack_message(const json& message, const std::string& how) {
  std::string header;
  const json blocks = message.value("blocks", json::array());
  for (const json& b : blocks)
    if (b.value("type", "") == "header") header = text_of(b.value("text", json()));
  if (header.empty()) header = plain(message.value("text", ""));
  std::string out = how + "  " + header + "\n";
  for (const json& b : blocks)
    describe_block(b, out);
  for (const json& a : message.value("attachments", json::array())) {
    for (const json& b : a.value("blocks", json::array()))
      describe_block(b, out);
  }
  return out;
}

int run_demo_receiver(const DemoReceiverOptions& options) {
  httplib::Server server;
  std::mutex print_mu;
  std::atomic<int> ts{0};
  auto print = [&](const std::string& text) {
    std::lock_guard lock(print_mu);
    std::cout << text << std::endl;
  };
  auto parse = [](const httplib::Request& req, httplib::Response& res) -> std::optional<json> {
    json j = json::parse(req.body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      res.status = 400;
      res.set_content("invalid_payload", "text/plain");
      return std::nullopt;
    }
    return j;
  };
  server.Post(R"(/services/.*)", [&](const httplib::Request& req, httplib::Response& res) {
    if (auto j = parse(req, res)) {
      print(describe_slack_message(*j, "slack webhook"));
      res.set_content("ok", "text/plain");
    }
  });
  server.Post(R"(/api/chat\.(postMessage|update))",
              [&](const httplib::Request& req, httplib::Response& res) {
                auto j = parse(req, res);
                if (!j) return;
                const bool update = req.matches[1] == "update";
                const std::string channel = j->value("channel", "#demo");
                std::string how = "slack " + channel;
                if (update) how += " (update)";
                if (j->contains("thread_ts")) how += " (thread reply)";
                print(describe_slack_message(*j, how));
                const std::string id =
                    update ? j->value("ts", "") : std::to_string(1700000000 + ++ts) + ".000100";
                res.set_content(json{{"ok", true}, {"channel", "CDEMO"}, {"ts", id}}.dump(),
                                "application/json");
              });
  return serve_until_signal(server, options.listen_address, "demo-receiver");
}

}  // namespace herald::demo
