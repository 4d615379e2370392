// The links a notification or page carries for an alert or an aggregation group: the Grafana
// drilldown (first matching `links.drilldowns` entry) and its `also` links, zoomed to the
// incident's window; a Prometheus graph of the expression over the same window; the runbook; and
// herald's own alert and silence pages. Pure functions of the config, the incident and `now`.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/config.h"
#include "model/alert.h"
#include "model/clock.h"
#include "model/labels.h"

namespace herald::links {

// What links are computed from: one alert, or a group reduced to what its alerts share.
struct Incident {
  LabelSet labels;          // an alert's labels, or a group's common labels
  Annotations annotations;  // `dashboard_url` / `runbook_url` here override the computed links
  WallTime active_at{};     // ActiveAt (router alerts: StartsAt); a group's earliest
  std::optional<WallTime> resolved_at;  // set once resolved; a group's latest, if all resolved
  std::string generator_url;            // Prometheus's graph link for the expression, if known
};

[[nodiscard]] Incident incident_of(const RuleAlert& alert, std::string generator_url);
// A router alert is resolved when its EndsAt is set and not after `now`.
[[nodiscard]] Incident incident_of(const Alert& alert, WallTime now);
// A group: common labels and annotations, earliest start, and resolved only when every alert is.
// REQUIRES: !alerts.empty()
[[nodiscard]] Incident group_incident(const std::vector<Alert>& alerts, WallTime now);

// Everything link building needs besides the incident; built once per config (re)load.
struct LinkSettings {
  config::LinksConfig links;
  std::string external_url;  // herald's own pages; "" → root-relative links ("/runbooks/…")
  std::set<std::string> runbooks;  // alert names with a runbooks/<name>.md
};

struct Link {
  std::string title;
  std::string url;
  friend bool operator==(const Link&, const Link&) = default;
};

struct AlertLinks {
  std::optional<Link> dashboard;  // the drilldown (title "Dashboard"), or `dashboard_url`
  std::vector<Link> also;         // the matched drilldown's secondary links, in config order
  std::optional<Link> graph;      // "Prometheus": the expression over the incident window
  std::optional<Link> runbook;    // `runbook_url`, else herald's page when the runbook exists
  Link alerts;                    // herald's alert list filtered to these labels
  Link silence;                   // herald's new-silence form pre-filled with these labels
};

// The Grafana time range of an incident: from = active_at − before; to = "now" while firing,
// else max(resolved_at + after, from + min_span). Milliseconds since the epoch.
struct TimeRange {
  int64_t from_ms = 0;
  std::optional<int64_t> to_ms;  // unset: "now"
  friend bool operator==(const TimeRange&, const TimeRange&) = default;
};
[[nodiscard]] TimeRange time_range(const config::DrilldownWindow& window, const Incident& incident);

// The first drilldown whose matchers all match, or nullptr.
[[nodiscard]] const config::Drilldown* find_drilldown(const config::LinksConfig& links,
                                                      const LabelSet& labels);

// `<grafana_url>/d/<uid>?orgId=1&var-<v>=<value>…&from=<ms>&to=<ms|now>`; vars in name order,
// values query-escaped, a var skipped when its label is absent.
[[nodiscard]] std::string grafana_url(const std::string& grafana_base, const std::string& uid,
                                      const std::map<std::string, std::string>& vars,
                                      const LabelSet& labels, const TimeRange& range);

[[nodiscard]] AlertLinks build_links(const LinkSettings& settings, const Incident& incident,
                                     WallTime now);

}  // namespace herald::links
