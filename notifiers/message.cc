// Notification → Message: titles in Alertmanager's default shape, common labels, per-alert lines
// and the links of the group and of each alert.
#include "notifiers/message.h"

#include <algorithm>

namespace herald::notifiers {
namespace {

std::string annotation(const Annotations& a, const char* name) {
  auto it = a.find(name);
  return it == a.end() ? "" : it->second;
}

AlertLine line_of(const Alert& a, const links::LinkSettings& settings, WallTime now) {
  AlertLine l;
  l.labels = a.labels;
  l.description = annotation(a.annotations, "description");
  l.summary = annotation(a.annotations, "summary");
  if (l.summary.empty()) l.summary = l.description;
  l.starts_at = a.starts_at;
  if (a.ends_at != WallTime{} && a.ends_at <= now) l.ends_at = a.ends_at;
  l.links = links::build_links(settings, links::incident_of(a, now), now);
  return l;
}

LabelSet common_labels(const std::vector<Alert>& alerts) {
  LabelSet common = alerts.front().labels;
  for (const Alert& a : alerts) {
    LabelSet keep;
    for (const Label& l : common) {
      if (a.labels.get(l.name) == l.value) keep.set(l.name, l.value);
    }
    common = std::move(keep);
  }
  return common;
}

}  // namespace

std::string group_suffix(const LabelSet& group_labels) {
  std::string values;
  for (const Label& l : group_labels) {
    if (l.name == "alertname") continue;
    values += (values.empty() ? "" : " ") + l.value;
  }
  return values.empty() ? "" : "(" + values + ")";
}

Message build_message(const Notification& n, const links::LinkSettings& settings, WallTime now) {
  Message m;
  m.receiver = n.receiver;
  m.group_key = n.group_key;
  m.group_labels = n.group_labels;
  std::vector<Alert> all = n.firing;
  all.insert(all.end(), n.resolved.begin(), n.resolved.end());
  m.common_labels = common_labels(all);
  m.resolved = n.firing.empty();
  m.status = m.resolved ? "resolved" : "firing";
  m.alertname = std::string(m.common_labels.get("alertname"));
  m.severity = std::string(m.common_labels.get("severity"));

  // Alertmanager's default title: [FIRING:N] <group label values> (here: the alert name, then
  // the other group labels in parentheses).
  const std::string name = m.alertname.empty() ? "alerts" : m.alertname;
  const std::string suffix = group_suffix(n.group_labels);
  const std::string what = name + (suffix.empty() ? "" : " " + suffix);
  m.subject = "[" +
              std::string(m.resolved ? "RESOLVED" : "FIRING:" + std::to_string(n.firing.size())) +
              "] " + what;
  m.headline = std::string(m.resolved ? "RESOLVED" : "FIRING") + ": " + what;

  for (const Alert& a : n.firing)
    m.firing.push_back(line_of(a, settings, now));
  for (const Alert& a : n.resolved)
    m.resolved_alerts.push_back(line_of(a, settings, now));
  const std::vector<AlertLine>& lead = m.firing.empty() ? m.resolved_alerts : m.firing;
  m.summary = lead.front().summary;  // alerts of one group usually share it; else the first's

  m.since = all.front().starts_at;
  for (const Alert& a : all)
    m.since = std::min(m.since, a.starts_at);
  m.links = links::build_links(settings, links::group_incident(all, now), now);
  return m;
}

}  // namespace herald::notifiers
