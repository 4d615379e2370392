// Link building: drilldown selection, time windows and URL assembly.
#include "links/alert_links.h"

#include <algorithm>
#include <chrono>
#include <ctime>

#include "model/duration.h"
#include "model/matcher.h"
#include "model/url_escape.h"

namespace herald::links {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

int64_t unix_ms(WallTime t) {
  return duration_cast<milliseconds>(t.time_since_epoch()).count();
}

std::string trim_slash(std::string s) {
  while (!s.empty() && s.back() == '/')
    s.pop_back();
  return s;
}

// The Prometheus UI's own time format for g0.end_input: "2006-01-02 15:04:05" in UTC.
std::string prometheus_ui_time(WallTime t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

// The labels as equality matchers, for herald's alert and silence pages: {a="1",b="2"}.
std::string equality_filter(const LabelSet& labels) {
  Matchers ms;
  for (const Label& l : labels) {
    Result<Matcher> m = Matcher::create(l.name, MatchType::kEqual, l.value);
    if (m) ms.push_back(std::move(*m));  // equality matchers cannot fail
  }
  return to_string(ms);
}

// Prometheus's graph page for the generator URL's expression over [from, to] (to unset: now).
// generatorURLs from Prometheus and herald are "<base>/graph?g0.expr=<expr>&g0.tab=…"; anything
// else (vmalert, a custom sender) is passed through unchanged.
std::optional<Link> graph_link(const std::string& generator_url, const TimeRange& range,
                               WallTime now) {
  if (generator_url.empty()) return std::nullopt;
  const size_t graph = generator_url.find("/graph?");
  const size_t expr = generator_url.find("g0.expr=", graph == std::string::npos ? 0 : graph);
  if (graph == std::string::npos || expr == std::string::npos) {
    return Link{"Prometheus", generator_url};
  }
  const size_t expr_end = generator_url.find('&', expr);
  std::string url = generator_url.substr(0, graph) + "/graph?" +
                    generator_url.substr(
                        expr, expr_end == std::string::npos ? std::string::npos : expr_end - expr) +
                    "&g0.tab=0";
  const int64_t end_ms = range.to_ms.value_or(unix_ms(now));
  // Whole minutes, at least one, rounded up so the window's start stays in view.
  const int64_t minutes = std::max<int64_t>(1, (end_ms - range.from_ms + 59'999) / 60'000);
  url += "&g0.range_input=" + format_duration(std::chrono::minutes(minutes));
  if (range.to_ms) {
    const std::string end =
        url_query_escape(prometheus_ui_time(WallTime(milliseconds(*range.to_ms))));
    url += "&g0.end_input=" + end + "&g0.moment_input=" + end;
  }
  return Link{"Prometheus", std::move(url)};
}

std::optional<std::string> annotation(const Incident& incident, const std::string& name) {
  auto it = incident.annotations.find(name);
  if (it == incident.annotations.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

}  // namespace

Incident incident_of(const RuleAlert& alert, std::string generator_url) {
  Incident i{alert.labels, alert.annotations, alert.active_at, std::nullopt,
             std::move(generator_url)};
  if (alert.state == AlertState::kInactive) i.resolved_at = alert.resolved_at;
  return i;
}

Incident incident_of(const Alert& alert, WallTime now) {
  Incident i{alert.labels, alert.annotations, alert.starts_at, std::nullopt, alert.generator_url};
  if (alert.ends_at != WallTime{} && alert.ends_at <= now) i.resolved_at = alert.ends_at;
  return i;
}

Incident group_incident(const std::vector<Alert>& alerts, WallTime now) {
  Incident g = incident_of(alerts.front(), now);
  bool all_resolved = g.resolved_at.has_value();
  for (size_t k = 1; k < alerts.size(); ++k) {
    const Incident a = incident_of(alerts[k], now);
    LabelSet common;
    for (const Label& l : g.labels) {
      if (a.labels.get(l.name) == l.value) common.set(l.name, l.value);
    }
    g.labels = std::move(common);
    std::erase_if(g.annotations, [&](const auto& kv) {
      auto it = a.annotations.find(kv.first);
      return it == a.annotations.end() || it->second != kv.second;
    });
    g.active_at = std::min(g.active_at, a.active_at);
    all_resolved = all_resolved && a.resolved_at.has_value();
    if (all_resolved) g.resolved_at = std::max(*g.resolved_at, *a.resolved_at);
    if (g.generator_url != a.generator_url) g.generator_url.clear();  // no single expression
  }
  if (!all_resolved) g.resolved_at.reset();
  return g;
}

TimeRange time_range(const config::DrilldownWindow& window, const Incident& incident) {
  TimeRange r;
  r.from_ms = unix_ms(incident.active_at - window.before);
  if (incident.resolved_at) {
    r.to_ms = std::max(unix_ms(*incident.resolved_at + window.after),
                       r.from_ms + duration_cast<milliseconds>(window.min_span).count());
  }
  return r;
}

const config::Drilldown* find_drilldown(const config::LinksConfig& links, const LabelSet& labels) {
  for (const config::Drilldown& d : links.drilldowns) {
    if (matches_all(d.matchers, labels)) return &d;
  }
  return nullptr;
}

std::string grafana_url(const std::string& grafana_base, const std::string& uid,
                        const std::map<std::string, std::string>& vars, const LabelSet& labels,
                        const TimeRange& range) {
  std::string url = trim_slash(grafana_base) + "/d/" + url_query_escape(uid) + "?orgId=1";
  for (const auto& [var, label] : vars) {
    if (!labels.has(label)) continue;
    url += "&var-" + url_query_escape(var) + "=" + url_query_escape(labels.get(label));
  }
  url += "&from=" + std::to_string(range.from_ms) + "&to=";
  url += range.to_ms ? std::to_string(*range.to_ms) : "now";
  return url;
}

AlertLinks build_links(const LinkSettings& settings, const Incident& incident, WallTime now) {
  AlertLinks out;
  const config::Drilldown* d = find_drilldown(settings.links, incident.labels);
  const TimeRange range = time_range(d ? d->window : config::DrilldownWindow{}, incident);
  if (d) {
    const std::string& base = settings.links.grafana_url;
    out.dashboard =
        Link{"Dashboard", grafana_url(base, d->dashboard, d->vars, incident.labels, range)};
    for (const config::DrilldownLink& l : d->also) {
      out.also.push_back({l.title, grafana_url(base, l.dashboard, l.vars, incident.labels, range)});
    }
  }
  if (auto url = annotation(incident, "dashboard_url")) out.dashboard = Link{"Dashboard", *url};
  out.graph = graph_link(incident.generator_url, range, now);

  const std::string herald = trim_slash(settings.external_url);
  const std::string alertname(incident.labels.get("alertname"));
  if (auto url = annotation(incident, "runbook_url")) {
    out.runbook = Link{"Runbook", *url};
  } else if (!alertname.empty() && settings.runbooks.contains(alertname)) {
    out.runbook = Link{"Runbook", herald + "/runbooks/" + url_query_escape(alertname)};
  }
  const std::string filter = url_query_escape(equality_filter(incident.labels));
  out.alerts = Link{"Alerts", herald + "/alerts?filter=" + filter};
  out.silence = Link{"Silence", herald + "/silences/new?filter=" + filter};
  return out;
}

}  // namespace herald::links
