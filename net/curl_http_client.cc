// CurlHttpClient: one libcurl easy transfer per send(), on a pooled handle so that its connection
// cache (keep-alive) survives between requests.
#include "net/curl_http_client.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <optional>

#include "model/trim.h"
#include "net/curl_handles.h"

namespace herald::net {
namespace {

// Per-transfer state the libcurl callbacks write into.
struct Transfer {
  HttpResponse response;
  size_t max_body_bytes = 0;
  bool body_too_large = false;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (t->response.body.size() + n > t->max_body_bytes) {
    t->body_too_large = true;
    return 0;  // makes libcurl abort with CURLE_WRITE_ERROR
  }
  t->response.body.append(data, n);
  return n;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    // A new status line (after a 100 Continue or a proxy's CONNECT): keep only the final headers.
    t->response.headers.clear();
  } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
    t->response.headers.emplace_back(std::string(trim(line.substr(0, colon))),
                                     std::string(trim(line.substr(colon + 1))));
  }
  return size * count;
}

Slist build_headers(const HttpRequest& request) {
  curl_slist* list = nullptr;
  for (const auto& [name, value] : request.headers) {
    // "Name;" is libcurl's spelling of a header with an empty value ("Name:" would remove it).
    const std::string line = value.empty() ? name + ";" : name + ": " + value;
    list = curl_slist_append(list, line.c_str());
  }
  // Without this libcurl waits up to 1s for "100 Continue" before sending bodies over 1 KiB.
  list = curl_slist_append(list, "Expect:");
  return Slist(list);
}

void set_method(CURL* curl, const HttpRequest& request) {
  if (request.method == "GET" && request.body.empty()) {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    return;
  }
  if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    return;
  }
  // POSTFIELDS points into `request`, which outlives the transfer.
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  if (request.method != "POST")
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
}

// TLS server_name: libcurl verifies (and sends as SNI) the URL's host, so the URL is rewritten to
// name `server_name` while CONNECT_TO keeps the TCP connection going to the original host, and
// the Host header keeps the original authority, as Go's tls.Config.ServerName does.
struct ServerNameOverride {
  std::string url;
  std::string host_header;
  Slist connect_to;
};

std::optional<ServerNameOverride> override_server_name(const std::string& url,
                                                       const std::string& server_name) {
  CURLU* u = curl_url();
  if (u == nullptr) return std::nullopt;
  std::optional<ServerNameOverride> out;
  char* host = nullptr;
  char* port = nullptr;
  char* rewritten = nullptr;
  if (curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK &&
      curl_url_set(u, CURLUPART_HOST, server_name.c_str(), 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_URL, &rewritten, 0) == CURLUE_OK) {
    out.emplace();
    out->url = rewritten;
    char* explicit_port = nullptr;
    const bool has_port = curl_url_get(u, CURLUPART_PORT, &explicit_port, 0) == CURLUE_OK;
    out->host_header = std::string("Host: ") + host + (has_port ? std::string(":") + port : "");
    curl_free(explicit_port);
    const std::string mapping = server_name + ":" + port + ":" + host + ":" + port;
    out->connect_to = Slist(curl_slist_append(nullptr, mapping.c_str()));
  }
  curl_free(host);
  curl_free(port);
  curl_free(rewritten);
  curl_url_cleanup(u);
  return out;
}

void set_transfer_options(CURL* curl, const HttpRequest& request, const CurlOptions& options,
                          Transfer& t, char* detail) {
  const long timeout_ms = static_cast<long>(request.timeout.count());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // signals are process-wide: unusable with threads
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   std::min(timeout_ms, static_cast<long>(options.connect_timeout.count())));
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // gzip: query results compress ~10x
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, detail);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
  set_method(curl, request);
  set_tls(curl, options.tls);
  if (!options.proxy_url.empty()) curl_easy_setopt(curl, CURLOPT_PROXY, options.proxy_url.c_str());
}

std::string describe_failure(const HttpRequest& request, CURLcode code, const char* detail,
                             const Transfer& t, size_t cap) {
  std::string what = t.body_too_large    ? "response body exceeds " + std::to_string(cap) + " bytes"
                     : detail[0] != '\0' ? std::string(detail)
                                         : std::string(curl_easy_strerror(code));
  return request.method + " " + redact_url(request.url) + ": " + what;
}

}  // namespace

std::string redact_url(std::string_view url) {
  url = url.substr(0, std::min(url.find('?'), url.find('#')));
  const size_t scheme = url.find("://");
  const size_t authority = scheme == std::string_view::npos ? 0 : scheme + 3;
  const size_t authority_end = std::min(url.find('/', authority), url.size());
  const size_t at = url.substr(0, authority_end).rfind('@');
  if (at == std::string_view::npos || at < authority) return std::string(url);
  return std::string(url.substr(0, authority)) + std::string(url.substr(at + 1));
}

CurlHttpClient::CurlHttpClient(TlsOptions tls)
    : CurlHttpClient(CurlOptions{.tls = std::move(tls)}) {}

CurlHttpClient::CurlHttpClient(CurlOptions options) : options_(std::move(options)) {
  init_curl();
}

CurlHttpClient::~CurlHttpClient() {
  for (void* h : idle_)
    curl_easy_cleanup(static_cast<CURL*>(h));
}

void* CurlHttpClient::acquire() {
  CURL* curl = nullptr;
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      curl = static_cast<CURL*>(idle_.back());
      idle_.pop_back();
    }
  }
  if (curl == nullptr) return curl_easy_init();
  curl_easy_reset(curl);  // clears options; keeps live connections, DNS and TLS session caches
  return curl;
}

void CurlHttpClient::release(void* handle) {
  {
    std::lock_guard lock(mu_);
    if (idle_.size() < options_.max_idle_handles) {
      idle_.push_back(handle);
      return;
    }
  }
  curl_easy_cleanup(static_cast<CURL*>(handle));
}

Result<HttpResponse> CurlHttpClient::send(const HttpRequest& request) {
  CURL* curl = static_cast<CURL*>(acquire());
  if (curl == nullptr)
    return unavailable(request.method + " " + redact_url(request.url) + ": curl init failed");
  Transfer t;
  t.max_body_bytes = options_.max_body_bytes;
  char detail[CURL_ERROR_SIZE] = {};
  Slist headers = build_headers(request);
  std::optional<ServerNameOverride> sni;
  if (!options_.tls.server_name.empty())
    sni = override_server_name(request.url, options_.tls.server_name);
  if (sni) {
    curl_easy_setopt(curl, CURLOPT_URL, sni->url.c_str());
    curl_easy_setopt(curl, CURLOPT_CONNECT_TO, sni->connect_to.get());
    headers = Slist(curl_slist_append(headers.release(), sni->host_header.c_str()));
  } else {
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  }
  set_transfer_options(curl, request, options_, t, detail);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());

  const CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_off_t elapsed_us = 0;
  if (code == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(curl, CURLINFO_TOTAL_TIME_T, &elapsed_us);
  }
  // The handle must not keep pointers into this frame (error buffer, slists) once released.
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(curl, CURLOPT_CONNECT_TO, nullptr);
  release(curl);
  if (code != CURLE_OK)
    return unavailable(describe_failure(request, code, detail, t, options_.max_body_bytes));
  t.response.status = static_cast<int>(status);
  t.response.elapsed = std::chrono::microseconds(elapsed_us);
  return std::move(t.response);
}

}  // namespace herald::net
