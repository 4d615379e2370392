// Message → Block Kit: header, summary with fields, the alert list, link and action buttons, and
// the coloured attachment; escaping and limit-keeping truncation of user text.
#include "notifiers/slack_blocks.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "model/go_json.h"
#include "model/text_escape.h"

namespace herald::notifiers {
namespace {

using json = nlohmann::ordered_json;

// Readability caps, well inside Slack's limits: a label value in a field, a summary, one line of
// the alert list (labels, then summary), the lines listed, and the fallback text (the spec's aim).
constexpr size_t kFieldValueMax = 300;
constexpr size_t kFieldNameMax = 100;
constexpr size_t kSummaryMax = 1000;
constexpr size_t kLineLabelsMax = 200;
constexpr size_t kLineSummaryMax = 200;
constexpr size_t kMaxAlertLines = 20;
constexpr size_t kFallbackMax = 4000;
constexpr std::string_view kEllipsis = "\u2026";

// Byte length of the character at s[i] and its UTF-16 length.
size_t next_char(std::string_view s, size_t i, size_t& units) {
  units = 1;
  if (static_cast<unsigned char>(s[i]) < 0x80) return 1;
  char32_t rune = 0;
  const size_t n = utf8_sequence(s.substr(i), rune);
  if (n == 0) return 1;  // sent as U+FFFD
  if (rune > 0xFFFF) units = 2;
  return n;
}

std::string_view escaped_char(std::string_view c) {
  if (c == "&") return "&amp;";
  if (c == "<") return "&lt;";
  if (c == ">") return "&gt;";
  return c;
}

// Cuts `text` character by character (each escaped when `escape`) to fit `max` with "…".
std::string fit(std::string_view text, size_t max, bool escape) {
  std::string whole = escape ? slack_escape(text) : std::string(text);
  if (slack_length(whole) <= max) return whole;
  std::string out;
  size_t len = 0;
  for (size_t i = 0; i < text.size();) {
    size_t units = 0;
    const size_t n = next_char(text, i, units);
    const std::string_view piece = escape ? escaped_char(text.substr(i, n)) : text.substr(i, n);
    if (piece.size() > n) units = piece.size();  // an entity: ASCII
    if (len + units + 1 > max) break;
    out.append(piece);
    len += units;
    i += n;
  }
  return out.append(kEllipsis);
}

json plain_text(std::string text) {
  return {{"type", "plain_text"}, {"text", std::move(text)}, {"emoji", true}};
}

// Verbatim: Slack does not auto-link URLs, channel names or mentions in user text.
json mrkdwn(std::string text) {
  return {{"type", "mrkdwn"}, {"text", std::move(text)}, {"verbatim", true}};
}

std::string field_text(std::string_view name, std::string_view raw_value) {
  return "*" + slack_escape_truncated(name, kFieldNameMax) + ":*\n" +
         slack_escape_truncated(raw_value, kFieldValueMax);
}

// Group labels, then the other common labels, without the ones the header and Severity show.
std::vector<Label> key_labels(const Message& m) {
  std::set<std::string> seen = {"alertname", "severity"};
  std::vector<Label> out;
  for (const LabelSet* set : {&m.group_labels, &m.common_labels}) {
    for (const Label& l : *set)
      if (seen.insert(l.name).second) out.push_back(l);
  }
  return out;
}

std::optional<WallTime> resolved_at(const Message& m) {
  std::optional<WallTime> latest;
  for (const AlertLine& a : m.resolved_alerts)
    if (a.ends_at && (!latest || *a.ends_at > *latest)) latest = a.ends_at;
  return latest;
}

std::string counts(const Message& m) {
  std::string s = std::to_string(m.firing.size()) + " firing";
  if (!m.resolved_alerts.empty())
    s += ", " + std::to_string(m.resolved_alerts.size()) + " resolved";
  return s;
}

bool has_text(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") != std::string_view::npos;
}

json fields(const Message& m) {
  std::vector<std::string> out;
  if (!m.severity.empty()) out.push_back(field_text("Severity", m.severity));
  out.push_back("*Since:*\n" + slack_date(m.since));
  if (m.resolved) {
    if (auto end = resolved_at(m)) out.push_back("*Resolved:*\n" + slack_date(*end));
  }
  if (m.firing.size() + m.resolved_alerts.size() > 1) out.push_back("*Alerts:*\n" + counts(m));
  const std::vector<Label> labels = key_labels(m);
  const size_t room = kSlackMaxFields - out.size();
  const size_t shown = labels.size() <= room ? labels.size() : room - 1;
  for (size_t i = 0; i < shown; ++i)
    out.push_back(field_text(labels[i].name, labels[i].value));
  if (shown < labels.size()) out.push_back("_+" + std::to_string(labels.size() - shown) + " more_");
  json array = json::array();
  for (std::string& f : out)
    array.push_back(mrkdwn(std::move(f)));
  return array;
}

// A code span of user text; a backtick inside would end it early, so it shows as U+02CB.
std::string code_span(std::string_view raw, size_t max) {
  std::string text;
  for (char c : raw)
    text += c == '`' ? std::string("\u02CB") : std::string(1, c);
  return "`" + slack_escape_truncated(text, max) + "`";
}

// The labels telling an alert from the rest of its group.
std::string distinguishing(const AlertLine& a, const LabelSet& common) {
  std::string s;
  for (const Label& l : a.labels) {
    if (common.get(l.name) == l.value) continue;
    s += (s.empty() ? "" : ", ") + l.name + "=" + l.value;
  }
  return s;
}

std::string alert_line(const AlertLine& a, const LabelSet& common) {
  const std::string labels = distinguishing(a, common);
  std::string line = "\u2022";
  if (!labels.empty()) line += " " + code_span(labels, kLineLabelsMax);
  if (!a.summary.empty()) line += " " + slack_escape_truncated(a.summary, kLineSummaryMax);
  return line;
}

// "*Firing (3):*" and one line per alert, firing first, cut with "+N more alerts" to fit.
std::string alert_list(const Message& m) {
  const size_t total = m.firing.size() + m.resolved_alerts.size();
  constexpr size_t kTailRoom = 32;  // "\n_+NNNN more alerts_"
  std::string text;
  size_t shown = 0;
  bool full = false;
  auto add = [&](std::string entry, bool is_alert) {
    if (full) return;
    const std::string next = text.empty() ? entry : text + "\n" + entry;
    if ((is_alert && shown == kMaxAlertLines) ||
        slack_length(next) + kTailRoom > kSlackMaxSectionText) {
      full = true;
      return;
    }
    text = next;
    if (is_alert) ++shown;
  };
  for (const auto* group : {&m.firing, &m.resolved_alerts}) {
    if (group->empty()) continue;
    const bool firing = group == &m.firing;
    add("*" + std::string(firing ? "Firing" : "Resolved") + " (" + std::to_string(group->size()) +
            "):*",
        false);
    for (const AlertLine& a : *group)
      add(alert_line(a, m.common_labels), true);
  }
  if (shown < total) text += "\n_+" + std::to_string(total - shown) + " more alerts_";
  return text;
}

bool button_url_ok(const std::string& url) {
  return (url.starts_with("https://") || url.starts_with("http://")) &&
         slack_length(url) <= kSlackMaxButtonUrl;
}

void add_url_button(json& elements, const char* text, const char* action_id,
                    const std::string& url) {
  if (!button_url_ok(url)) return;  // a relative or over-long URL would void the whole message
  elements.push_back(
      {{"type", "button"}, {"text", plain_text(text)}, {"action_id", action_id}, {"url", url}});
}

json actions(const Message& m, const SlackRenderOptions& options) {
  json elements = json::array();
  if (m.links.dashboard)
    add_url_button(elements, "Dashboard", "open_dashboard", m.links.dashboard->url);
  if (m.links.runbook) add_url_button(elements, "Runbook", "open_runbook", m.links.runbook->url);
  add_url_button(elements, "Silence", "open_silence", m.links.silence.url);
  const std::string& id = options.group_id;
  if (options.bot_mode && !m.resolved && !id.empty() && id.size() <= kSlackMaxButtonValue) {
    elements.push_back({{"type", "button"},
                        {"text", plain_text("Ack")},
                        {"action_id", "ack"},
                        {"style", "primary"},
                        {"value", id}});
    elements.push_back({{"type", "button"},
                        {"text", plain_text("Silence 1h")},
                        {"action_id", "silence_1h"},
                        {"value", id}});
  }
  for (size_t i = 0; i < options.actions.size(); ++i) {
    const config::SlackAction& a = options.actions[i];
    if (elements.size() == kSlackMaxActionElements) break;
    if (!button_url_ok(a.url) || !has_text(a.text)) continue;
    json button = {{"type", "button"},
                   {"text", plain_text(slack_escape_truncated(a.text, kSlackMaxButtonText))},
                   {"action_id", "user_action_" + std::to_string(i)},
                   {"url", a.url}};
    if (a.style == "primary" || a.style == "danger") button["style"] = a.style;
    elements.push_back(std::move(button));
  }
  return elements;
}

// The config's `fields`: "*title*\nvalue" (the user's mrkdwn), ten at most.
json user_fields(const std::vector<config::SlackField>& configured) {
  std::vector<std::string> out;
  for (const config::SlackField& f : configured) {
    if (!has_text(f.title) && !has_text(f.value)) continue;
    std::string text = has_text(f.title) ? "*" + slack_escape(f.title) + "*\n" + f.value : f.value;
    out.push_back(slack_truncate(text, kSlackMaxFieldText));
  }
  if (out.size() > kSlackMaxFields) {
    const size_t more = out.size() - (kSlackMaxFields - 1);
    out.resize(kSlackMaxFields - 1);
    out.push_back("_+" + std::to_string(more) + " more_");
  }
  json array = json::array();
  for (std::string& f : out)
    array.push_back(mrkdwn(std::move(f)));
  return array;
}

json context(const std::string& text) {
  return {{"type", "context"},
          {"elements", json::array({mrkdwn(slack_truncate(text, kSlackMaxSectionText))})}};
}

}  // namespace

std::string slack_escape(std::string_view text) {
  return escape_chars(text, {{'&', "&amp;"}, {'<', "&lt;"}, {'>', "&gt;"}});
}

size_t slack_length(std::string_view text) {
  size_t len = 0;
  for (size_t i = 0; i < text.size();) {
    size_t units = 0;
    i += next_char(text, i, units);
    len += units;
  }
  return len;
}

std::string slack_truncate(std::string_view text, size_t max) {
  return fit(text, max, false);
}

std::string slack_escape_truncated(std::string_view raw, size_t max) {
  return fit(raw, max, true);
}

std::string slack_color(const Message& m) {
  if (m.resolved) return "#2EB67D";
  bool warning = false;
  for (const AlertLine& a : m.firing) {
    if (a.labels.get("severity") == "critical") return "#E01E5A";
    warning = warning || a.labels.get("severity") == "warning";
  }
  return warning ? "#ECB22E" : "#439FE0";
}

json render_slack_message(const Message& m, const SlackRenderOptions& options) {
  json blocks = json::array();
  const std::string& headline = has_text(options.title) ? options.title
                                : m.headline.empty()    ? m.status
                                                        : m.headline;
  blocks.push_back({{"type", "header"},
                    {"text", plain_text(slack_escape_truncated(headline, kSlackMaxHeaderText))}});
  if (has_text(options.pretext)) blocks.push_back(context(options.pretext));
  json summary = {{"type", "section"}};
  // Slack refuses an empty text object, and may trim one of only whitespace to empty.
  if (has_text(options.text)) {
    summary["text"] = mrkdwn(slack_truncate(options.text, kSlackMaxSectionText));
  } else if (has_text(m.summary)) {
    summary["text"] = mrkdwn("*" + slack_escape_truncated(m.summary, kSummaryMax) + "*");
  }
  summary["fields"] = fields(m);
  blocks.push_back(std::move(summary));
  if (m.firing.size() + m.resolved_alerts.size() > 1)
    blocks.push_back({{"type", "section"}, {"text", mrkdwn(alert_list(m))}});
  if (json user = user_fields(options.fields); !user.empty())
    blocks.push_back({{"type", "section"}, {"fields", std::move(user)}});
  if (json elements = actions(m, options); !elements.empty())
    blocks.push_back({{"type", "actions"}, {"block_id", "alert_actions"}, {"elements", elements}});
  if (has_text(options.footer)) blocks.push_back(context(options.footer));
  json body;
  body["text"] = has_text(options.fallback) ? slack_truncate(options.fallback, kFallbackMax)
                                            : slack_escape_truncated(m.subject, kFallbackMax);
  body["blocks"] = std::move(blocks);
  const std::string color = options.color.empty() ? slack_color(m) : options.color;
  body["attachments"] = json::array({{{"color", color}, {"blocks", json::array()}}});
  return body;
}

std::string slack_reply_text(const Message& m) {
  if (!m.resolved) return counts(m);
  const std::optional<WallTime> end = resolved_at(m);
  if (!end || *end < m.since) return "resolved";
  return "resolved after " +
         slack_duration(std::chrono::duration_cast<std::chrono::seconds>(*end - m.since));
}

std::string slack_duration(std::chrono::seconds d) {
  const int64_t s = std::max<int64_t>(d.count(), 0);
  auto two = [](int64_t big, const char* u1, int64_t small, const char* u2) {
    std::string out = std::to_string(big) + u1;
    if (small != 0) out += " " + std::to_string(small) + u2;
    return out;
  };
  if (s < 60) return std::to_string(s) + "s";
  if (s < 3600) return std::to_string(s / 60) + "m";
  if (s < 86400) return two(s / 3600, "h", s % 3600 / 60, "m");
  return two(s / 86400, "d", s % 86400 / 3600, "h");
}

std::string slack_date(WallTime t) {
  using namespace std::chrono;
  const auto secs = floor<seconds>(t);
  const auto day = floor<days>(secs);
  const year_month_day ymd(day);
  const hh_mm_ss hms(secs - day);
  char fallback[64];
  std::snprintf(fallback, sizeof fallback, "%04d-%02u-%02u %02d:%02d UTC", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                int(hms.minutes().count()));
  return "<!date^" + std::to_string(secs.time_since_epoch().count()) +
         "^{date_short_pretty} {time}|" + fallback + ">";
}

std::string slack_dump(const json& body) {
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace herald::notifiers
