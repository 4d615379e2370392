// The email integration (Alertmanager's `email_configs`): one message per notification through an
// injected SmtpClient, threaded per aggregation group (email_thread.h), rendered by
// render_email. STARTTLS is required unless require_tls is false; port 465 means implicit TLS.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "config/receivers.h"
#include "links/alert_links.h"
#include "model/clock.h"
#include "model/notifier.h"
#include "model/smtp_client.h"
#include "notifiers/message_templates.h"

namespace herald::notifiers {

struct EmailOptions {
  std::chrono::milliseconds timeout{30000};  // the whole SMTP session
};

// Sends each notification as one email. The password (auth_password, or auth_password_file read
// at every send so a rotated file is picked up) goes only to the SmtpClient, never into an error.
// `to`, `from`, `headers`, `html` and `text` are templates, expanded per notification
// (notifiers/message_templates.h): `html` and `text` replace herald's parts, a Subject header its
// subject. Thread-safe: immutable state, an atomic sequence
// for Message-IDs, and the thread-safe SmtpClient, which must outlive it.
class EmailNotifier final : public Notifier {
 public:
  EmailNotifier(config::EmailConfig config, std::shared_ptr<const links::LinkSettings> links,
                SmtpClient& smtp, EmailOptions options = {}, Templating templating = {});

  [[nodiscard]] std::string_view integration() const override { return "email"; }
  [[nodiscard]] bool send_resolved() const override { return config_.send_resolved; }
  // Delivered → data is the group's thread root id, which the next notification's
  // previous_data carries so that it replies to it. `now` is the Date header and seeds the
  // Message-ID.
  [[nodiscard]] DeliveryResult notify(const Notification& notification, WallTime now) override;

 private:
  DeliveryResult send(const Notification& n, FieldExpander& fields, WallTime now);

  const config::EmailConfig config_;
  const std::shared_ptr<const links::LinkSettings> links_;
  SmtpClient& smtp_;
  const EmailOptions options_;
  const Templating templating_;
  std::atomic<uint64_t> sequence_{0};  // keeps Message-IDs unique within one nanosecond
};

}  // namespace herald::notifiers
