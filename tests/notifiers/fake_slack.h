// FakeSlack: Slack's incoming webhook and Web API (chat.postMessage, chat.update) in process on
// 127.0.0.1, answering as docs/compatibility.md "Slack" says the real service does and rejecting
// every request it would reject (content type, token, channel, missing text, over-limit or
// unknown blocks). Forced answers (429, 5xx…) are queued for the next requests. It keeps the
// channel's messages, so tests assert what a reader of the channel would see. Thread-safe.
#pragma once

#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace herald::fakes {

// Characters as Slack's limits count them: UTF-16 code units (written apart from the renderer's
// count, so a bug there shows here).
inline size_t slack_units(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;  // a character's first byte
    if (c >= 0xF0) ++n;           // outside the BMP: a surrogate pair
  }
  return n;
}

inline std::string string_field(const nlohmann::json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : "";
}

inline bool only_keys(const nlohmann::json& o, std::initializer_list<const char*> keys) {
  for (const auto& [k, v] : o.items()) {
    bool known = false;
    for (const char* key : keys)
      known = known || k == key;
    if (!known) return false;
  }
  return true;
}

inline bool optional_string(const nlohmann::json& o, const char* key, size_t max) {
  auto it = o.find(key);
  return it == o.end() || (it->is_string() && slack_units(it->get<std::string>()) <= max);
}

// A composition text object of at most `max` characters; plain_text only when `plain_only`.
inline bool valid_text(const nlohmann::json& t, size_t max, bool plain_only = false) {
  if (!t.is_object() || !t.contains("type") || !t.contains("text")) return false;
  if (!t["text"].is_string() || t["text"].get<std::string>().empty()) return false;
  if (slack_units(t["text"].get<std::string>()) > max) return false;
  if (t["type"] == "plain_text") {
    return only_keys(t, {"type", "text", "emoji"}) &&
           (!t.contains("emoji") || t["emoji"].is_boolean());
  }
  if (t["type"] == "mrkdwn" && !plain_only) {
    return only_keys(t, {"type", "text", "verbatim"}) &&
           (!t.contains("verbatim") || t["verbatim"].is_boolean());
  }
  return false;
}

inline bool valid_button(const nlohmann::json& b, std::set<std::string>& action_ids) {
  if (!b.is_object() || string_field(b, "type") != "button") return false;
  if (!only_keys(b, {"type", "text", "action_id", "url", "value", "style", "confirm",
                     "accessibility_label"}))
    return false;
  if (!b.contains("text") || !valid_text(b["text"], 75, true)) return false;
  if (!optional_string(b, "action_id", 255) || !optional_string(b, "value", 2000) ||
      !optional_string(b, "url", 3000))
    return false;
  if (b.contains("action_id") && !action_ids.insert(b["action_id"].get<std::string>()).second)
    return false;
  if (b.contains("url")) {
    const std::string url = b["url"];
    if (!url.starts_with("https://") && !url.starts_with("http://")) return false;
  }
  if (b.contains("style") && b["style"] != "primary" && b["style"] != "danger") return false;
  return true;
}

inline bool valid_block(const nlohmann::json& b, std::set<std::string>& block_ids) {
  if (!b.is_object() || !b.contains("type") || !b["type"].is_string()) return false;
  if (!optional_string(b, "block_id", 255)) return false;
  if (b.contains("block_id") && !block_ids.insert(b["block_id"].get<std::string>()).second)
    return false;
  const std::string type = b["type"];
  if (type == "header") {
    return only_keys(b, {"type", "block_id", "text"}) && b.contains("text") &&
           valid_text(b["text"], 150, true);
  }
  if (type == "section") {
    if (!only_keys(b, {"type", "block_id", "text", "fields", "accessory"})) return false;
    if (!b.contains("text") && !b.contains("fields")) return false;
    if (b.contains("text") && !valid_text(b["text"], 3000)) return false;
    if (b.contains("fields")) {
      const auto& f = b["fields"];
      if (!f.is_array() || f.empty() || f.size() > 10) return false;
      for (const auto& t : f)
        if (!valid_text(t, 2000)) return false;
    }
    return true;
  }
  if (type == "actions") {
    if (!only_keys(b, {"type", "block_id", "elements"}) || !b.contains("elements")) return false;
    const auto& e = b["elements"];
    if (!e.is_array() || e.empty() || e.size() > 25) return false;
    std::set<std::string> action_ids;
    for (const auto& element : e)
      if (!valid_button(element, action_ids)) return false;
    return true;
  }
  if (type == "context") {
    if (!only_keys(b, {"type", "block_id", "elements"}) || !b.contains("elements")) return false;
    const auto& e = b["elements"];
    if (!e.is_array() || e.empty() || e.size() > 10) return false;
    for (const auto& t : e)
      if (!valid_text(t, 3000)) return false;
    return true;
  }
  if (type == "divider") return only_keys(b, {"type", "block_id"});
  return false;  // a type herald does not send is as good as unknown here
}

