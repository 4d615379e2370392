// CurlSmtpClient: smtp:// with STARTTLS required (CURLUSESSL_ALL) or not attempted, or smtps://
// for implicit TLS; the message is uploaded as rendered (libcurl only dot-stuffs it). Errors carry
// the server's last reply line, with every form of the password redacted.
#include "net/curl_smtp_client.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <string_view>

#include "model/base64.h"
#include "model/error_text.h"
#include "net/curl_handles.h"

namespace herald::net {
namespace {

// Per-session state the libcurl callbacks read and write.
struct Session {
  std::string_view message;
  size_t sent = 0;
  std::string last_reply;  // the server's last reply line, e.g. "550 5.1.1 no such user"
};

size_t on_read(char* buffer, size_t size, size_t count, void* user) {
  auto* s = static_cast<Session*>(user);
  const size_t n = std::min(size * count, s->message.size() - s->sent);
  std::copy_n(s->message.data() + s->sent, n, buffer);
  s->sent += n;
  return n;
}

// Only the server's replies are kept: the client's own lines (CURLINFO_HEADER_OUT) carry the
// AUTH exchange.
int on_debug(CURL*, curl_infotype type, char* data, size_t size, void* user) {
  if (type != CURLINFO_HEADER_IN) return 0;
  std::string_view line(data, size);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n'))
    line.remove_suffix(1);
  if (!line.empty()) static_cast<Session*>(user)->last_reply = std::string(line);
  return 0;
}

std::string bracketed(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

std::string smarthost(const MailEnvelope& m) {
  return bracketed(m.host) + ":" + m.port;
}

// What the password may look like on the wire or in a server's echo of it: itself, and the
// base64 of LOGIN's and PLAIN's payloads.
std::vector<std::string> password_forms(const MailEnvelope& m) {
  if (m.password.empty()) return {};
  return {m.password, base64_encode(m.password),
          base64_encode(m.identity + '\0' + m.username + '\0' + m.password)};
}

bool has_line_break(std::string_view s) {
  return s.find_first_of("\r\n") != std::string_view::npos;
}

// The URL names the host TLS verifies: server_name when set, with CONNECT_TO keeping the TCP
// connection on the smarthost (as Go's tls.Config.ServerName). Its path is the EHLO domain.
std::string session_url(CURL* curl, const MailEnvelope& m) {
  const bool tls = m.implicit_tls || m.require_starttls;
  const std::string& name = tls && !m.tls.server_name.empty() ? m.tls.server_name : m.host;
  std::string hello;
  if (char* escaped = curl_easy_escape(curl, m.hello.data(), static_cast<int>(m.hello.size()))) {
    hello = escaped;
    curl_free(escaped);
  }
  return std::string(m.implicit_tls ? "smtps://" : "smtp://") + bracketed(name) + ":" + m.port +
         "/" + hello;
}

void set_session_options(CURL* curl, const MailEnvelope& m, Session& s, char* detail) {
  const long timeout_ms = static_cast<long>(m.timeout.count());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // signals are process-wide: unusable with threads
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, std::min(timeout_ms, 10000L));
  // Each reply's wait; CURLOPT_TIMEOUT_MS bounds the session but not the QUIT at cleanup.
  curl_easy_setopt(curl, CURLOPT_SERVER_RESPONSE_TIMEOUT, std::max(1L, (timeout_ms + 999) / 1000));
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, detail);
  curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);  // feeds on_debug only: nothing reaches stderr
  curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, on_debug);
  curl_easy_setopt(curl, CURLOPT_DEBUGDATA, &s);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, on_read);
  curl_easy_setopt(curl, CURLOPT_READDATA, &s);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(m.message.size()));
  if (!m.implicit_tls)
    curl_easy_setopt(curl, CURLOPT_USE_SSL,
                     m.require_starttls ? static_cast<long>(CURLUSESSL_ALL)
                                        : static_cast<long>(CURLUSESSL_NONE));
  set_tls(curl, m.tls);
  if (!m.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, m.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, m.password.c_str());
    if (!m.identity.empty()) curl_easy_setopt(curl, CURLOPT_SASL_AUTHZID, m.identity.c_str());
    if (!m.auth_mechanism.empty()) {
      const std::string options = "AUTH=" + m.auth_mechanism;
      curl_easy_setopt(curl, CURLOPT_LOGIN_OPTIONS, options.c_str());  // libcurl copies strings
    }
  }
}

