// CurlSmtpClient: the libcurl implementation of SmtpClient. One SMTP session per send() on a
// fresh easy handle (alert mail is a few messages a minute: a connection pool would buy nothing
// and would keep authenticated sessions open). Thread-safe: send() shares no state.
#pragma once

#include "model/error.h"
#include "model/smtp_client.h"

namespace herald::net {

class CurlSmtpClient final : public SmtpClient {
 public:
  CurlSmtpClient();

  [[nodiscard]] Status send(const MailEnvelope& mail) override;
};

// Classifies a finished SMTP session (docs/architecture.md "Notifier anatomy";
// docs/compatibility.md "Email"): a 4xx reply → kUnavailable, a 5xx reply → kRejected, whatever
// libcurl says; else refused authentication (CURLE_LOGIN_DENIED) or a missing STARTTLS
// (CURLE_USE_SSL_FAILED) → kRejected, and anything else (refused, timeout, TLS handshake, dropped
// connection) → kUnavailable. `reply_code` is the last SMTP reply code libcurl saw (0 for none).
// Pure.
[[nodiscard]] ErrorCode smtp_failure_code(int curl_code, long reply_code);

}  // namespace herald::net
