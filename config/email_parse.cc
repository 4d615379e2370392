// `email_configs`: Alertmanager's EmailConfig (v0.25), with the smtp_* globals applied as
// config.go does, header names canonicalised and checked for duplicates.
#include <cctype>
#include <map>

#include "config/routing_sections.h"
#include "model/host_port.h"

namespace herald::config::detail {
namespace {

// Go's net.SplitHostPort (model/host_port.h), with hints for the usual mistakes, plus
// Alertmanager's "port cannot be empty".
Result<HostPort> split_smarthost(const std::string& s) {
  const std::string bad = "invalid smarthost \"" + s + "\": ";
  auto hp = split_host_port(s);
  if (!hp) {
    switch (hp.error()) {
      case HostPortError::kMissingPort:
        return invalid_input(bad + (s.starts_with("[") ? "expected host:port"
                                                       : "missing port (expected host:port)"));
      case HostPortError::kTooManyColons:
        return invalid_input(bad + "too many colons (write an IPv6 address as [addr]:port)");
      case HostPortError::kMissingBracket:
        return invalid_input(bad + "missing ']'");
      default:
        return invalid_input(bad + std::string(go_reason(hp.error())));
    }
  }
  if (hp->port.empty()) return invalid_input(bad + "port cannot be empty");
  return *hp;
}

bool is_token_byte(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Go's textproto.CanonicalMIMEHeaderKey: "x-custom-id" → "X-Custom-Id"; a key with a byte that
// cannot be in a header name is returned unchanged.
std::string canonical_header(std::string key) {
  for (char c : key) {
    if (!is_token_byte(c)) return key;
  }
  bool upper = true;
  for (char& c : key) {
    const auto u = static_cast<unsigned char>(c);
    c = static_cast<char>(upper ? std::toupper(u) : std::tolower(u));
    upper = c == '-';
  }
  return key;
}

std::map<std::string, std::string> read_headers(const Fields& f) {
  std::map<std::string, std::string> out;
  for (const ScalarEntry& e : read_template_map(f, "headers")) {
    std::string name = canonical_header(e.key);
    if (!out.emplace(name, e.value).second) {
      f.ctx().error(e.key_pos, f.path().field("headers"),
                    "duplicate header \"" + name + "\" (header names ignore case)");
    }
  }
  return out;
}

void read_smarthost(const Fields& f, const NotifierDefaults& g, EmailConfig& e) {
  std::string text = read_string(f, "smarthost").value_or("");
  if (text.empty()) {
    e.smarthost = g.smtp_smarthost;
  } else if (Result<HostPort> hp = split_smarthost(text); hp) {
    e.smarthost = *hp;
  } else {
    f.ctx().error(f.value_pos("smarthost"), f.path().field("smarthost"), hp.error().message);
    return;
  }
  if (e.smarthost.host.empty() && e.smarthost.port.empty()) {
    f.ctx().error(f.pos(), f.path(),
                  "missing required field \"smarthost\" (set it here or smtp_smarthost under "
                  "global)");
  }
}

// Each unset field takes its smtp_* global (config.go): the password and its file as a pair.
void read_auth(const Fields& f, const ReceiverContext& rc, EmailConfig& e) {
  const NotifierDefaults& g = rc.defaults;
  e.auth_username = read_string(f, "auth_username").value_or(g.smtp_auth_username);
  if (!read_secret_pair(f, "auth_password", rc.dir, e.auth_password, e.auth_password_file)) {
    e.auth_password = g.smtp_auth_password;
    e.auth_password_file = g.smtp_auth_password_file;
  }
  e.auth_secret = Secret(read_string(f, "auth_secret").value_or(""));
  if (e.auth_secret.empty()) e.auth_secret = g.smtp_auth_secret;
  e.auth_identity = read_string(f, "auth_identity").value_or(g.smtp_auth_identity);
}

}  // namespace

Result<HostPort> parse_smarthost(const std::string& text) {
  return split_smarthost(text);
}

EmailConfig parse_email(ParseContext& ctx, const YAML::Node& node, const Path& path,
                        const ReceiverContext& rc) {
  Fields f(ctx, node, path,
           {"send_resolved", "to", "from", "hello", "smarthost", "auth_username", "auth_password",
            "auth_password_file", "auth_secret", "auth_identity", "headers", "html", "text",
            "require_tls", "tls_config"});
  EmailConfig e;
  e.pos = f.pos();
  if (!f.is_mapping()) return e;
  const NotifierDefaults& g = rc.defaults;
  e.send_resolved = read_bool(f, "send_resolved").value_or(false);
  e.to = read_template(f, "to");
  require_field(f, {"to"}, !e.to.empty());
  e.from = read_template(f, "from");
  if (e.from.empty()) e.from = g.smtp_from;
  if (e.from.empty()) {
    ctx.error(f.pos(), path,
              "missing required field \"from\" (set it here or smtp_from under global)");
  }
  e.hello = read_string(f, "hello").value_or("");
  if (e.hello.empty()) e.hello = g.smtp_hello;
  read_smarthost(f, g, e);
  read_auth(f, rc, e);
  e.headers = read_headers(f);
  e.html = read_template(f, "html");
  e.text = read_template(f, "text");
  e.require_tls = read_bool(f, "require_tls").value_or(g.smtp_require_tls);
  e.tls_config = parse_tls(f, rc.dir);
  return e;
}

}  // namespace herald::config::detail
