// The delivery metrics: a delivery whose record failed counts once as delivered and once as
// unrecorded, and the unrecorded gauge follows the held deliveries until their records are written.
#include "daemon/delivery_reporter.h"

#include <catch2/catch.hpp>

namespace herald::daemon {
namespace {

router::DeliveryEvent delivered(router::RecordState record) {
  router::DeliveryEvent e;
  e.integration = {"team", "slack", 0};
  e.group_key = "{}:{alertname=\"A\"}";
  e.outcome = DeliveryOutcome::kDelivered;
  e.attempt = 1;
  e.record = record;
  if (record == router::RecordState::kUnrecorded) e.error = "recording delivery: disk full";
  return e;
}

}  // namespace

TEST_CASE("delivery reporter: unrecorded deliveries are counted once and gauged until recorded",
          "[daemon]") {
  MetricsRegistry registry;
  DeliveryReporter reporter(registry);
  const LabelSet team{{"receiver", "team"}, {"integration", "slack"}};
  // Registering a name again returns the reporter's family.
  auto value = [&](const std::string& name, const LabelSet& labels = {}) {
    return registry.counter(name, "").value(labels);
  };
  CHECK(value("herald_notifications_unrecorded") == 0);

  reporter.report(delivered(router::RecordState::kRecorded), 0);
  reporter.report(delivered(router::RecordState::kUnrecorded), 1);
  reporter.report(delivered(router::RecordState::kUnrecorded), 2);
  CHECK(value("herald_notifications_total", team) == 3);
  CHECK(value("herald_notifications_unrecorded_total", team) == 2);
  CHECK(value("herald_notifications_unrecorded") == 2);

  router::DeliveryEvent late = delivered(router::RecordState::kRecordedLate);
  reporter.report(late, 1);
  CHECK(value("herald_notifications_unrecorded") == 1);
  reporter.report(late, 0);
  CHECK(value("herald_notifications_unrecorded") == 0);
  // A late record is neither a delivery nor an attempt.
  CHECK(value("herald_notifications_total", team) == 3);
  CHECK(value("herald_notifications_unrecorded_total", team) == 2);
}

}  // namespace herald::daemon
