// `http_config` and `tls_config` (prometheus/common config.HTTPClientConfig, with its Validate
// checks), and the secret readers every integration uses.
#include <cctype>

#include "config/routing_sections.h"
#include "config/url.h"

namespace herald::config::detail {
namespace {

std::optional<BasicAuth> read_basic_auth(const Fields& http, const std::string& dir) {
  std::optional<YAML::Node> node = http.get("basic_auth");
  if (!node) return std::nullopt;
  Fields f(http.ctx(), *node, http.path().field("basic_auth"),
           {"username", "password", "password_file"});
  BasicAuth b;
  b.username = read_string(f, "username").value_or("");
  (void)read_secret_pair(f, "password", dir, b.password, b.password_file);
  return b;
}

// `authorization`, or bearer_token(_file) turned into one, as prometheus/common does.
void read_authorization(const Fields& http, const std::string& dir, HttpConfig& h) {
  Secret bearer;
  std::string bearer_file;
  bool has_bearer = read_secret_pair(http, "bearer_token", dir, bearer, bearer_file);
  ParseContext& ctx = http.ctx();
  if (has_bearer && h.basic_auth) {
    ctx.error(http.key_pos(bearer.empty() ? "bearer_token_file" : "bearer_token"), http.path(),
              "at most one of basic_auth, bearer_token and bearer_token_file may be set");
  }
  std::optional<YAML::Node> node = http.get("authorization");
  if (!node) {
    if (has_bearer) h.authorization_type = "Bearer";
    h.authorization_credentials = bearer;
    h.authorization_credentials_file = bearer_file;
    return;
  }
  Fields f(ctx, *node, http.path().field("authorization"),
           {"type", "credentials", "credentials_file"});
  if (has_bearer) {
    ctx.error(http.key_pos("authorization"), http.path(),
              "authorization is not compatible with bearer_token and bearer_token_file");
  }
  if (h.basic_auth) {
    ctx.error(http.key_pos("authorization"), http.path(),
              "at most one of basic_auth and authorization may be set");
  }
  (void)read_secret_pair(f, "credentials", dir, h.authorization_credentials,
                         h.authorization_credentials_file);
  std::string type = read_string(f, "type").value_or("");
  h.authorization_type = type.empty() ? "Bearer" : type;
  std::string lower = h.authorization_type;
  for (char& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "basic") {
    ctx.error(f.value_pos("type"), f.path().field("type"),
              "authorization type cannot be \"basic\": use basic_auth instead");
  }
}

}  // namespace

TlsConfig parse_tls(const Fields& parent, const std::string& dir) {
  Fields f(parent.ctx(), parent.get("tls_config").value_or(YAML::Node()),
           parent.path().field("tls_config"),
           {"ca_file", "cert_file", "key_file", "server_name", "insecure_skip_verify"});
  TlsConfig t;
  t.ca_file = read_path(f, "ca_file", dir);
  t.cert_file = read_path(f, "cert_file", dir);
  t.key_file = read_path(f, "key_file", dir);
  t.server_name = read_string(f, "server_name").value_or("");
  t.insecure_skip_verify = read_bool(f, "insecure_skip_verify").value_or(false);
  if (t.cert_file.empty() != t.key_file.empty()) {  // a client certificate needs both halves
    f.ctx().error(f.pos(), f.path(), "cert_file and key_file must be set together");
  }
  return t;
}

HttpConfig read_http_config(const Fields& parent, const std::string& dir,
                            const HttpConfig* fallback) {
  std::optional<YAML::Node> node = parent.get("http_config");
  if (!node && fallback != nullptr) return *fallback;
  Fields f(parent.ctx(), node.value_or(YAML::Node()), parent.path().field("http_config"),
           {"basic_auth", "authorization", "bearer_token", "bearer_token_file", "tls_config",
            "proxy_url", "follow_redirects"});
  HttpConfig h;
  h.basic_auth = read_basic_auth(f, dir);
  read_authorization(f, dir, h);
  h.tls_config = parse_tls(f, dir);
  h.proxy_url = read_url(f, "proxy_url");
  h.follow_redirects = read_bool(f, "follow_redirects").value_or(true);
  return h;
}

bool read_secret_pair(const Fields& f, std::string_view name, const std::string& dir, Secret& value,
                      std::string& file) {
  const std::string file_name = std::string(name) + "_file";
  value = Secret(read_string(f, name).value_or(""));
  file = read_path(f, file_name, dir);
  if (!value.empty() && !file.empty()) {
    f.ctx().error(f.key_pos(file_name), f.path(),
                  "at most one of " + std::string(name) + " and " + file_name + " may be set");
  }
  return !value.empty() || !file.empty();
}

Secret read_secret_url(const Fields& f, std::string_view name) {
  std::string url = read_string(f, name).value_or("");
  if (url.empty()) return Secret();
  if (Status ok = check_http_url(url); !ok) {
    // The message ends with the URL in quotes; this URL is a credential, so cut it off.
    std::string message = ok.error().message;
    message = message.substr(0, message.rfind(": \""));
    f.ctx().error(f.value_pos(name), f.path().field(name), message + " (the value is secret)");
  }
  return Secret(std::move(url));
}

void require_field(const Fields& f, std::initializer_list<std::string_view> names, bool present) {
  if (present) return;
  for (std::string_view name : names) {
    if (!f.get(name)) continue;
    const SourcePos at = f.value_pos(name);
    for (const Diagnostic& d : f.ctx().diagnostics()) {
      // Already reported (an undefined ${NAME}, a wrong type): one error per mistake.
      if (d.pos.line == at.line && d.pos.column == at.column) return;
    }
  }
  std::string message = "missing required field \"" + std::string(*names.begin()) + "\"";
  if (names.size() > 1) {
    std::string others;
    for (auto it = names.begin() + 1; it != names.end(); ++it)
      others += (others.empty() ? "" : ", ") + std::string("\"") + std::string(*it) + "\"";
    message += " (or " + others + ")";
  }
  f.ctx().error(f.pos(), f.path(), message);
}

}  // namespace herald::config::detail
