// herald's own alerts about itself: HeraldDatasourceUnreachable (a datasource has failed for its
// unreachable_after), HeraldNotificationsFailing (a receiver integration keeps failing) and
// HeraldStorageFailing (writes to herald's database keep failing, or a delivered notification is
// unrecorded). They are ordinary alerting rules in a synthetic group whose query function reads
// the datasources' health, the router's delivery failures and the storage's, so they have the
// same state machine, API presence and sending as any rule — and like any rule's, their alerts
// are written to the database before they are sent. Thread-safe.
#pragma once

#include <functional>
#include <vector>

#include "config/rule_file.h"
#include "evaluator/datasource_health.h"
#include "evaluator/group_evaluator.h"

namespace herald::evaluator {

inline constexpr const char* kMetaGroupName = "herald";
inline constexpr const char* kMetaGroupFile = "<herald>";

// The synthetic group holding HeraldDatasourceUnreachable, HeraldNotificationsFailing and
// HeraldStorageFailing.
[[nodiscard]] config::RuleGroup meta_alert_group();

// The receiver integrations whose deliveries keep failing at `ts`, as samples
// {receiver, integration} valued with the seconds they have been failing (the router's).
using NotificationFailuresFn = std::function<std::vector<QuerySample>(WallTime ts)>;
// Why storage is failing at `ts`, as samples {cause} valued with the seconds it has been
// (evaluator/storage_health.h).
using StorageFailuresFn = std::function<std::vector<QuerySample>(WallTime ts)>;

// Answers the meta group's queries. HeraldDatasourceUnreachable: one sample {datasource="<name>"}
// per datasource that has been failing for at least its unreachable_after, valued with the
// seconds it has been down. HeraldNotificationsFailing: `failures`, and HeraldStorageFailing:
// `storage` (none when empty).
[[nodiscard]] QueryFn meta_alert_query(std::vector<const DatasourceHealth*> datasources,
                                       NotificationFailuresFn failures = {},
                                       StorageFailuresFn storage = {});

}  // namespace herald::evaluator
