// The meta group's rules and the query function that answers them.
#include "evaluator/meta_alerts.h"

namespace herald::evaluator {
namespace {
constexpr std::string_view kNotificationsFailingExpr = "herald_notifications_failing_seconds";
}  // namespace

config::RuleGroup meta_alert_group() {
  config::Rule rule;
  rule.kind = config::RuleKind::kAlerting;
  rule.name = "HeraldDatasourceUnreachable";
  rule.expr = "herald_datasource_unreachable_seconds";  // answered by meta_alert_query
  rule.labels = {{"severity", "critical"}};
  rule.annotations = {
      {"summary", "herald cannot query datasource {{ $labels.datasource }}"},
      {"description",
       "Queries to datasource {{ $labels.datasource }} have failed for {{ $value | "
       "humanizeDuration }}. Alert states of its rules are frozen: nothing resolves and nothing "
       "new fires until it answers again."}};
  config::Rule failing;
  failing.kind = config::RuleKind::kAlerting;
  failing.name = "HeraldNotificationsFailing";
  failing.expr = std::string(kNotificationsFailingExpr);  // answered by meta_alert_query
  failing.labels = {{"severity", "critical"}};
  failing.annotations = {
      {"summary", "herald cannot deliver notifications to receiver {{ $labels.receiver }}"},
      {"description",
       "Deliveries to {{ $labels.receiver }} ({{ $labels.integration }}) have failed for {{ "
       "$value | humanizeDuration }}. They stay in herald's outbox and are retried; check the "
       "receiver's credentials and endpoint (herald_notifications_failed_total, the log's "
       "\"notification failed\" lines)."}};
  config::RuleGroup group;
  group.name = kMetaGroupName;
  group.rules.push_back(std::move(rule));
  group.rules.push_back(std::move(failing));
  return group;
}

QueryFn meta_alert_query(std::vector<const DatasourceHealth*> datasources,
                         NotificationFailuresFn failures) {
  return [datasources = std::move(datasources), failures = std::move(failures)](
             std::string_view expr, WallTime ts) -> Result<QueryResult> {
    QueryResult out;
    if (expr == kNotificationsFailingExpr) {
      if (failures) out.samples = failures(ts);
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
