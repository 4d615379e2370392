// The integration-neutral content of one notification: what Slack, email and PagerDuty each
// render in their own format. Built once per notification from the group's alerts, the link
// settings and `now`; pure. Values here are raw user text: each renderer escapes for its format.
#pragma once

#include <string>
#include <vector>

#include "links/alert_links.h"
#include "model/clock.h"
#include "model/notifier.h"

namespace herald::notifiers {

struct AlertLine {
  LabelSet labels;          // the alert's labels
  std::string summary;      // its `summary` annotation, else `description`, else ""
  std::string description;  // its `description` annotation
  WallTime starts_at{};
  std::optional<WallTime> ends_at;  // set when resolved
  links::AlertLinks links;          // this alert's own links
};

struct Message {
  bool resolved = false;   // every alert of the notification is resolved
  std::string status;      // "firing" | "resolved"
  std::string alertname;   // the common alertname, or "" when the group mixes several
  std::string subject;     // "[FIRING:2] HighErrorRate (llama3-8b)": Alertmanager's title shape
  std::string headline;    // "FIRING: HighErrorRate (llama3-8b)"
  std::string summary;     // the first firing (else resolved) alert's summary
  std::string severity;    // the common `severity` label value, or ""
  LabelSet group_labels;   // the group's labels (route group_by)
  LabelSet common_labels;  // labels all alerts share
  WallTime since{};        // earliest StartsAt
  std::vector<AlertLine> firing;
  std::vector<AlertLine> resolved_alerts;
  links::AlertLinks links;  // the group's links: common labels, earliest start
  std::string receiver;
  std::string group_key;
};

// REQUIRES: !n.firing.empty() || !n.resolved.empty()
[[nodiscard]] Message build_message(const Notification& n, const links::LinkSettings& settings,
                                    WallTime now);

// The group-label values shown after the alert name: "(llama3-8b)" for {alertname, model}, ""
// when the group has no labels besides alertname.
[[nodiscard]] std::string group_suffix(const LabelSet& group_labels);

}  // namespace herald::notifiers
