// The meta group's rules and the query function that answers them.
#include "evaluator/meta_alerts.h"

namespace herald::evaluator {
namespace {

// The queries meta_alert_query answers.
constexpr std::string_view kDatasourceUnreachableExpr = "herald_datasource_unreachable_seconds";
constexpr std::string_view kNotificationsFailingExpr = "herald_notifications_failing_seconds";
constexpr std::string_view kStorageFailingExpr = "herald_storage_failing_seconds";

config::Rule critical_rule(std::string name, std::string_view expr, std::string summary,
                           std::string description) {
  config::Rule rule;
  rule.kind = config::RuleKind::kAlerting;
  rule.name = std::move(name);
  rule.expr = std::string(expr);
  rule.labels = {{"severity", "critical"}};
  rule.annotations = {{"summary", std::move(summary)}, {"description", std::move(description)}};
  return rule;
}

}  // namespace

config::RuleGroup meta_alert_group() {
  config::RuleGroup group;
  group.name = kMetaGroupName;
  group.rules.push_back(critical_rule(
      "HeraldDatasourceUnreachable", kDatasourceUnreachableExpr,
      "herald cannot query datasource {{ $labels.datasource }}",
      "Queries to datasource {{ $labels.datasource }} have failed for {{ $value | "
      "humanizeDuration }}. Alert states of its rules are frozen: nothing resolves and nothing "
      "new fires until it answers again."));
  group.rules.push_back(critical_rule(
      "HeraldNotificationsFailing", kNotificationsFailingExpr,
      "herald cannot deliver notifications to receiver {{ $labels.receiver }}",
      "Deliveries to {{ $labels.receiver }} ({{ $labels.integration }}) have failed for {{ "
      "$value | humanizeDuration }}. They stay in herald's outbox and are retried; check the "
      "receiver's credentials and endpoint (herald_notifications_failed_total, the log's "
      "\"notification failed\" lines)."));
  group.rules.push_back(critical_rule(
      "HeraldStorageFailing", kStorageFailingExpr, "herald cannot write to its database",
      "herald's writes to its SQLite database have been failing for {{ $value | "
      "humanizeDuration }} ({{ $labels.cause }}). Delivered notifications that could not be "
      "recorded are not sent again while herald runs (a restart sends each once more); alert "
      "state changes and new notifications wait until writes succeed. Check the database's "
      "volume for free space and permissions (herald_storage_write_failures_total, "
      "herald_notifications_unrecorded, the log's \"not recorded\" lines)."));
  return group;
}

QueryFn meta_alert_query(std::vector<const DatasourceHealth*> datasources,
                         NotificationFailuresFn failures, StorageFailuresFn storage) {
  return [datasources = std::move(datasources), failures = std::move(failures),
          storage = std::move(storage)](std::string_view expr, WallTime ts) -> Result<QueryResult> {
    QueryResult out;
    if (expr == kNotificationsFailingExpr) {
      if (failures) out.samples = failures(ts);
      return out;
    }
    if (expr == kStorageFailingExpr) {
      if (storage) out.samples = storage(ts);
      return out;
    }
    for (const DatasourceHealth* d : datasources) {
      const std::optional<WallTime> since = d->down_since();
      if (!since || ts - *since < d->unreachable_after()) continue;
      const double seconds = std::chrono::duration<double>(ts - *since).count();
      out.samples.push_back({LabelSet{{"datasource", d->name()}}, seconds});
    }
    return out;
  };
}

}  // namespace herald::evaluator
