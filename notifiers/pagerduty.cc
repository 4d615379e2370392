// PagerDuty Events v2: rendering the event from a Message, sending it, classifying the answer.
#include "notifiers/pagerduty.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <type_traits>
#include <utility>
#include <vector>

#include "model/go_json.h"
#include "model/time_format.h"
#include "model/version.h"
#include "notifiers/http_auth.h"
#include "notifiers/http_outcome.h"
#include "notifiers/sha256.h"

namespace herald::notifiers {
namespace {

DeliveryResult failed(DeliveryOutcome outcome, std::string error) {
  return {.outcome = outcome, .retry_after = std::nullopt, .error = std::move(error), .data = ""};
}

// A config field that says something: the config given here is already expanded
// (expand_pagerduty), and an empty value — unset, or a template that failed — means herald's own.
bool literal(const std::string& value) {
  return !value.empty();
}

bool absolute_url(std::string_view url) {
  return url.starts_with("https://") || url.starts_with("http://");
}

// Appends a JSON object's members, Go-escaped, with the commas in between.
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string& out) : out_(out) { out_ += '{'; }
  void string(std::string_view key, std::string_view value) {
    this->key(key);
    append_go_json_string(out_, value);
  }
  void number(std::string_view key, size_t value) {
    this->key(key);
    out_ += std::to_string(value);
  }
  void raw(std::string_view key, std::string_view json) {
    this->key(key);
    out_ += json;
  }
  void close() { out_ += '}'; }

 private:
  void key(std::string_view k) {
    if (!first_) out_ += ',';
    first_ = false;
    append_go_json_string(out_, k);
    out_ += ':';
  }
  std::string& out_;
  bool first_ = true;
};

// At most `max` characters of `s` (an invalid byte counts as one, as it becomes one U+FFFD),
// ending in "…" when cut.
std::string truncate_chars(std::string_view s, size_t max) {
  std::vector<size_t> starts;  // byte offset of each character
  for (size_t i = 0; i < s.size() && starts.size() <= max;) {
    starts.push_back(i);
    char32_t rune = 0;
    const size_t n = static_cast<unsigned char>(s[i]) < 0x80 ? 1 : utf8_sequence(s.substr(i), rune);
    i += n == 0 ? 1 : n;
  }
  if (starts.size() <= max) return std::string(s);
  return std::string(s.substr(0, starts[max - 1])) + "…";
}

std::string source_of(const config::PagerdutyConfig& cfg, const Message& m) {
  if (literal(cfg.source)) return cfg.source;
  for (const char* name : {"instance", "model", "job"})
    if (m.common_labels.has(name)) return std::string(m.common_labels.get(name));
  return "herald";
}

std::string severity_of(const config::PagerdutyConfig& cfg, const Message& m) {
  if (literal(cfg.severity)) return cfg.severity;
  auto it = cfg.severity_map.find(m.severity);
  return it == cfg.severity_map.end() || m.severity.empty() ? "error" : it->second;
}

// One line per alert: its labels, then its summary.
std::string alert_lines(const std::vector<AlertLine>& alerts) {
  std::string out;
  for (const AlertLine& a : alerts) {
    if (!out.empty()) out += '\n';
    out += a.labels.to_string();
    if (!a.summary.empty()) out += ": " + a.summary;
  }
  return out;
}

// herald's details, each overridden by a literal `details` entry of the same key, then the other
// literal entries. Alertmanager's default details are templates, so they are not repeated here.
std::string custom_details(const config::PagerdutyConfig& cfg, const Message& m) {
  std::string out;
  ObjectWriter w(out);
  auto builtin = [&](const char* key, auto value) {
    auto it = cfg.details.find(key);
    if (it != cfg.details.end() && literal(it->second)) return w.string(key, it->second);
    if constexpr (std::is_same_v<decltype(value), size_t>) {
      w.number(key, value);
    } else {
      w.string(key, value);
    }
  };
  builtin("firing", alert_lines(m.firing));
  builtin("resolved", alert_lines(m.resolved_alerts));
  builtin("num_firing", m.firing.size());
  builtin("num_resolved", m.resolved_alerts.size());
  for (const auto& [key, value] : cfg.details) {
    const bool own =
        key == "firing" || key == "resolved" || key == "num_firing" || key == "num_resolved";
    if (!own && literal(value)) w.string(key, value);
  }
  w.close();
  return out;
}