inline bool valid_blocks(const nlohmann::json& blocks) {
  if (!blocks.is_array() || blocks.size() > 50) return false;
  std::set<std::string> block_ids;
  for (const auto& b : blocks)
    if (!valid_block(b, block_ids)) return false;
  return true;
}

// "" when Slack accepts `body` as a message; else the error Slack answers
// (no_text, msg_too_long, invalid_blocks, invalid_attachments).
inline std::string validate_message(const nlohmann::json& body) {
  if (!body.is_object()) return "invalid_payload";
  bool has_text = false, has_blocks = false;
  if (auto it = body.find("text"); it != body.end()) {
    if (!it->is_string()) return "invalid_arguments";
    if (slack_units(it->get<std::string>()) > 40000) return "msg_too_long";
    has_text = !it->get<std::string>().empty();
  }
  if (auto it = body.find("blocks"); it != body.end()) {
    if (!valid_blocks(*it)) return "invalid_blocks";
    has_blocks = !it->empty();
  }
  if (auto it = body.find("attachments"); it != body.end()) {
    if (!it->is_array() || it->size() > 100) return "invalid_attachments";
    for (const auto& a : *it) {
      if (!a.is_object() || !optional_string(a, "color", 32)) return "invalid_attachments";
      if (a.contains("blocks") && !valid_blocks(a["blocks"])) return "invalid_blocks";
    }
  }
  if (!has_text && !has_blocks) return "no_text";
  return "";
}

class FakeSlack {
 public:
  static constexpr const char* kWebhookPath = "/services/T000/B000/XXXX";
  static constexpr const char* kChannel = "#alerts";  // the one channel name the bot may post to
  static constexpr const char* kChannelId = "C0123";

  struct Forced {
    int status = 200;
    std::string body;
    std::string content_type = "text/plain";
    std::string retry_after;  // "" → no header
  };
  struct Call {
    std::string endpoint;  // "webhook" | "chat.postMessage" | "chat.update"
    std::string body;
    int status = 0;
    std::string answer;
  };
  struct Posted {
    nlohmann::json body;    // as posted, then as last updated
    std::string ts;         // "" for webhook messages
    std::string thread_ts;  // set for thread replies
    int updates = 0;
  };

