// DeliveryReporter: each outbox DeliveryEvent (router/outbox_delivery.h) as one log line and the
// router's delivery self-metrics. A delivery whose record failed is reported once, with the
// delivery, and once more when its record is written. Thread-safe.
#pragma once

#include <cstddef>

#include "model/metrics.h"
#include "router/outbox_delivery.h"

namespace herald::daemon {

class DeliveryReporter {
 public:
  // `metrics` must outlive the reporter.
  explicit DeliveryReporter(MetricsRegistry& metrics);

  // `unrecorded`: how many delivered notifications are unrecorded once `e` happened.
  void report(const router::DeliveryEvent& e, size_t unrecorded);

 private:
  void report_late_record(const router::DeliveryEvent& e, size_t unrecorded);

  MetricFamily& sent_;
  MetricFamily& failed_;
  MetricFamily& latency_;
  MetricFamily& unrecorded_total_;
  MetricFamily& unrecorded_;
};

}  // namespace herald::daemon
