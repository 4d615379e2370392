// The PagerDuty Events API v2 integration (docs/compatibility.md "PagerDuty Events API v2"): one
// incident per aggregation group, keyed by the sha256 of the group key, triggered while any alert
// fires and resolved (or acknowledged) with the same dedup_key.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "config/receivers.h"
#include "links/alert_links.h"
#include "model/clock.h"
#include "model/http_client.h"
#include "model/notifier.h"
#include "notifiers/message.h"
#include "notifiers/message_templates.h"

namespace herald::notifiers {

// PagerDuty's limits: summary characters (code points), dedup_key bytes, whole event bytes.
inline constexpr size_t kPagerdutySummaryMax = 1024;
inline constexpr size_t kPagerdutyDedupKeyMax = 255;
inline constexpr size_t kPagerdutyEventMax = 512 * 1024;

// The incident's dedup_key: lowercase hex sha256 of the group key (64 characters).
[[nodiscard]] std::string pagerduty_dedup_key(std::string_view group_key);

// The Events v2 body for `m`: a trigger while any alert fires, a resolve (routing_key, dedup_key
// and event_action only) once all are resolved. `cfg` is the expanded config (expand_pagerduty):
// its fields are literal text, and an empty one gets herald's content. Text is JSON-escaped as
// Go does (<, >, & as \u003c…), invalid UTF-8 becomes U+FFFD, the summary is cut to 1024
// characters with "…", and custom_details is dropped when the event would exceed 512 KB. Pure.
[[nodiscard]] std::string render_pagerduty_event(const config::PagerdutyConfig& cfg,
                                                 const Message& m, std::string_view routing_key);

// An event that only names the incident: {"routing_key","dedup_key","event_action"} for
// "acknowledge" or "resolve". Pure.
[[nodiscard]] std::string render_pagerduty_update(std::string_view routing_key,
                                                  std::string_view dedup_key,
                                                  std::string_view event_action);

// PagerDuty's answer: 2xx → kDelivered with data = `dedup_key`; 400 → kPermanent with
// "pagerduty: http 400: <the body's errors, joined by "; ">"; 429 (with Retry-After) and 5xx and
// transport errors → kRetry; other statuses → kPermanent. Every one of `secrets` (the routing
// key, credentials) is redacted from the error. Pure.
[[nodiscard]] DeliveryResult classify_pagerduty(const Result<HttpResponse>& response,
                                                std::string_view dedup_key, WallTime now,
                                                std::span<const std::string> secrets);

// Sends render_pagerduty_event's body to cfg.url with the http_config's Authorization, reading
// routing_key_file and credential files at every send. Logs nothing. Thread-safe (immutable state;
// `http` is thread-safe and must outlive it).
class PagerdutyNotifier final : public Notifier {
 public:
  PagerdutyNotifier(const config::PagerdutyConfig& cfg, std::string receiver,
                    std::shared_ptr<const links::LinkSettings> links, HttpClient& http,
                    Templating templating = {});

  [[nodiscard]] std::string_view integration() const override { return "pagerduty"; }
  [[nodiscard]] bool send_resolved() const override { return cfg_.send_resolved; }
  [[nodiscard]] DeliveryResult notify(const Notification& notification, WallTime now) override;
  // Acknowledges the group's incident (someone acked it in herald) at `now`.
  [[nodiscard]] DeliveryResult acknowledge(std::string_view group_key, WallTime now);

 private:
  // Sends the event `render` builds from the routing key, classified against `dedup_key`.
  DeliveryResult send(const std::string& dedup_key,
                      const std::function<std::string(std::string_view routing_key)>& render,
                      WallTime now);

  const config::PagerdutyConfig cfg_;
  const std::string receiver_;
  const std::shared_ptr<const links::LinkSettings> links_;
  HttpClient& http_;
  const Templating templating_;
};

}  // namespace herald::notifiers