  explicit FakeSlack(std::string token = "xoxb-0000-fake-TOKEN") : token_(std::move(token)) {
    server_.Post(kWebhookPath, [this](const httplib::Request& q, httplib::Response& r) {
      handle(q, r, "webhook");
    });
    server_.Post("/api/chat.postMessage", [this](const httplib::Request& q, httplib::Response& r) {
      handle(q, r, "chat.postMessage");
    });
    server_.Post("/api/chat.update", [this](const httplib::Request& q, httplib::Response& r) {
      handle(q, r, "chat.update");
    });
    server_.Post(".*", [](const httplib::Request&, httplib::Response& r) {
      r.status = 404;
      r.set_content("no_service", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!server_.is_running() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~FakeSlack() {
    server_.stop();
    thread_.join();
  }
  FakeSlack(const FakeSlack&) = delete;
  FakeSlack& operator=(const FakeSlack&) = delete;

  [[nodiscard]] std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] std::string webhook_url() const { return base() + kWebhookPath; }
  [[nodiscard]] std::string post_message_url() const { return base() + "/api/chat.postMessage"; }
  [[nodiscard]] const std::string& token() const { return token_; }

  // The next request gets this answer instead of the real one (queued: one per request).
  void force(int status, std::string body = "", std::string retry_after = "",
             std::string content_type = "text/plain") {
    std::lock_guard lock(mu_);
    forced_.push_back({status, std::move(body), std::move(content_type), std::move(retry_after)});
  }
  // A forced Web API answer: HTTP 200 with a JSON body.
  void force_api(std::string json_body, std::string retry_after = "") {
    force(200, std::move(json_body), std::move(retry_after), "application/json; charset=utf-8");
  }
  // As if someone deleted the message: chat.update on it answers message_not_found.
  void forget(const std::string& ts) {
    std::lock_guard lock(mu_);
    std::erase_if(messages_, [&](const Posted& p) { return p.ts == ts; });
  }
  [[nodiscard]] std::vector<Call> calls() const {
    std::lock_guard lock(mu_);
    return calls_;
  }
  [[nodiscard]] std::vector<Posted> messages() const {
    std::lock_guard lock(mu_);
    return messages_;
  }
  [[nodiscard]] std::vector<Posted> parents() const { return filter(true); }
  [[nodiscard]] std::vector<Posted> replies() const { return filter(false); }

 private:
  struct Answer {
    int status;
    std::string body;
    std::string content_type;
    std::string retry_after;
  };

  std::vector<Posted> filter(bool top_level) const {
    std::vector<Posted> out;
    for (const Posted& p : messages())
      if (p.thread_ts.empty() == top_level) out.push_back(p);
    return out;
  }

  static Answer api_error(const std::string& error) {
    return {200, nlohmann::json{{"ok", false}, {"error", error}}.dump(),
            "application/json; charset=utf-8", ""};
  }
  static Answer api_ok(nlohmann::json fields) {
    fields["ok"] = true;
    return {200, fields.dump(), "application/json; charset=utf-8", ""};
  }

  // REQUIRES: mu_ held.
  Answer webhook(const httplib::Request& q) {
    if (q.get_header_value("Content-Type") != "application/json")
      return {400, "invalid_payload", "text/plain", ""};
    const auto body = nlohmann::json::parse(q.body, nullptr, false);
    if (!body.is_object()) return {400, "invalid_payload", "text/plain", ""};
    if (std::string error = validate_message(body); !error.empty())
      return {400, error, "text/plain", ""};
    messages_.push_back({body, "", "", 0});
    return {200, "ok", "text/html", ""};
  }

  // REQUIRES: mu_ held.
  Posted* find(const std::string& ts) {
    for (Posted& p : messages_)
      if (!p.ts.empty() && p.ts == ts) return &p;
    return nullptr;
  }

  // REQUIRES: mu_ held.
  Answer web_api(const httplib::Request& q, const std::string& method) {
    const std::string auth = q.get_header_value("Authorization");
    if (auth.empty()) return api_error("not_authed");
    if (auth != "Bearer " + token_) return api_error("invalid_auth");
    const std::string type = q.get_header_value("Content-Type");
    if (type != "application/json" && type != "application/json; charset=utf-8")
      return api_error("invalid_form_data");
    const auto body = nlohmann::json::parse(q.body, nullptr, false);
    if (body.is_discarded()) return api_error("invalid_json");
    if (!body.is_object()) return api_error("json_not_object");
    const std::string channel = string_field(body, "channel");
    if (std::string error = validate_message(body); !error.empty()) return api_error(error);
    if (method == "chat.update") {
      if (channel != kChannelId) return api_error("channel_not_found");
      const std::string ts = string_field(body, "ts");
      Posted* p = find(ts);
      if (p == nullptr) return api_error("message_not_found");
      nlohmann::json updated = body;
      updated.erase("ts");
      p->body = updated;
      ++p->updates;
      return api_ok({{"channel", kChannelId}, {"ts", ts}, {"text", string_field(body, "text")}});
    }
    if (channel != kChannel && channel != kChannelId) return api_error("channel_not_found");
    const std::string thread_ts = string_field(body, "thread_ts");
    if (!thread_ts.empty()) {
      const Posted* parent = find(thread_ts);
      if (parent == nullptr || !parent->thread_ts.empty()) return api_error("thread_not_found");
    }
    char ts[32];
    std::snprintf(ts, sizeof ts, "1716900000.%06d", ++last_ts_);
    messages_.push_back({body, ts, thread_ts, 0});
    return api_ok({{"channel", kChannelId}, {"ts", ts}, {"message", {{"ts", ts}}}});
  }

  void handle(const httplib::Request& q, httplib::Response& r, const std::string& endpoint) {
    std::lock_guard lock(mu_);
    Answer a;
    if (!forced_.empty()) {
      Forced f = std::move(forced_.front());
      forced_.pop_front();
      a = {f.status, f.body, f.content_type, f.retry_after};
    } else {
      a = endpoint == "webhook" ? webhook(q) : web_api(q, endpoint);
    }
    calls_.push_back({endpoint, q.body, a.status, a.body});
    r.status = a.status;
    if (!a.retry_after.empty()) r.set_header("Retry-After", a.retry_after);
    r.set_content(a.body, a.content_type.c_str());
  }

  const std::string token_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  std::deque<Forced> forced_;     // GUARDED_BY(mu_)
  std::vector<Call> calls_;       // GUARDED_BY(mu_)
  std::vector<Posted> messages_;  // GUARDED_BY(mu_)
  int last_ts_ = 0;               // GUARDED_BY(mu_)
};

}  // namespace herald::fakes
