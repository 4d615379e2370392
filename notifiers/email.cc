// EmailNotifier: config → envelope and render parameters, thread ids from previous_data, and the
// SmtpClient's verdict mapped onto the outbox's outcomes.
#include "notifiers/email.h"

#include "notifiers/email_render.h"
#include "notifiers/email_thread.h"
#include "notifiers/http_auth.h"
#include "notifiers/http_outcome.h"

namespace herald::notifiers {
namespace {

DeliveryResult failed(DeliveryOutcome outcome, std::string error) {
  return {.outcome = outcome, .retry_after = std::nullopt, .error = std::move(error), .data = ""};
}

// The address list in `text` for the field `what`; an error text when it is not one.
Result<std::vector<MailAddress>> addresses(std::string_view what, const std::string& text) {
  auto list = parse_address_list(text);
  if (!list) return tl::unexpected(list.error().with_context(what));
  if (list->empty()) return invalid_input(std::string(what) + ": no address");
  return list;
}

// The configured `headers` (expanded; an empty value is left out), with Subject, To and From
// overriding what the email shows. The envelope keeps `to` and `from`.
void apply_headers(const std::map<std::string, std::string>& headers, EmailParams& p) {
  for (const auto& [name, value] : headers) {
    if (value.empty()) continue;
    if (name == "Subject") {
      p.subject = value;
    } else if (name == "To" || name == "From") {
      auto list = parse_address_list(value);
      if (list && !list->empty()) (name == "To" ? p.to : p.from) = std::move(*list);
    } else {
      p.headers.emplace_back(name, value);
    }
  }
}

std::vector<std::string> addr_specs(const std::vector<MailAddress>& list) {
  std::vector<std::string> out;
  for (const MailAddress& a : list)
    out.push_back(a.addr);
  return out;
}

// Everything of the envelope that comes from the config alone.
MailEnvelope envelope_of(const config::EmailConfig& c, std::chrono::milliseconds timeout) {
  return {
      .host = c.smarthost.host,
      .port = c.smarthost.port,
      .implicit_tls = c.smarthost.port == "465",  // as Alertmanager decides it
      .require_starttls = c.require_tls,
      .hello = c.hello,
      .username = c.auth_username,
      .password = c.auth_password.reveal(),
      .identity = c.auth_identity,
      .auth_mechanism = "",
      .from = "",
      .to = {},
      .message = "",
      .timeout = timeout,
      .tls = c.tls_config,
  };
}

// auth_password_file, read at every send so that a rotated file is picked up; auth_secret when
// there is no password, which Alertmanager uses for CRAM-MD5 only.
Status read_password(const config::EmailConfig& c, MailEnvelope& mail) {
  if (!c.auth_password_file.empty()) {
    auto read = read_secret_file(c.auth_password_file, "auth_password_file");
    if (!read) return tl::unexpected(read.error());
    mail.password = std::move(*read);
  }
  if (mail.password.empty() && !c.auth_secret.empty()) {
    mail.password = c.auth_secret.reveal();
    mail.auth_mechanism = "CRAM-MD5";
  }
  return {};
}

}  // namespace

EmailNotifier::EmailNotifier(config::EmailConfig config,
                             std::shared_ptr<const links::LinkSettings> links, SmtpClient& smtp,
                             EmailOptions options, Templating templating)
    : config_(std::move(config)),
      links_(std::move(links)),
      smtp_(smtp),
      options_(options),
      templating_(std::move(templating)) {}

DeliveryResult EmailNotifier::notify(const Notification& n, WallTime now) {
  if (n.firing.empty() &&
      n.resolved.empty())  // the router never sends one; build_message needs one
    return failed(DeliveryOutcome::kPermanent, "email: notification without alerts");
  FieldExpander fields(templating_, n, n.receiver, *links_, now);
  DeliveryResult result = send(n, fields, now);
  result.warnings = fields.warnings();
  return result;
}

DeliveryResult EmailNotifier::send(const Notification& n, FieldExpander& fields, WallTime now) {
  const std::optional<config::EmailConfig> cfg = expand_email(config_, fields);
  if (!cfg) return failed(DeliveryOutcome::kPermanent, "email: " + fields.warnings().back());
  auto to = addresses("to", cfg->to);
  if (!to) return failed(DeliveryOutcome::kPermanent, "email: " + to.error().message);
  auto from = addresses("from", cfg->from);
  if (!from) return failed(DeliveryOutcome::kPermanent, "email: " + from.error().message);

  MailEnvelope mail = envelope_of(*cfg, options_.timeout);
  mail.from = from->front().addr;
  mail.to = addr_specs(*to);
  // The file may be mid-rotation: try again later, as for an HTTP credentials file.
  if (Status read = read_password(*cfg, mail); !read)
    return failed(DeliveryOutcome::kRetry, "email: " + read.error().message);

  // The group's first email is the thread's root; later ones reply to it. previous_data is the
  // root id this notifier returned last time (checked, since it goes into a header).
  const bool first = !is_message_id(n.previous_data);
  const std::string root = first ? thread_root_id(n.group_key) : n.previous_data;
  const int64_t nanos =
      std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  EmailParams params{.from = std::move(*from),
                     .to = std::move(*to),
                     .subject = "",
                     .date = now,
                     .message_id = first ? root : reply_message_id(root, nanos, sequence_++),
                     .thread_root = first ? "" : root,
                     .headers = {},
                     .text = cfg->text,
                     .html = cfg->html};
  apply_headers(cfg->headers, params);
  mail.message = render_email(build_message(n, *links_, now), params);

  const Status sent = smtp_.send(mail);
  if (sent)
    return {.outcome = DeliveryOutcome::kDelivered, .retry_after = {}, .error = "", .data = root};
  const std::vector<std::string> secrets = {mail.password};
  return failed(sent.error().code == ErrorCode::kUnavailable ? DeliveryOutcome::kRetry
                                                             : DeliveryOutcome::kPermanent,
                "email: " + redact(sent.error().message, secrets));
}

}  // namespace herald::notifiers
