// FakePagerduty: PagerDuty's Events API v2 (POST /v2/enqueue) on 127.0.0.1, port 0, for tests.
// It rejects with 400 every request docs/compatibility.md "PagerDuty Events API v2" says the real
// service rejects, answers queued 429/5xx on demand, and records every request and each accepted
// event. Thread-safe.
#pragma once

#include <httplib.h>

#include <cctype>
#include <chrono>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace herald::test {

// Characters (code points) of valid UTF-8 text.
inline size_t utf8_chars(const std::string& s) {
  size_t n = 0;
  for (char c : s)
    n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Why PagerDuty would reject `event` (already parsed); empty when it accepts it.
inline std::vector<std::string> pagerduty_event_object_errors(const nlohmann::json& event) {
  std::vector<std::string> errors;
  auto text = [&](const nlohmann::json& obj, const char* key) -> std::string {
    auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
  };
  const std::string key = text(event, "routing_key");
  bool key_ok = key.size() == 32;
  for (char c : key)
    key_ok = key_ok && std::isalnum(static_cast<unsigned char>(c));
  if (!key_ok) errors.push_back("Length of 'routing_key' is incorrect (should be 32 characters)");
  const std::string action = text(event, "event_action");
  if (action != "trigger" && action != "acknowledge" && action != "resolve") {
    errors.push_back(
        "'event_action' is invalid (must be one of the following: 'trigger', "
        "'acknowledge' or 'resolve')");
  }
  if (event.contains("dedup_key") &&
      (!event["dedup_key"].is_string() || event["dedup_key"].get<std::string>().size() > 255))
    errors.push_back("'dedup_key' is invalid (must be a string of at most 255 characters)");
  if (action != "trigger") {
    if (action != "" && text(event, "dedup_key").empty())
      errors.push_back("'dedup_key' is missing or blank");
    return errors;
  }
  auto payload = event.find("payload");
  if (payload == event.end() || !payload->is_object()) {
    errors.push_back("'payload' is missing or blank");
    return errors;
  }
  const std::string summary = text(*payload, "summary");
  if (summary.empty()) errors.push_back("'payload.summary' is missing or blank");
  if (utf8_chars(summary) > 1024) errors.push_back("'payload.summary' is too long (max 1024)");
  if (text(*payload, "source").empty()) errors.push_back("'payload.source' is missing or blank");
  const std::string severity = text(*payload, "severity");
  if (severity != "critical" && severity != "error" && severity != "warning" &&
      severity != "info") {
    errors.push_back(
        "'payload.severity' is invalid (must be one of the following: 'critical', "
        "'warning', 'error' or 'info')");
  }
  if (payload->contains("timestamp") && !(*payload)["timestamp"].is_string())
    errors.push_back("'payload.timestamp' is invalid");
  if (auto links = event.find("links"); links != event.end()) {
    bool ok = links->is_array();
    for (const auto& l : ok ? *links : nlohmann::json::array())
      ok = ok && l.is_object() && !text(l, "href").empty();
    if (!ok) errors.push_back("'links' is invalid");
  }
  return errors;
}

// Why PagerDuty would reject this request body sent with `content_type`; empty when accepted.
inline std::vector<std::string> pagerduty_event_errors(const std::string& content_type,
                                                       const std::string& body) {
  const std::string media = content_type.substr(0, content_type.find(';'));
  if (media != "application/json") return {"Content-Type must be application/json"};
  if (body.size() > 512 * 1024) return {"Event object is too large (max 512 KB)"};
  // nlohmann's parser also rejects invalid UTF-8 in strings.
  const auto event = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (event.is_discarded() || !event.is_object()) return {"Event object is not valid JSON"};
  return pagerduty_event_object_errors(event);
}

class FakePagerduty {
 public:
  FakePagerduty() {
    server_.Post("/v2/enqueue",
                 [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!server_.is_running() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~FakePagerduty() {
    server_.stop();
    thread_.join();
  }
  FakePagerduty(const FakePagerduty&) = delete;
  FakePagerduty& operator=(const FakePagerduty&) = delete;

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/v2/enqueue";
  }
  // The next request is answered `status` (with `body`, or PagerDuty's for 429 / 5xx, and a
  // Retry-After header when given) without validation. Forced answers are used in order.
  void force(int status, std::string retry_after = "", std::string body = "") {
    std::lock_guard lock(mu_);
    forced_.push_back({status, std::move(retry_after), std::move(body)});
  }

  struct Request {
    std::string content_type, user_agent, authorization, body;
  };
  [[nodiscard]] std::vector<Request> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }
  [[nodiscard]] std::vector<nlohmann::json> events() const {
    std::lock_guard lock(mu_);
    return events_;
  }

 private:
  struct Forced {
    int status;
    std::string retry_after, body;
  };

  void handle(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu_);
    requests_.push_back({req.get_header_value("Content-Type"), req.get_header_value("User-Agent"),
                         req.get_header_value("Authorization"), req.body});
    if (!forced_.empty()) return answer_forced(res);
    const auto errors = pagerduty_event_errors(req.get_header_value("Content-Type"), req.body);
    if (!errors.empty()) {
      const nlohmann::json body = {
          {"status", "invalid event"}, {"message", "Event object is invalid"}, {"errors", errors}};
      res.status = 400;
      res.set_content(body.dump(), "application/json");
      return;
    }
    nlohmann::json event = nlohmann::json::parse(req.body);
    if (!event.contains("dedup_key")) event["dedup_key"] = "generated-" + std::to_string(++next_);
    events_.push_back(event);
    const nlohmann::json body = {
        {"status", "success"}, {"message", "Event processed"}, {"dedup_key", event["dedup_key"]}};
    res.status = 202;
    res.set_content(body.dump(), "application/json");
  }

  // REQUIRES: mu_ held, !forced_.empty()
  void answer_forced(httplib::Response& res) {
    Forced f = std::move(forced_.front());
    forced_.pop_front();
    res.status = f.status;
    if (!f.retry_after.empty()) res.set_header("Retry-After", f.retry_after);
    if (f.body.empty() && f.status == 429) {
      f.body = R"({"status":"throttle event","message":"Requests for this service are )"
               R"(arriving too quickly. Please retry later."})";
    } else if (f.body.empty() && f.status >= 500) {
      f.body = R"({"status":"error","message":"Internal server error"})";
    }
    res.set_content(f.body, "application/json");
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  std::deque<Forced> forced_;           // GUARDED_BY(mu_)
  std::vector<Request> requests_;       // GUARDED_BY(mu_)
  std::vector<nlohmann::json> events_;  // GUARDED_BY(mu_)
  int next_ = 0;                        // GUARDED_BY(mu_)
};

}  // namespace herald::test
