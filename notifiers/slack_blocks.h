// Slack's Block Kit rendering of a Message (docs/compatibility.md "Slack"): the parent message
// herald posts or updates, and the short thread replies of bot mode. Every user text is mrkdwn-
// escaped and every Block Kit limit is kept by truncation, so a rendered message is never one
// Slack rejects. Pure functions.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "config/receivers.h"
#include "model/clock.h"
#include "notifiers/message.h"

namespace herald::notifiers {

// Slack's Block Kit limits, in characters (counted here as UTF-16 code units, the stricter
// reading for characters outside the BMP).
inline constexpr size_t kSlackMaxBlocks = 50;
inline constexpr size_t kSlackMaxHeaderText = 150;
inline constexpr size_t kSlackMaxSectionText = 3000;
inline constexpr size_t kSlackMaxFields = 10;
inline constexpr size_t kSlackMaxFieldText = 2000;
inline constexpr size_t kSlackMaxActionElements = 25;
inline constexpr size_t kSlackMaxButtonText = 75;
inline constexpr size_t kSlackMaxButtonUrl = 3000;
inline constexpr size_t kSlackMaxButtonValue = 2000;
inline constexpr size_t kSlackMaxText = 40000;

struct SlackRenderOptions {
  // Bot mode: adds the Ack and Silence 1h buttons (while firing), whose value is `group_id`.
  bool bot_mode = false;
  std::string group_id;
  // The receiver's expanded `title`, `text`, `fallback` and `color` templates ("" keeps herald's
  // own): title replaces the header (plain text, escaped, cut to 150), text the summary line
  // (mrkdwn as the user wrote it, links included, cut to 3000), fallback the notification text.
  std::string title = {};
  std::string text = {};
  std::string fallback = {};
  std::string color = {};
  // Alertmanager's `pretext` and `footer` (a context line under the header / at the end), `fields`
  // (a section of "*title*\nvalue" fields, 10 at most with "+N more") and `actions` (link buttons
  // after herald's; an action without a URL is for interactive apps and is left out). Expanded.
  std::string pretext = {};
  std::string footer = {};
  std::vector<config::SlackField> fields = {};
  std::vector<config::SlackAction> actions = {};
};

// `text` with Slack's control characters escaped: & → &amp;, < → &lt;, > → &gt;.
[[nodiscard]] std::string slack_escape(std::string_view text);

// Length as Slack counts it (UTF-16 code units; an invalid UTF-8 byte counts as one, the U+FFFD
// it is sent as).
[[nodiscard]] size_t slack_length(std::string_view text);

// `text` cut to at most `max` (≥ 1) units on a character boundary, ending with "…" when cut.
[[nodiscard]] std::string slack_truncate(std::string_view text, size_t max);

// slack_escape(raw) cut to at most `max` (≥ 1) units without splitting an entity, ending with
// "…" when cut.
[[nodiscard]] std::string slack_escape_truncated(std::string_view raw, size_t max);

// The attachment colour: resolved #2EB67D; firing with a critical alert #E01E5A, else with a
// warning #ECB22E, else #439FE0.
[[nodiscard]] std::string slack_color(const Message& m);

// The whole message body (text fallback, blocks, coloured attachment) without `channel` or `ts`,
// which the transport adds.
[[nodiscard]] nlohmann::ordered_json render_slack_message(const Message& m,
                                                          const SlackRenderOptions& options);

// The thread reply's text after an update: "resolved after 14m" once all-resolved, else the
// counts, "2 firing, 1 resolved".
[[nodiscard]] std::string slack_reply_text(const Message& m);

// "14m", "2h 5m", "3d 4h", "45s": a short human duration (non-negative).
[[nodiscard]] std::string slack_duration(std::chrono::seconds d);

// The Since field's date: "<!date^1777636800^{date_short_pretty} {time}|2026-05-01 12:00 UTC>".
[[nodiscard]] std::string slack_date(WallTime t);

// The JSON text Slack receives: compact, UTF-8 kept, invalid UTF-8 replaced by U+FFFD.
[[nodiscard]] std::string slack_dump(const nlohmann::ordered_json& body);

}  // namespace herald::notifiers
