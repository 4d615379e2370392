// Log lines and metrics of deliveries and their records.
#include "daemon/delivery_reporter.h"

#include <string>

#include "daemon/log.h"

namespace herald::daemon {
namespace {

LabelSet integration_labels(const router::IntegrationId& id) {
  return LabelSet{{"receiver", id.receiver}, {"integration", id.integration}};
}

}  // namespace

DeliveryReporter::DeliveryReporter(MetricsRegistry& metrics)
    : sent_(metrics.counter("herald_notifications_total",
                            "Notifications delivered, by receiver and integration.")),
      failed_(metrics.counter("herald_notifications_failed_total",
                              "Failed delivery attempts, by receiver, integration and reason "
                              "(retry: will be tried again; permanent: given up).")),
      latency_(metrics.histogram("herald_notification_latency_seconds",
                                 "Time one delivery attempt took.",
                                 {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30})),
      unrecorded_total_(metrics.counter(
          "herald_notifications_unrecorded_total",
          "Delivered notifications whose record (outbox and notification log) could not be "
          "written; they are not sent again and the record is retried.")),
      unrecorded_(metrics.gauge("herald_notifications_unrecorded",
                                "Delivered notifications whose record is not written yet.")) {
  unrecorded_.set({}, 0);
}

void DeliveryReporter::report_late_record(const router::DeliveryEvent& e, size_t unrecorded) {
  unrecorded_.set({}, static_cast<double>(unrecorded));
  log_event(LogLevel::kInfo,
            e.error.empty() ? "delivered notification recorded"
                            : "delivered notification superseded before it was recorded",
            {{"receiver", e.integration.receiver},
             {"integration", e.integration.integration},
             {"group_key", e.group_key},
             {"attempt", std::to_string(e.attempt)}});
}

void DeliveryReporter::report(const router::DeliveryEvent& e, size_t unrecorded) {
  if (e.record == router::RecordState::kRecordedLate) return report_late_record(e, unrecorded);
  const LabelSet labels = integration_labels(e.integration);
  for (const std::string& w : e.warnings) {
    log_event(LogLevel::kWarn, "notification template failed; herald's own text was sent instead",
              {{"receiver", e.integration.receiver},
               {"integration", e.integration.integration},
               {"group_key", e.group_key},
               {"err", w}});
  }
  latency_.observe(labels, std::chrono::duration<double>(e.latency).count());
  if (e.outcome == DeliveryOutcome::kDelivered) {
    sent_.inc(labels);
    log_event(LogLevel::kInfo, "notification delivered",
              {{"receiver", e.integration.receiver},
               {"integration", e.integration.integration},
               {"group_key", e.group_key},
               {"attempt", std::to_string(e.attempt)}});
    if (e.record == router::RecordState::kUnrecorded) {
      unrecorded_total_.inc(labels);
      unrecorded_.set({}, static_cast<double>(unrecorded));
      log_event(LogLevel::kError,
                "notification delivered but not recorded; it is not sent again, the record is "
                "retried",
                {{"receiver", e.integration.receiver},
                 {"integration", e.integration.integration},
                 {"group_key", e.group_key},
                 {"err", e.error}});
    }
    return;
  }
  const bool retry = e.outcome == DeliveryOutcome::kRetry;
  LabelSet reason = labels;
  reason.set("reason", retry ? "retry" : "permanent");
  failed_.inc(reason);
  log_event(retry ? LogLevel::kWarn : LogLevel::kError,
            retry ? "notification failed; will retry" : "notification failed permanently",
            {{"receiver", e.integration.receiver},
             {"integration", e.integration.integration},
             {"group_key", e.group_key},
             {"attempt", std::to_string(e.attempt)},
             {"err", e.error}});
}

}  // namespace herald::daemon
