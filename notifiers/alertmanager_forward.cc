// Forwarding to external Alertmanagers: the v2 body, the POSTs and the resend schedule.
#include "notifiers/alertmanager_forward.h"

#include "model/go_json.h"
#include "model/version.h"
#include "notifiers/http_auth.h"
#include "notifiers/http_outcome.h"
#include "notifiers/webhook.h"

namespace herald::notifiers {
namespace {

void append_alert(std::string& out, const Alert& a, WallTime ends_at) {
  out += R"({"labels":)";
  append_go_json_object(out, a.labels);
  out += R"(,"annotations":)";
  append_go_json_object(out, a.annotations);
  out += R"(,"startsAt":")" + go_json_time(a.starts_at);
  out += R"(","endsAt":")" + go_json_time(ends_at) + R"(")";
  if (!a.generator_url.empty()) {
    out += R"(,"generatorURL":)";
    append_go_json_string(out, a.generator_url);
  }
  out += "}";
}

std::string alerts_url(std::string base) {
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  return base + "/api/v2/alerts";
}

}  // namespace

std::string render_postable_alerts(const std::vector<Alert>& firing,
                                   const std::vector<Alert>& resolved, WallTime valid_until) {
  std::string out = "[";
  for (const Alert& a : firing) {
    if (out.size() > 1) out += ",";
    append_alert(out, a, valid_until);
  }
  for (const Alert& a : resolved) {
    if (out.size() > 1) out += ",";
    append_alert(out, a, a.ends_at);
  }
  return out + "]";
}

AlertmanagerForwarder::AlertmanagerForwarder(config::AlertmanagerForwardConfig config,
                                             FiringAlerts firing, HttpClient& http)
    : config_(std::move(config)), firing_(std::move(firing)), http_(http) {}

DeliveryResult AlertmanagerForwarder::post(const std::string& body, WallTime now) {
  DeliveryResult worst;
  for (const std::string& base : config_.urls) {
    const std::string url = alerts_url(base);
    std::vector<std::string> secrets = url_secrets(url);
    HttpRequest request{
        .method = "POST",
        .url = url,
        .headers = {{"Content-Type", "application/json"}, {"User-Agent", user_agent()}},
        .body = body,
        .timeout = std::chrono::duration_cast<std::chrono::milliseconds>(config_.timeout),
    };
    DeliveryResult r;
    if (auto auth = add_authorization(config_.http_config, request.headers, secrets); !auth) {
      r = {DeliveryOutcome::kRetry, std::nullopt, "alertmanager: " + auth.error().message, ""};
    } else {
      r = classify_http("alertmanager", http_.send(request), now, secrets);
    }
    // Permanent beats retry beats delivered: the outbox then reports the worst answer.
    if (r.outcome == DeliveryOutcome::kPermanent ||
        (r.outcome == DeliveryOutcome::kRetry && worst.outcome == DeliveryOutcome::kDelivered)) {
      worst = std::move(r);
    }
  }
  return worst;
}

DeliveryResult AlertmanagerForwarder::notify(const Notification& n, WallTime now) {
  const WallTime valid_until = now + 4 * config_.resend_interval;
  return post(render_postable_alerts(n.firing, n.resolved, valid_until), now);
}

std::optional<WallTime> AlertmanagerForwarder::tick(WallTime now) {
  {
    std::lock_guard lock(mu_);
    if (!next_resend_) next_resend_ = now + config_.resend_interval;  // notify() sent them
    if (now < *next_resend_) return next_resend_;
    next_resend_ = now + config_.resend_interval;
  }
  const std::vector<Alert> firing = firing_ ? firing_(now) : std::vector<Alert>{};
  DeliveryResult r;
  // A failed resend is not retried on its own: the next one comes well before EndsAt passes.
  if (!firing.empty())
    r = post(render_postable_alerts(firing, {}, now + 4 * config_.resend_interval), now);
  std::lock_guard lock(mu_);
  last_resend_ = std::move(r);
  return next_resend_;
}

DeliveryResult AlertmanagerForwarder::last_resend() const {
  std::lock_guard lock(mu_);
  return last_resend_;
}

}  // namespace herald::notifiers
