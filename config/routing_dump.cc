// The config dump of the route tree, inhibit rules, time intervals and Alertmanager's global
// fields. The root route shows the timers it gets by default (dispatch.DefaultRouteOpts);
// child routes show what they set, the rest being inherited.
#include "config/routing_dump.h"

#include "config/dump_helpers.h"
#include "config/url.h"

namespace herald::config::detail {
namespace {

void put_matchers(YAML::Emitter& out, const char* key, const Matchers& matchers) {
  if (matchers.empty()) return;
  out << YAML::Key << key << YAML::Value << YAML::BeginSeq;
  for (const Matcher& m : matchers)
    out << m.to_string();
  out << YAML::EndSeq;
}

void put_list(YAML::Emitter& out, const char* key, const std::vector<std::string>& list) {
  if (!list.empty()) out << YAML::Key << key << YAML::Value << YAML::Flow << list;
}

void dump_route(YAML::Emitter& out, const RouteConfig& r, bool is_root) {
  out << YAML::BeginMap;
  if (r.receiver) put(out, "receiver", *r.receiver);
  if (r.group_by) out << YAML::Key << "group_by" << YAML::Value << YAML::Flow << *r.group_by;
  if (r.continue_) put(out, "continue", true);
  put_matchers(out, "matchers", r.matchers);
  const std::pair<const char*, std::pair<std::optional<Duration>, Duration>> timers[] = {
      {"group_wait", {r.group_wait, std::chrono::seconds(30)}},
      {"group_interval", {r.group_interval, std::chrono::minutes(5)}},
      {"repeat_interval", {r.repeat_interval, std::chrono::hours(4)}}};
  for (const auto& [key, timer] : timers) {
    if (timer.first || is_root) put(out, key, timer.first.value_or(timer.second));
  }
  put_list(out, "mute_time_intervals", r.mute_time_intervals);
  put_list(out, "active_time_intervals", r.active_time_intervals);
  if (!r.routes.empty()) {
    out << YAML::Key << "routes" << YAML::Value << YAML::BeginSeq;
    for (const RouteConfig& child : r.routes)
      dump_route(out, child, false);
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
}

void dump_inhibit_rule(YAML::Emitter& out, const InhibitRule& r) {
  out << YAML::BeginMap;
  put_matchers(out, "source_matchers", r.source_matchers);
  put_matchers(out, "target_matchers", r.target_matchers);
  put_list(out, "equal", r.equal);
  out << YAML::EndMap;
}

constexpr const char* kWeekdayNames[] = {"sunday",   "monday", "tuesday", "wednesday",
                                         "thursday", "friday", "saturday"};
constexpr const char* kMonthNames[] = {"january",   "february", "march",    "april",
                                       "may",       "june",     "july",     "august",
                                       "september", "october",  "november", "december"};

// Alertmanager's InclusiveRange.MarshalText: "begin" or "begin:end", weekdays and months by name.
std::string range_text(InclusiveRange r, const char* const* names, int base) {
  auto one = [&](int v) { return names ? std::string(names[v - base]) : std::to_string(v); };
  return r.begin == r.end ? one(r.begin) : one(r.begin) + ":" + one(r.end);
}

void put_ranges(YAML::Emitter& out, const char* key, const std::vector<InclusiveRange>& ranges,
                const char* const* names, int base) {
  std::vector<std::string> texts;
  for (InclusiveRange r : ranges)
    texts.push_back(range_text(r, names, base));
  put_list(out, key, texts);
}

std::string hh_mm(int minutes) {
  auto two = [](int v) { return std::string(v < 10 ? "0" : "") + std::to_string(v); };
  return two(minutes / 60) + ":" + two(minutes % 60);
}

void dump_spec(YAML::Emitter& out, const TimeIntervalSpec& s) {
  out << YAML::BeginMap;
  if (!s.times.empty()) {
    out << YAML::Key << "times" << YAML::Value << YAML::BeginSeq;
    for (TimeRange t : s.times) {
      out << YAML::Flow << YAML::BeginMap;
      // Quoted: YAML 1.1 readers take an unquoted 09:00 for a base-60 number.
      out << YAML::Key << "start_time" << YAML::Value << YAML::DoubleQuoted
          << hh_mm(t.start_minute);
      out << YAML::Key << "end_time" << YAML::Value << YAML::DoubleQuoted << hh_mm(t.end_minute);
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  put_ranges(out, "weekdays", s.weekdays, kWeekdayNames, 0);
  put_ranges(out, "days_of_month", s.days_of_month, nullptr, 0);
  put_ranges(out, "months", s.months, kMonthNames, 1);
  put_ranges(out, "years", s.years, nullptr, 0);
  put(out, "location", s.location);
  out << YAML::EndMap;
}

void dump_time_interval(YAML::Emitter& out, const TimeInterval& t) {
  out << YAML::BeginMap;
  put(out, "name", t.name);
  out << YAML::Key << "time_intervals" << YAML::Value << YAML::BeginSeq;
  for (const TimeIntervalSpec& s : t.time_intervals)
    dump_spec(out, s);
  out << YAML::EndSeq << YAML::EndMap;
}

}  // namespace

void dump_notifier_defaults(YAML::Emitter& out, const NotifierDefaults& g) {
  dump_http_config(out, g.http_config);
  put(out, "smtp_from", g.smtp_from);
  put(out, "smtp_hello", g.smtp_hello);
  put(out, "smtp_smarthost", g.smtp_smarthost.str());
  put(out, "smtp_auth_username", g.smtp_auth_username);
  put(out, "smtp_auth_password", g.smtp_auth_password);
  put(out, "smtp_auth_password_file", g.smtp_auth_password_file);
  put(out, "smtp_auth_secret", g.smtp_auth_secret);
  put(out, "smtp_auth_identity", g.smtp_auth_identity);
  put(out, "smtp_require_tls", g.smtp_require_tls);
  put(out, "slack_api_url", g.slack_api_url);
  put(out, "slack_api_url_file", g.slack_api_url_file);
  put(out, "slack_app_token", g.slack_app_token);
  put(out, "slack_app_token_file", g.slack_app_token_file);
  put(out, "slack_app_url", redact_url(g.slack_app_url));
  put(out, "pagerduty_url", redact_url(g.pagerduty_url));
}

void dump_routing(YAML::Emitter& out, const RoutingConfig& r) {
  if (!r.templates.empty()) put_list(out, "templates", r.templates);
  if (r.route) {
    out << YAML::Key << "route" << YAML::Value;
    dump_route(out, *r.route, true);
  }
  out << YAML::Key << "receivers" << YAML::Value << YAML::BeginSeq;
  for (const Receiver& rc : r.receivers)
    dump_receiver(out, rc);
  out << YAML::EndSeq;
  out << YAML::Key << "inhibit_rules" << YAML::Value << YAML::BeginSeq;
  for (const InhibitRule& ir : r.inhibit_rules)
    dump_inhibit_rule(out, ir);
  out << YAML::EndSeq;
  out << YAML::Key << "time_intervals" << YAML::Value << YAML::BeginSeq;
  for (const TimeInterval& t : r.time_intervals)
    dump_time_interval(out, t);
  out << YAML::EndSeq;
}

}  // namespace herald::config::detail
