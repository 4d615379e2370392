// Aggregation-group identity: an alert's group labels for a route and the group key
// `<routeKey>:<groupLabels>`, rendered byte for byte as Alertmanager 0.25 renders them (the key
// is what webhook receivers see as groupKey and what the notification log is keyed by).
#pragma once

#include <string>

#include "model/labels.h"
#include "router/route.h"

namespace herald::router {

// The alert's values for the route's group_by labels (a label the alert lacks is left out), or
// all its labels when the route groups by `...` (dispatch.go getGroupLabels).
[[nodiscard]] LabelSet group_labels(const Route& route, const LabelSet& alert_labels);

// prometheus/common model.LabelSet.String() as vendored by Alertmanager 0.25: each pair rendered
// as name=%q, the rendered strings sorted, joined by ", ", in braces. Sorting the rendered pairs
// (not the names) puts `a0="x"` before `a="y"`, since '0' < '='.
[[nodiscard]] std::string render_group_labels(const LabelSet& labels);

// aggrGroup.GroupKey(): route.key() + ":" + render_group_labels(group_labels), e.g.
// {}/{env="prod"}:{alertname="HighErrorRate", service="api"}.
[[nodiscard]] std::string group_key(const Route& route, const LabelSet& group_labels);

}  // namespace herald::router