std::string describe_failure(CURLcode code, long reply, const char* detail, const Session& s) {
  if (code == CURLE_USE_SSL_FAILED && reply < 400)
    return "server does not offer STARTTLS (require_tls is true)";
  std::string what = detail[0] != '\0' ? std::string(detail) : curl_easy_strerror(code);
  if (reply >= 400 && !s.last_reply.empty()) what += " (server replied \"" + s.last_reply + "\")";
  return what;
}

}  // namespace

ErrorCode smtp_failure_code(int curl_code, long reply_code) {
  if (reply_code >= 400 && reply_code < 500) return ErrorCode::kUnavailable;
  if (reply_code >= 500 && reply_code < 600) return ErrorCode::kRejected;
  if (curl_code == CURLE_LOGIN_DENIED || curl_code == CURLE_USE_SSL_FAILED)
    return ErrorCode::kRejected;
  return ErrorCode::kUnavailable;
}

CurlSmtpClient::CurlSmtpClient() {
  init_curl();
}

Status CurlSmtpClient::send(const MailEnvelope& m) {
  const std::string where = "smtp " + smarthost(m) + ": ";
  // Addresses go into SMTP commands verbatim: a line break would inject a command.
  if (has_line_break(m.from) || std::any_of(m.to.begin(), m.to.end(), has_line_break))
    return make_error(ErrorCode::kRejected, where + "an address contains a line break");
  if (m.to.empty()) return make_error(ErrorCode::kRejected, where + "no recipients");
  EasyHandle curl(curl_easy_init());
  if (!curl) return unavailable(where + "curl init failed");
  Session s{.message = m.message, .sent = 0, .last_reply = ""};
  char detail[CURL_ERROR_SIZE] = {};
  Slist rcpt;
  for (const std::string& to : m.to)
    rcpt = Slist(curl_slist_append(rcpt.release(), to.c_str()));
  Slist connect_to;
  const std::string url = session_url(curl.get(), m);
  if ((m.implicit_tls || m.require_starttls) && !m.tls.server_name.empty()) {
    const std::string mapping =
        bracketed(m.tls.server_name) + ":" + m.port + ":" + bracketed(m.host) + ":" + m.port;
    connect_to = Slist(curl_slist_append(nullptr, mapping.c_str()));
    curl_easy_setopt(curl.get(), CURLOPT_CONNECT_TO, connect_to.get());
  }
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_MAIL_FROM, m.from.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_MAIL_RCPT, rcpt.get());
  set_session_options(curl.get(), m, s, detail);

  const CURLcode code = curl_easy_perform(curl.get());
  long reply = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &reply);
  // QUIT is sent by the cleanup: it gets a short wait of its own and must not call back into
  // this frame.
  curl_easy_setopt(curl.get(), CURLOPT_SERVER_RESPONSE_TIMEOUT, 2L);
  curl_easy_setopt(curl.get(), CURLOPT_DEBUGFUNCTION, nullptr);
  curl_easy_setopt(curl.get(), CURLOPT_VERBOSE, 0L);
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, nullptr);
  curl.reset();
  if (code == CURLE_OK) return {};
  const std::vector<std::string> secrets = password_forms(m);
  const std::string what =
      error_excerpt(redact(describe_failure(code, reply, detail, s), secrets), 400);
  return make_error(smtp_failure_code(code, reply), where + what);
}

}  // namespace herald::net
