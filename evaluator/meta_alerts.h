// herald's own alerts about itself: HeraldDatasourceUnreachable (a datasource has failed for its
// unreachable_after) and HeraldNotificationsFailing (a receiver integration keeps failing). They
// are ordinary alerting rules in a synthetic group whose query function reads the datasources'
// health and the router's delivery failures, so they have the same state machine, API presence
// and sending as any rule. Thread-safe.
#pragma once

#include <functional>
#include <vector>

#include "config/rule_file.h"
#include "evaluator/datasource_health.h"
#include "evaluator/group_evaluator.h"

namespace herald::evaluator {

inline constexpr const char* kMetaGroupName = "herald";
inline constexpr const char* kMetaGroupFile = "<herald>";

// The synthetic group holding HeraldDatasourceUnreachable and HeraldNotificationsFailing.
[[nodiscard]] config::RuleGroup meta_alert_group();

// The receiver integrations whose deliveries keep failing at `ts`, as samples
// {receiver, integration} valued with the seconds they have been failing (the router's).
using NotificationFailuresFn = std::function<std::vector<QuerySample>(WallTime ts)>;

// Answers the meta group's queries. HeraldDatasourceUnreachable: one sample {datasource="<name>"}
// per datasource that has been failing for at least its unreachable_after, valued with the
// seconds it has been down. HeraldNotificationsFailing: `failures` (none when it is empty).
[[nodiscard]] QueryFn meta_alert_query(std::vector<const DatasourceHealth*> datasources,
                                       NotificationFailuresFn failures = {});

}  // namespace herald::evaluator