std::string render_payload(const config::PagerdutyConfig& cfg, const Message& m,
                           bool with_details) {
  std::string out;
  ObjectWriter w(out);
  w.string("summary", truncate_chars(literal(cfg.description) ? cfg.description : m.subject,
                                     kPagerdutySummaryMax));
  w.string("source", source_of(cfg, m));
  w.string("severity", severity_of(cfg, m));
  w.string("timestamp", format_rfc3339(m.since, Rfc3339Fraction::kMillis));
  if (literal(cfg.component)) w.string("component", cfg.component);
  if (literal(cfg.group)) w.string("group", cfg.group);
  if (literal(cfg.class_)) {
    w.string("class", cfg.class_);
  } else if (!m.alertname.empty()) {
    w.string("class", m.alertname);
  }
  if (with_details) w.raw("custom_details", custom_details(cfg, m));
  w.close();
  return out;
}

// The group's dashboard, its `also` links, the runbook and herald's alert page, then the config's
// literal links; relative URLs (herald without an external_url) are of no use in PagerDuty.
std::string render_links(const config::PagerdutyConfig& cfg, const Message& m) {
  std::vector<std::pair<std::string, std::string>> links;  // href, text
  if (m.links.dashboard) links.emplace_back(m.links.dashboard->url, "Dashboard");
  for (const links::Link& l : m.links.also)
    links.emplace_back(l.url, l.title);
  if (m.links.runbook) links.emplace_back(m.links.runbook->url, "Runbook");
  links.emplace_back(m.links.alerts.url, "Alerts in herald");
  for (const config::PagerdutyLink& l : cfg.links)
    if (literal(l.href)) links.emplace_back(l.href, literal(l.text) ? l.text : l.href);
  std::string out = "[";
  for (const auto& [href, text] : links) {
    if (!absolute_url(href)) continue;
    if (out.size() > 1) out += ',';
    ObjectWriter w(out);
    w.string("href", href);
    w.string("text", text);
    w.close();
  }
  return out + "]";
}

std::string render_images(const config::PagerdutyConfig& cfg) {
  std::string out = "[";
  for (const config::PagerdutyImage& image : cfg.images) {
    if (!literal(image.src)) continue;
    if (out.size() > 1) out += ',';
    ObjectWriter w(out);
    w.string("src", image.src);
    if (literal(image.href)) w.string("href", image.href);
    if (literal(image.alt)) w.string("alt", image.alt);
    w.close();
  }
  return out + "]";
}

std::string render_trigger(const config::PagerdutyConfig& cfg, const Message& m,
                           std::string_view routing_key, bool with_details) {
  std::string out;
  ObjectWriter w(out);
  w.string("routing_key", routing_key);
  w.string("event_action", "trigger");
  w.string("dedup_key", pagerduty_dedup_key(m.group_key));
  w.string("client", literal(cfg.client) ? cfg.client : "herald");
  const std::string client_url = literal(cfg.client_url) ? cfg.client_url : m.links.alerts.url;
  if (absolute_url(client_url)) w.string("client_url", client_url);
  w.raw("payload", render_payload(cfg, m, with_details));
  if (const std::string links = render_links(cfg, m); links != "[]") w.raw("links", links);
  if (const std::string images = render_images(cfg); images != "[]") w.raw("images", images);
  w.close();
  return out;
}

// The parts of `url` that may carry a credential: user info, query and fragment. (The path of
// PagerDuty's endpoint is public and stays readable in transport errors.)
std::vector<std::string> url_credentials(std::string_view url) {
  std::vector<std::string> out;
  const size_t scheme = url.find("://");
  const size_t authority = scheme == std::string_view::npos ? 0 : scheme + 3;
  const size_t path = std::min(url.find_first_of("/?#", authority), url.size());
  if (const size_t at = url.substr(authority, path - authority).rfind('@');
      at != std::string_view::npos)
    out.emplace_back(url.substr(authority, at));
  if (const size_t query = url.find_first_of("?#", path);
      query != std::string_view::npos && query + 1 < url.size())
    out.emplace_back(url.substr(query + 1));
  return out;
}

// A 400's reason: the body's `errors`, else its `message`, else the body itself.
std::string invalid_event_reason(const std::string& body) {
  const auto j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return body;
  std::string reason;
  if (auto it = j.find("errors"); it != j.end() && it->is_array()) {
    for (const auto& e : *it) {
      if (!e.is_string()) continue;
      if (!reason.empty()) reason += "; ";
      reason += e.get<std::string>();
    }
  }
  if (auto it = j.find("message"); reason.empty() && it != j.end() && it->is_string())
    reason = it->get<std::string>();
  return reason;
}

}  // namespace

