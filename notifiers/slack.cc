// Slack delivery: the webhook POST, and bot mode's postMessage / update / thread reply with the
// parent kept in the notification log; Web API answers classified into the outbox's outcomes.
#include "notifiers/slack.h"

#include <array>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "model/version.h"
#include "notifiers/http_auth.h"
#include "notifiers/http_outcome.h"
#include "notifiers/message.h"
#include "notifiers/sha256.h"
#include "notifiers/slack_blocks.h"
#include "notifiers/webhook.h"

namespace herald::notifiers {
namespace {

using json = nlohmann::ordered_json;

DeliveryResult failed(DeliveryOutcome outcome, std::string error) {
  return {.outcome = outcome, .retry_after = std::nullopt, .error = std::move(error), .data = ""};
}

DeliveryResult delivered(std::string data) {
  return {.outcome = DeliveryOutcome::kDelivered,
          .retry_after = std::nullopt,
          .error = "",
          .data = std::move(data)};
}

std::string string_field(const json& j, const char* name) {
  auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

// chat.update lives beside chat.postMessage: app_url with its last path segment replaced.
std::string update_url(const std::string& post_url) {
  const size_t end = std::min(post_url.find_first_of("?#"), post_url.size());
  const size_t slash = post_url.rfind('/', end == 0 ? 0 : end - 1);
  if (slash == std::string::npos) return post_url;
  return post_url.substr(0, slash + 1) + "chat.update" + post_url.substr(end);
}

bool parent_gone(std::string_view error) {
  return error == "message_not_found" || error == "cant_update_message" ||
         error == "edit_window_closed";
}

// A Web API answer: ok with the message's channel and ts, or the failure to report.
struct ApiAnswer {
  bool ok = false;
  std::string error;  // Slack's error code of an {"ok":false} answer
  std::string channel, ts;
  DeliveryResult failure;
};

// The time an answer came: `now` (when the notification's first request went out) plus the
// transports' measure of every exchange so far, `spent`.
WallTime answered_at(WallTime now, std::chrono::microseconds spent) {
  return now + std::chrono::duration_cast<WallTime::duration>(spent);
}

struct WebApi {
  HttpClient& http;
  std::string post_url;
  std::string token;
  std::vector<std::string> secrets;
  std::chrono::milliseconds timeout;
  WallTime now;
  std::chrono::microseconds& spent;  // every call adds its exchange's duration

  ApiAnswer call(std::string_view method, const json& body) const {
    HttpRequest request{
        .method = "POST",
        .url = method == "chat.update" ? update_url(post_url) : post_url,
        .headers = {{"Content-Type", "application/json; charset=utf-8"},
                    {"Authorization", "Bearer " + token},
                    {"User-Agent", user_agent()}},
        .body = slack_dump(body),
        .timeout = timeout,
    };
    const std::string what = "slack: " + std::string(method);
    const Result<HttpResponse> response = http.send(request);
    if (response) spent += response->elapsed;
    const WallTime answered = answered_at(now, spent);
    ApiAnswer a;
    if (!response || response->status / 100 != 2) {
      a.failure = classify_http(what, response, answered, secrets);
      return a;
    }
    const json j = json::parse(response->body, nullptr, false);
    auto ok = j.is_object() ? j.find("ok") : j.end();
    if (!j.is_object() || ok == j.end() || !ok->is_boolean()) {
      a.failure =
          failed(DeliveryOutcome::kPermanent,
                 what + ": unexpected answer: " + error_excerpt(redact(response->body, secrets)));
      return a;
    }
    if (ok->get<bool>()) {
      a.ok = true;
      a.channel = string_field(j, "channel");
      a.ts = string_field(j, "ts");
      return a;
    }
    a.error = string_field(j, "error");
    a.failure = failed(slack_api_error_outcome(a.error),
                       what + ": " + error_excerpt(redact(a.error, secrets), 100));
    if (a.failure.outcome == DeliveryOutcome::kRetry) {
      if (auto header = response->header("Retry-After"))
        a.failure.retry_after = parse_retry_after(*header, answered);
    }
    return a;
  }
};

// `first` fields, then the rendered message's.
SlackRenderOptions render_options(const config::SlackConfig& cfg, bool bot, std::string group_id) {
  return {.bot_mode = bot,
          .group_id = std::move(group_id),
          .title = cfg.title,
          .text = cfg.text,
          .fallback = cfg.fallback,
          .color = cfg.color,
          .pretext = cfg.pretext,
          .footer = cfg.footer,
          .fields = cfg.fields,
          .actions = cfg.actions};
}

// The sender's name and icon, as Alertmanager sends them (both modes accept them; in bot mode
// Slack honours them with the chat:write.customize scope). Webhook mode also sends `channel`,
// which legacy webhooks honour.
json identity(const config::SlackConfig& cfg, json body) {
  if (!cfg.bot_mode() && !cfg.channel.empty()) body["channel"] = cfg.channel;
  if (!cfg.username.empty()) body["username"] = cfg.username;
  if (!cfg.icon_emoji.empty()) body["icon_emoji"] = cfg.icon_emoji;
  if (!cfg.icon_url.empty()) body["icon_url"] = cfg.icon_url;
  return body;
}

json with(json first, const json& message) {
  for (const auto& [key, value] : message.items())
    first[key] = value;
  return first;
}

}  // namespace

std::string encode_slack_thread(const SlackThread& thread) {
  return json{{"channel", thread.channel}, {"ts", thread.ts}, {"resolved", thread.resolved}}.dump();
}

std::optional<SlackThread> decode_slack_thread(std::string_view data) {
  if (data.empty()) return std::nullopt;
  const json j = json::parse(data, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  SlackThread t{string_field(j, "channel"), string_field(j, "ts"), false};
  auto resolved = j.find("resolved");
  if (t.channel.empty() || t.ts.empty() || resolved == j.end() || !resolved->is_boolean())
    return std::nullopt;
  t.resolved = resolved->get<bool>();
  return t;
}

std::string slack_group_id(std::string_view group_key) {
  return sha256_hex(group_key).substr(0, 16);
}

DeliveryOutcome slack_api_error_outcome(std::string_view error) {
  for (std::string_view transient : {"ratelimited", "rate_limited", "internal_error", "fatal_error",
                                     "service_unavailable", "request_timeout"})
    if (error == transient) return DeliveryOutcome::kRetry;
  return DeliveryOutcome::kPermanent;
}

SlackNotifier::SlackNotifier(const config::SlackConfig& cfg, std::string receiver,
                             std::shared_ptr<const links::LinkSettings> links, HttpClient& http,
                             SlackOptions options, Templating templating)
    : config_(cfg),
      receiver_(std::move(receiver)),
      links_(links ? std::move(links) : std::make_shared<const links::LinkSettings>()),
      http_(http),
      options_(options),
      templating_(std::move(templating)),
      own_limits_(options.rate_limits ? nullptr : std::make_unique<SlackRateLimits>()),
      limits_(options.rate_limits ? *options.rate_limits : *own_limits_) {}

DeliveryResult SlackNotifier::notify(const Notification& notification, WallTime now) {
  if (notification.firing.empty() && notification.resolved.empty())
    return delivered(notification.previous_data);  // nothing to say; keep the thread
  FieldExpander fields(templating_, notification, receiver_, *links_, now);
  const std::optional<config::SlackConfig> cfg = expand_slack(config_, fields);
  if (!cfg) return failed(DeliveryOutcome::kPermanent, "slack: " + fields.warnings().back());
  // The webhook URL is a secret: its channel is known by a hash of it.
  const std::string channel =
      cfg->bot_mode() ? "channel:" + cfg->channel
                      : "webhook:" + sha256_hex(config_.api_url.reveal() + config_.api_url_file);
  if (const auto wait = limits_.wait(channel, now)) {
    DeliveryResult waiting =
        failed(DeliveryOutcome::kRetry, "slack: the channel is rate limited by Slack for " +
                                            std::to_string(wait->count()) + "s more");
    waiting.retry_after = *wait;
    return waiting;
  }
  std::chrono::microseconds spent{};
  DeliveryResult result = cfg->bot_mode() ? notify_bot(notification, *cfg, now, spent)
                                          : notify_webhook(notification, *cfg, now, spent);
  // Counted from the answer: a request that took a while must not reopen the channel early.
  if (result.outcome == DeliveryOutcome::kRetry && result.retry_after)
    limits_.closed(channel, answered_at(now, spent) + *result.retry_after);
  result.warnings = fields.warnings();
  return result;
}

DeliveryResult SlackNotifier::notify_webhook(const Notification& n, const config::SlackConfig& cfg,
                                             WallTime now, std::chrono::microseconds& spent) {
  std::string url = config_.api_url.reveal();
  if (!config_.api_url_file.empty()) {
    auto read = read_secret_file(config_.api_url_file, "api_url_file");
    // As Alertmanager, which does not retry an api_url_file it cannot read.
    if (!read) return failed(DeliveryOutcome::kPermanent, "slack: " + read.error().message);
    url = std::move(*read);
  }
  if (url.empty()) return failed(DeliveryOutcome::kPermanent, "slack: no api_url");
  std::vector<std::string> secrets = url_secrets(url);
  const Message m = build_message(n, *links_, now);
  HttpRequest request{
      .method = "POST",
      .url = url,
      .headers = {{"Content-Type", "application/json"}, {"User-Agent", user_agent()}},
      .body = slack_dump(identity(cfg, render_slack_message(m, render_options(cfg, false, "")))),
      .timeout = options_.timeout,
  };
  if (auto auth = add_authorization(config_.http_config, request.headers, secrets); !auth)
    return failed(DeliveryOutcome::kRetry, "slack: " + auth.error().message);
  const Result<HttpResponse> response = http_.send(request);
  if (response) spent += response->elapsed;
  if (response && response->status / 100 == 2 && response->body != "ok") {
    return failed(DeliveryOutcome::kPermanent, "slack: unexpected answer: http " +
                                                   std::to_string(response->status) + ": " +
                                                   error_excerpt(redact(response->body, secrets)));
  }
  return classify_http("slack", response, answered_at(now, spent), secrets);
}

DeliveryResult SlackNotifier::notify_bot(const Notification& n, const config::SlackConfig& cfg,
                                         WallTime now, std::chrono::microseconds& spent) {
  std::string token = config_.app_token.reveal();
  if (!config_.app_token_file.empty()) {
    auto read = read_secret_file(config_.app_token_file, "app_token_file");
    if (!read) return failed(DeliveryOutcome::kPermanent, "slack: " + read.error().message);
    token = std::move(*read);
  }
  if (token.empty()) return failed(DeliveryOutcome::kPermanent, "slack: no app token");
  const WebApi api{http_, config_.app_url, token, {token}, options_.timeout, now, spent};
  const Message m = build_message(n, *links_, now);
  const json message = identity(
      cfg, render_slack_message(m, render_options(cfg, true, slack_group_id(n.group_key))));

  if (const auto parent = decode_slack_thread(n.previous_data); parent && !parent->resolved) {
    const ApiAnswer update =
        api.call("chat.update", with({{"channel", parent->channel}, {"ts", parent->ts}}, message));
    if (update.ok) {
      const json reply = {{"channel", parent->channel},
                          {"thread_ts", parent->ts},
                          {"text", slack_escape(slack_reply_text(m))}};
      const ApiAnswer replied = api.call("chat.postMessage", reply);
      if (!replied.ok) return replied.failure;
      return delivered(encode_slack_thread({parent->channel, parent->ts, m.resolved}));
    }
    // A parent deleted or too old to edit: start a new thread rather than fail the group.
    if (!parent_gone(update.error)) return update.failure;
  }
  const ApiAnswer posted = api.call("chat.postMessage", with({{"channel", cfg.channel}}, message));
  if (!posted.ok) return posted.failure;
  if (posted.channel.empty() || posted.ts.empty()) return delivered("");
  return delivered(encode_slack_thread({posted.channel, posted.ts, m.resolved}));
}

}  // namespace herald::notifiers
