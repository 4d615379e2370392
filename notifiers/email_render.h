// Rendering a notification's Message as one email (docs/architecture.md "Notifier anatomy"): an RFC
// 5322 message with threading headers and a multipart/alternative body, plain text then HTML, both
// UTF-8 quoted-printable. Pure, and golden-tested byte for byte.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "model/clock.h"
#include "notifiers/email_mime.h"
#include "notifiers/message.h"

namespace herald::notifiers {

struct EmailParams {
  std::vector<MailAddress> from;
  std::vector<MailAddress> to;
  std::string subject;      // "" → the message's subject
  WallTime date{};          // the Date field
  std::string message_id;   // without angle brackets (email_thread.h)
  std::string thread_root;  // In-Reply-To and References; "" for a group's first email
  // More header fields, in order. Names that are not RFC 5322 field names, and the fields the
  // renderer writes itself (Date, Message-Id, MIME and threading fields), are dropped.
  std::vector<std::pair<std::string, std::string>> headers;
  // The receiver's expanded `text` and `html` templates: each replaces herald's part ("" keeps it).
  std::string text = {};
  std::string html = {};
};

// The whole message, CRLF line ends, no line over 78 characters.
[[nodiscard]] std::string render_email(const Message& m, const EmailParams& params);

// The two alternatives before transfer encoding ("\n" line ends): what a reader sees. Every value
// from the alerts is HTML-escaped in the HTML part, and only http(s) links become links.
[[nodiscard]] std::string render_email_text(const Message& m);
[[nodiscard]] std::string render_email_html(const Message& m);

}  // namespace herald::notifiers
