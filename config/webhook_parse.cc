// `webhook_configs` (Alertmanager's WebhookConfig, with url_file from later versions) and
// herald's `alertmanager_configs`, which forward alerts to external Alertmanagers.
#include <set>

#include "config/routing_sections.h"
#include "config/url.h"

namespace herald::config::detail {
namespace {

std::vector<std::string> read_urls(const Fields& f) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  size_t i = 0;
  for (const ScalarEntry& e : read_string_list(f, "urls")) {
    const Path about = f.path().field("urls").index(i++);
    if (Status ok = check_http_url(e.value); !ok) {
      f.ctx().error(e.value_pos, about, ok.error().message);
    } else if (!seen.insert(e.value).second) {
      f.ctx().error(e.value_pos, about, "duplicate url \"" + redact_url(e.value) + "\"");
    }
    out.push_back(e.value);
  }
  return out;
}

void require_positive(const Fields& f, std::string_view name, Duration d) {
  if (d.count() <= 0) {
    f.ctx().error(f.value_pos(name), f.path().field(name), "must be greater than 0");
  }
}

}  // namespace

WebhookConfig parse_webhook(ParseContext& ctx, const YAML::Node& node, const Path& path,
                            const ReceiverContext& rc) {
  Fields f(ctx, node, path, {"send_resolved", "http_config", "url", "url_file", "max_alerts"});
  WebhookConfig w;
  w.pos = f.pos();
  if (!f.is_mapping()) return w;
  w.send_resolved = read_bool(f, "send_resolved").value_or(true);
  w.http_config = read_http_config(f, rc.dir, &rc.defaults.http_config);
  w.url = read_secret_url(f, "url");
  w.url_file = read_path(f, "url_file", rc.dir);
  if (!w.url.empty() && !w.url_file.empty()) {
    ctx.error(f.key_pos("url_file"), path, "at most one of url and url_file may be set");
  }
  require_field(f, {"url", "url_file"}, !w.url.empty() || !w.url_file.empty());
  if (std::optional<int64_t> max = read_int(f, "max_alerts")) {
    if (*max < 0) {
      ctx.error(f.value_pos("max_alerts"), path.field("max_alerts"), "must not be negative");
    } else {
      w.max_alerts = static_cast<uint64_t>(*max);
    }
  }
  return w;
}

AlertmanagerForwardConfig parse_alertmanager_forward(ParseContext& ctx, const YAML::Node& node,
                                                     const Path& path, const ReceiverContext& rc) {
  Fields f(ctx, node, path,
           {"send_resolved", "http_config", "urls", "api_version", "timeout", "resend_interval"});
  AlertmanagerForwardConfig a;
  a.pos = f.pos();
  if (!f.is_mapping()) return a;
  a.send_resolved = read_bool(f, "send_resolved").value_or(true);
  a.http_config = read_http_config(f, rc.dir, &rc.defaults.http_config);
  a.urls = read_urls(f);
  require_field(f, {"urls"}, !a.urls.empty());
  a.api_version = read_string(f, "api_version").value_or(a.api_version);
  if (a.api_version != "v2") {
    ctx.error(f.value_pos("api_version"), path.field("api_version"),
              "unsupported api_version \"" + a.api_version +
                  "\" (herald speaks Alertmanager's API v2 only)");
  }
  a.timeout = read_duration(f, "timeout").value_or(a.timeout);
  require_positive(f, "timeout", a.timeout);
  a.resend_interval = read_duration(f, "resend_interval").value_or(a.resend_interval);
  require_positive(f, "resend_interval", a.resend_interval);
  return a;
}

}  // namespace herald::config::detail
