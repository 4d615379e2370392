// Alertmanager's template.Data of one notification: what its webhook payload carries and what
// its notification templates see. Alertmanager sorts a flush's alerts once and notifies them in
// that order, firing and resolved interleaved; herald's Notification splits them, so they are
// merged back here. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "links/alert_links.h"
#include "model/notifier.h"
#include "template/value.h"

namespace herald::notifiers {

struct DataAlert {
  const Alert* alert;  // points into the Notification
  bool firing;
};

struct TemplateData {
  std::string receiver;  // regexp.QuoteMeta'd, as template.Data prints it
  bool firing = false;   // any alert fires
  std::vector<DataAlert> alerts;
  uint64_t truncated = 0;  // alerts cut by max_alerts
  LabelSet group_labels;
  // The first alert's pairs every other alert has with the same value (a missing key reads as
  // "", as in a Go map), over the alerts that remain after max_alerts.
  LabelSet common_labels;
  Annotations common_annotations;
};

// `max_alerts` 0: all. The result points into `n`, which must outlive it.
[[nodiscard]] TemplateData template_data(const Notification& n, std::string_view receiver,
                                         uint64_t max_alerts = 0);

// The data as a template value (tmpl::am::Data), with herald's links: each alert's and the
// group's drilldown, runbook and silence URLs (DashboardURL, RunbookURL, SilenceURL).
[[nodiscard]] tmpl::Value template_value(const TemplateData& data, std::string_view external_url,
                                         const links::LinkSettings& links, WallTime now);

}  // namespace herald::notifiers
