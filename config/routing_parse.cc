// The Alertmanager sections of herald.yml as a whole: time intervals and receivers first, so
// the route tree can check its references; then Alertmanager's global fields under `global:`.
#include <map>

#include "config/routing_sections.h"

namespace herald::config {

const Receiver* RoutingConfig::find_receiver(std::string_view name) const {
  for (const Receiver& r : receivers) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

const TimeInterval* RoutingConfig::find_time_interval(std::string_view name) const {
  for (const TimeInterval& t : time_intervals) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

namespace detail {
namespace {

// Both lists share one namespace (config.go checks mute_time_intervals, then time_intervals).
void read_all_time_intervals(const Fields& top, RoutingConfig& out, RouteRefs& refs) {
  std::map<std::string, SourcePos> first;
  for (const char* key : {"time_intervals", "mute_time_intervals"}) {
    std::vector<TimeInterval> list = parse_time_intervals(top, key);
    if (key == std::string_view("mute_time_intervals") && top.get(key)) {
      top.ctx().warning(top.key_pos(key), Path{{}, key},
                        "deprecated: move these entries to time_intervals");
    }
    for (size_t i = 0; i < list.size(); ++i) {
      TimeInterval& ti = list[i];
      if (ti.name.empty()) continue;  // reported
      if (auto [prev, inserted] = first.emplace(ti.name, ti.pos); !inserted) {
        top.ctx().error(ti.pos, Path{{}, key}.index(i).field("name"),
                        "duplicate time interval name \"" + ti.name + "\" (first at line " +
                            std::to_string(prev->second.line) + ")");
      }
      refs.time_intervals.insert(ti.name);
      out.time_intervals.push_back(std::move(ti));
    }
  }
}

void read_slack_globals(const Fields& f, const std::string& dir, NotifierDefaults& g) {
  g.slack_api_url = read_secret_url(f, "slack_api_url");
  g.slack_api_url_file = read_path(f, "slack_api_url_file", dir);
  if (!g.slack_api_url.empty() && !g.slack_api_url_file.empty()) {
    f.ctx().error(f.key_pos("slack_api_url_file"), f.path(),
                  "at most one of slack_api_url and slack_api_url_file may be set");
  }
  (void)read_secret_pair(f, "slack_app_token", dir, g.slack_app_token, g.slack_app_token_file);
  g.slack_app_url = read_url(f, "slack_app_url");
  if (g.slack_app_url.empty()) g.slack_app_url = NotifierDefaults{}.slack_app_url;
}

void read_smtp_globals(const Fields& f, const std::string& dir, NotifierDefaults& g) {
  g.smtp_from = read_string(f, "smtp_from").value_or("");
  g.smtp_hello = read_string(f, "smtp_hello").value_or(g.smtp_hello);
  if (std::string host = read_string(f, "smtp_smarthost").value_or(""); !host.empty()) {
    Result<HostPort> hp = parse_smarthost(host);
    if (hp) {
      g.smtp_smarthost = *hp;
    } else {
      f.ctx().error(f.value_pos("smtp_smarthost"), f.path().field("smtp_smarthost"),
                    hp.error().message);
    }
  }
  g.smtp_auth_username = read_string(f, "smtp_auth_username").value_or("");
  (void)read_secret_pair(f, "smtp_auth_password", dir, g.smtp_auth_password,
                         g.smtp_auth_password_file);
  g.smtp_auth_secret = Secret(read_string(f, "smtp_auth_secret").value_or(""));
  g.smtp_auth_identity = read_string(f, "smtp_auth_identity").value_or("");
  g.smtp_require_tls = read_bool(f, "smtp_require_tls").value_or(true);
}

}  // namespace

void parse_notifier_defaults(const Fields& global, const std::string& dir, NotifierDefaults& out) {
  out.http_config = read_http_config(global, dir, nullptr);
  read_smtp_globals(global, dir, out);
  read_slack_globals(global, dir, out);
  out.pagerduty_url = read_url(global, "pagerduty_url");
  if (out.pagerduty_url.empty()) out.pagerduty_url = NotifierDefaults{}.pagerduty_url;
}

void parse_routing(const Fields& top, const std::string& dir, const NotifierDefaults& defaults,
                   RoutingConfig& out) {
  RouteRefs refs;
  parse_message_templates(top, dir, out);
  read_all_time_intervals(top, out, refs);
  out.receivers = parse_receivers(top, ReceiverContext{dir, defaults});
  for (const Receiver& r : out.receivers)
    refs.receivers.insert(r.name);
  out.inhibit_rules = parse_inhibit_rules(top);
  out.route = parse_route(top, refs);
  if (!out.route && !out.receivers.empty()) {
    top.ctx().warning(top.key_pos("receivers"), Path{{}, "receivers"},
                      "no route is configured, so no alert reaches these receivers");
  }
}

}  // namespace detail
}  // namespace herald::config
