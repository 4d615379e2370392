// The Slack integration (docs/compatibility.md "Slack"), both modes: an incoming webhook (one
// message per notification), or the Web API with a bot token, where a group's first notification
// posts a parent message and later ones update it in place and reply in its thread; the parent's
// channel and ts travel in the notification log as DeliveryResult::data.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "config/receivers.h"
#include "links/alert_links.h"
#include "model/clock.h"
#include "model/http_client.h"
#include "model/notifier.h"
#include "notifiers/message_templates.h"
#include "notifiers/slack_rate_limit.h"

namespace herald::notifiers {

struct SlackOptions {
  std::chrono::milliseconds timeout{30000};  // each request
  // A per-channel Retry-After gate to share (it must outlive the notifier); null: its own.
  SlackRateLimits* rate_limits = nullptr;
};

// The bot-mode parent message of a group, as kept in DeliveryResult::data:
// {"channel":"C0123","ts":"1716900000.000100","resolved":false}.
struct SlackThread {
  std::string channel;  // the channel ID Slack answered with
  std::string ts;
  bool resolved = false;  // the parent shows the group all-resolved: the next firing starts anew
};
[[nodiscard]] std::string encode_slack_thread(const SlackThread& thread);
// nullopt for "" or anything that is not an encode_slack_thread output.
[[nodiscard]] std::optional<SlackThread> decode_slack_thread(std::string_view data);

// The value of the Ack and Silence 1h buttons: the first 16 hex digits of SHA-256(group_key).
[[nodiscard]] std::string slack_group_id(std::string_view group_key);

// How a Web API answer ({"ok":false,"error":…} with HTTP 200) is handled: ratelimited and
// Slack's transient errors retry; the rest (invalid_auth, channel_not_found, invalid_blocks…)
// are permanent.
[[nodiscard]] DeliveryOutcome slack_api_error_outcome(std::string_view error);

// cfg's template fields are expanded per notification (notifiers/message_templates.h): `channel`
// addresses the message; title, text, fallback and color override herald's Block Kit parts;
// pretext, footer, fields and actions are added to them (slack_blocks.h); username, icon_emoji
// and icon_url are sent as Slack's fields. title_link and the image fields are accepted but not
// shown (a Block Kit header cannot link; herald's Dashboard button is the link). A 429's
// Retry-After closes the channel for every notification bound there (notifiers/slack_rate_limit.h),
// not only the one that got it, from when the answer came. api_url_file and app_token_file are
// read at every send. Thread-safe
// (immutable state; the HttpClient is thread-safe and must outlive it).
class SlackNotifier final : public Notifier {
 public:
  SlackNotifier(const config::SlackConfig& cfg, std::string receiver,
                std::shared_ptr<const links::LinkSettings> links, HttpClient& http,
                SlackOptions options = {}, Templating templating = {});

  [[nodiscard]] std::string_view integration() const override { return "slack"; }
  [[nodiscard]] bool send_resolved() const override { return config_.send_resolved; }
  [[nodiscard]] DeliveryResult notify(const Notification& notification, WallTime now) override;

 private:
  // Each adds the time its requests took, as the transport measured them, to `spent`.
  DeliveryResult notify_webhook(const Notification& n, const config::SlackConfig& cfg, WallTime now,
                                std::chrono::microseconds& spent);
  DeliveryResult notify_bot(const Notification& n, const config::SlackConfig& cfg, WallTime now,
                            std::chrono::microseconds& spent);

  const config::SlackConfig config_;
  const std::string receiver_;
  const std::shared_ptr<const links::LinkSettings> links_;
  HttpClient& http_;
  const SlackOptions options_;
  const Templating templating_;
  std::unique_ptr<SlackRateLimits> own_limits_;
  SlackRateLimits& limits_;
};

}  // namespace herald::notifiers
