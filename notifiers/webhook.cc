// Alertmanager's webhook payload (Go encoding/json field order of webhook.Message, whose embedded
// *template.Data fields come first) and its delivery.
#include "notifiers/webhook.h"

#include <algorithm>

#include "model/go_json.h"
#include "model/version.h"
#include "notifiers/http_auth.h"
#include "notifiers/http_outcome.h"
#include "notifiers/template_data.h"

namespace herald::notifiers {
namespace {

DeliveryResult failed(DeliveryOutcome outcome, std::string error) {
  return {.outcome = outcome, .retry_after = std::nullopt, .error = std::move(error), .data = ""};
}

void append_alert(std::string& out, const DataAlert& e) {
  const Alert& a = *e.alert;
  out += R"({"status":)";
  out += e.firing ? R"("firing")" : R"("resolved")";
  out += R"(,"labels":)";
  append_go_json_object(out, a.labels);
  out += R"(,"annotations":)";
  append_go_json_object(out, a.annotations);
  out += R"(,"startsAt":")" + go_json_time(a.starts_at);
  // Alertmanager zeroes a firing alert's EndsAt in the flush copy it notifies.
  out += R"(","endsAt":")" + go_json_time(e.firing ? WallTime{} : a.ends_at);
  out += R"(","generatorURL":)";
  append_go_json_string(out, a.generator_url);
  out += R"(,"fingerprint":")" + fingerprint_hex(a.labels.fingerprint()) + R"("})";
}

}  // namespace

std::string render_webhook(const Notification& notification, std::string_view receiver,
                           std::string_view external_url, uint64_t max_alerts) {
  const TemplateData d = template_data(notification, receiver, max_alerts);
  std::string out = R"({"receiver":)";
  append_go_json_string(out, d.receiver);
  out += R"(,"status":)";
  out += d.firing ? R"("firing")" : R"("resolved")";
  out += R"(,"alerts":[)";
  for (size_t i = 0; i < d.alerts.size(); ++i) {
    if (i != 0) out += ',';
    append_alert(out, d.alerts[i]);
  }
  out += R"(],"groupLabels":)";
  append_go_json_object(out, notification.group_labels);
  out += R"(,"commonLabels":)";
  append_go_json_object(out, d.common_labels);
  out += R"(,"commonAnnotations":)";
  append_go_json_object(out, d.common_annotations);
  out += R"(,"externalURL":)";
  append_go_json_string(out, external_url);
  out += R"(,"version":"4","groupKey":)";
  append_go_json_string(out, notification.group_key);
  out += R"(,"truncatedAlerts":)" + std::to_string(d.truncated) + "}\n";
  return out;
}

std::vector<std::string> url_secrets(std::string_view url) {
  std::vector<std::string> secrets{std::string(url)};
  const size_t scheme = url.find("://");
  const size_t authority = scheme == std::string_view::npos ? 0 : scheme + 3;
  const size_t path = std::min(url.find_first_of("/?#", authority), url.size());
  if (const size_t at = url.substr(authority, path - authority).rfind('@');
      at != std::string_view::npos)
    secrets.emplace_back(url.substr(authority, at));
  const std::string_view rest = url.substr(path);  // path, query and fragment
  if (rest.size() > 1) secrets.emplace_back(rest);
  const size_t query = rest.find_first_of("?#");
  const std::string_view path_only = rest.substr(0, query);
  if (path_only.size() > 1) secrets.emplace_back(path_only);
  if (query != std::string_view::npos && rest.size() > query + 1)
    secrets.emplace_back(rest.substr(query + 1));
  return secrets;
}

WebhookNotifier::WebhookNotifier(config::WebhookConfig config, std::string receiver,
                                 std::string external_url, HttpClient& http, WebhookOptions options)
    : config_(std::move(config)),
      receiver_(std::move(receiver)),
      external_url_(std::move(external_url)),
      http_(http),
      options_(options) {}

DeliveryResult WebhookNotifier::notify(const Notification& notification, WallTime now) {
  std::string url = config_.url.reveal();
  if (!config_.url_file.empty()) {
    auto read = read_secret_file(config_.url_file, "url_file");
    // Alertmanager does not retry a url_file it cannot read.
    if (!read) return failed(DeliveryOutcome::kPermanent, "webhook: " + read.error().message);
    url = std::move(*read);
  }
  if (url.empty()) return failed(DeliveryOutcome::kPermanent, "webhook: no url");
  std::vector<std::string> secrets = url_secrets(url);
  HttpRequest request{
      .method = "POST",
      .url = url,
      .headers = {{"Content-Type", "application/json"}, {"User-Agent", user_agent()}},
      .body = render_webhook(notification, receiver_, external_url_, config_.max_alerts),
      .timeout = options_.timeout,
  };
  if (auto auth = add_authorization(config_.http_config, request.headers, secrets); !auth) {
    // As in Alertmanager, where the credential file is read inside the HTTP round trip.
    return failed(DeliveryOutcome::kRetry, "webhook: " + auth.error().message);
  }
  return classify_http("webhook", http_.send(request), now, secrets);
}

}  // namespace herald::notifiers
