// SmtpClient: the one seam to outbound mail (docs/architecture.md "Seams"). The
// email notifier renders the whole RFC 5322 message and hands it over with its envelope; net/
// implements the transport with libcurl and tests inject fakes. Plain types, no I/O here.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "model/error.h"
#include "model/tls_options.h"

namespace herald {

struct MailEnvelope {
  std::string host;  // the smarthost, without brackets for IPv6
  std::string port;
  bool implicit_tls = false;        // TLS from the first byte (smtps, port 465)
  bool require_starttls = true;     // without implicit_tls: fail unless the server offers STARTTLS
  std::string hello = "localhost";  // the EHLO domain
  std::string username{};           // empty: no AUTH
  std::string password{};           // SECRET: never log it or put it in an error
  std::string identity{};           // SASL authorisation identity (PLAIN), usually empty
  std::string auth_mechanism{};     // "" any the server offers; "CRAM-MD5" to insist on it
  std::string from{};               // MAIL FROM address (addr-spec, no display name)
  std::vector<std::string> to{};    // RCPT TO addresses (addr-specs)
  std::string message{};            // the full RFC 5322 message, CRLF line ends, unstuffed dots
  std::chrono::milliseconds timeout{30000};  // the whole session, connect included
  TlsOptions tls{};
};

class SmtpClient {
 public:
  virtual ~SmtpClient() = default;
  // Delivers `mail` in one SMTP session. Errors: kUnavailable when retrying may succeed (a 4xx
  // reply, refused connection, timeout, TLS failure); kRejected when it will not (a 5xx reply,
  // authentication refused, STARTTLS required but not offered). The message names the smarthost
  // and the server's reply, never the password. Thread-safe.
  [[nodiscard]] virtual Status send(const MailEnvelope& mail) = 0;
};

}  // namespace herald
