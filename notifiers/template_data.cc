// template.Data from a Notification (alertmanager/template/template.go Data()).
#include "notifiers/template_data.h"

#include <algorithm>
#include <iterator>

#include "template/am_data.h"

namespace herald::notifiers {
namespace {

// Go's regexp.QuoteMeta, which template.Data applies to the receiver name.
std::string quote_meta(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::string_view(R"(\.+*?()|[]{}^$)").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

void common_pairs(const std::vector<DataAlert>& alerts, LabelSet& labels,
                  Annotations& annotations) {
  if (alerts.empty()) return;
  labels = alerts.front().alert->labels;
  annotations = alerts.front().alert->annotations;
  for (size_t i = 1; i < alerts.size(); ++i) {
    const Alert& a = *alerts[i].alert;
    for (const Label& l : LabelSet(labels))
      if (a.labels.get(l.name) != l.value) labels.erase(l.name);
    std::erase_if(annotations, [&](const auto& kv) {
      auto it = a.annotations.find(kv.first);
      return (it == a.annotations.end() ? std::string_view() : it->second) != kv.second;
    });
  }
}

LabelSet annotation_labels(const Annotations& annotations) {
  LabelSet out;
  for (const auto& [k, v] : annotations)
    out.set(k, v);
  return out;
}

tmpl::am::Links links_of(const links::AlertLinks& l) {
  return tmpl::am::Links{l.dashboard ? l.dashboard->url : "", l.runbook ? l.runbook->url : "",
                         l.silence.url};
}

}  // namespace

TemplateData template_data(const Notification& n, std::string_view receiver, uint64_t max_alerts) {
  TemplateData d;
  d.receiver = quote_meta(receiver);
  std::vector<DataAlert> firing, resolved;
  for (const Alert& a : n.firing)
    firing.push_back({&a, true});
  for (const Alert& a : n.resolved)
    resolved.push_back({&a, false});
  d.alerts.reserve(firing.size() + resolved.size());
  std::merge(
      firing.begin(), firing.end(), resolved.begin(), resolved.end(), std::back_inserter(d.alerts),
      [](const DataAlert& x, const DataAlert& y) { return alert_before(*x.alert, *y.alert); });
  if (max_alerts != 0 && d.alerts.size() > max_alerts) {
    d.truncated = d.alerts.size() - max_alerts;
    d.alerts.resize(max_alerts);
  }
  d.firing = std::any_of(d.alerts.begin(), d.alerts.end(), [](auto& e) { return e.firing; });
  d.group_labels = n.group_labels;
  common_pairs(d.alerts, d.common_labels, d.common_annotations);
  return d;
}

tmpl::Value template_value(const TemplateData& data, std::string_view external_url,
                           const links::LinkSettings& settings, WallTime now) {
  tmpl::am::Data d;
  d.receiver = data.receiver;
  d.status = data.firing ? "firing" : "resolved";
  std::vector<Alert> all;
  for (const DataAlert& e : data.alerts) {
    const Alert& a = *e.alert;
    all.push_back(a);
    tmpl::am::AlertData out;
    out.status = e.firing ? "firing" : "resolved";
    out.labels = a.labels;
    out.annotations = annotation_labels(a.annotations);
    out.starts_at = a.starts_at;
    // Alertmanager zeroes a firing alert's EndsAt in the flush copy it notifies.
    out.ends_at = e.firing || a.ends_at == WallTime{} ? tmpl::am::go_zero_time() : a.ends_at;
    out.generator_url = a.generator_url;
    out.fingerprint = fingerprint_hex(a.labels.fingerprint());
    out.links = links_of(links::build_links(settings, links::incident_of(a, now), now));
    d.alerts.push_back(std::move(out));
  }
  d.group_labels = data.group_labels;
  d.common_labels = data.common_labels;
  d.common_annotations = annotation_labels(data.common_annotations);
  d.external_url = std::string(external_url);
  if (!all.empty())
    d.links = links_of(links::build_links(settings, links::group_incident(all, now), now));
  return tmpl::am::data_value(d);
}

}  // namespace herald::notifiers