std::string pagerduty_dedup_key(std::string_view group_key) {
  return sha256_hex(group_key);
}

std::string render_pagerduty_update(std::string_view routing_key, std::string_view dedup_key,
                                    std::string_view event_action) {
  std::string out;
  ObjectWriter w(out);
  w.string("routing_key", routing_key);
  w.string("dedup_key", dedup_key);
  w.string("event_action", event_action);
  w.close();
  return out;
}

std::string render_pagerduty_event(const config::PagerdutyConfig& cfg, const Message& m,
                                   std::string_view routing_key) {
  if (m.resolved)
    return render_pagerduty_update(routing_key, pagerduty_dedup_key(m.group_key), "resolve");
  std::string event = render_trigger(cfg, m, routing_key, /*with_details=*/true);
  if (event.size() > kPagerdutyEventMax)
    event = render_trigger(cfg, m, routing_key, /*with_details=*/false);
  return event;
}

DeliveryResult classify_pagerduty(const Result<HttpResponse>& response, std::string_view dedup_key,
                                  WallTime now, std::span<const std::string> secrets) {
  if (response && response->status == 400) {
    const std::string reason =
        error_excerpt(redact(invalid_event_reason(response->body), secrets), 400);
    return failed(DeliveryOutcome::kPermanent, reason.empty() ? "pagerduty: http 400 Bad Request"
                                                              : "pagerduty: http 400: " + reason);
  }
  DeliveryResult result = classify_http("pagerduty", response, now, secrets);
  if (result.outcome == DeliveryOutcome::kDelivered) result.data = std::string(dedup_key);
  return result;
}

PagerdutyNotifier::PagerdutyNotifier(const config::PagerdutyConfig& cfg, std::string receiver,
                                     std::shared_ptr<const links::LinkSettings> links,
                                     HttpClient& http, Templating templating)
    : cfg_(cfg),
      receiver_(std::move(receiver)),
      links_(links ? std::move(links) : std::make_shared<const links::LinkSettings>()),
      http_(http),
      templating_(std::move(templating)) {}

DeliveryResult PagerdutyNotifier::notify(const Notification& notification, WallTime now) {
  const Message m = build_message(notification, *links_, now);
  FieldExpander fields(templating_, notification, receiver_, *links_, now);
  const config::PagerdutyConfig cfg = expand_pagerduty(cfg_, fields);
  DeliveryResult result = send(
      pagerduty_dedup_key(notification.group_key),
      [&](std::string_view routing_key) { return render_pagerduty_event(cfg, m, routing_key); },
      now);
  result.warnings = fields.warnings();
  return result;
}

DeliveryResult PagerdutyNotifier::acknowledge(std::string_view group_key, WallTime now) {
  const std::string dedup_key = pagerduty_dedup_key(group_key);
  return send(
      dedup_key,
      [&](std::string_view routing_key) {
        return render_pagerduty_update(routing_key, dedup_key, "acknowledge");
      },
      now);
}

DeliveryResult PagerdutyNotifier::send(
    const std::string& dedup_key,
    const std::function<std::string(std::string_view routing_key)>& render, WallTime now) {
  std::string routing_key = cfg_.routing_key.reveal();
  if (!cfg_.routing_key_file.empty()) {
    auto read = read_secret_file(cfg_.routing_key_file, "routing_key_file");
    // As Alertmanager, which does not retry a routing key file it cannot read.
    if (!read) return failed(DeliveryOutcome::kPermanent, "pagerduty: " + read.error().message);
    routing_key = std::move(*read);
  }
  if (routing_key.empty()) {
    const bool v1 = !cfg_.service_key.empty() || !cfg_.service_key_file.empty();
    return failed(DeliveryOutcome::kPermanent,
                  v1 ? "pagerduty: service_key (Events API v1) is not supported, use routing_key"
                     : "pagerduty: no routing_key");
  }
  if (cfg_.url.empty()) return failed(DeliveryOutcome::kPermanent, "pagerduty: no url");
  std::vector<std::string> secrets = url_credentials(cfg_.url);
  secrets.push_back(routing_key);
  HttpRequest request{
      .method = "POST",
      .url = cfg_.url,
      .headers = {{"Content-Type", "application/json"}, {"User-Agent", user_agent()}},
      .body = render(routing_key),
  };
  if (auto auth = add_authorization(cfg_.http_config, request.headers, secrets); !auth)
    return failed(DeliveryOutcome::kRetry, "pagerduty: " + auth.error().message);
  return classify_pagerduty(http_.send(request), dedup_key, now, secrets);
}

}  // namespace herald::notifiers
