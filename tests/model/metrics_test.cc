// The exposition text herald serves at /metrics, checked line by line.
#include "model/metrics.h"

#include <catch2/catch.hpp>
#include <cmath>

using herald::LabelSet;
using herald::MetricsRegistry;

TEST_CASE("metrics: counters, gauges and histograms render in text format 0.0.4", "[model]") {
  MetricsRegistry r;
  auto& evals = r.counter("herald_rule_evaluations_total", "Rule group evaluations.");
  evals.inc({{"rule_group", "llm"}});
  evals.inc({{"rule_group", "llm"}}, 2);
  auto& alerts = r.gauge("herald_alerts", "Alerts by state.");
  alerts.set({{"state", "firing"}}, 3);
  alerts.set({{"state", "a\"b\\c\nd"}}, 1);
  auto& lat = r.histogram("herald_notification_latency_seconds", "Latency.", {0.1, 1});
  lat.observe({}, 0.05);
  lat.observe({}, 0.5);
  lat.observe({}, 5);

  const std::string want =
      "# HELP herald_alerts Alerts by state.\n"
      "# TYPE herald_alerts gauge\n"
      "herald_alerts{state=\"a\\\"b\\\\c\\nd\"} 1\n"
      "herald_alerts{state=\"firing\"} 3\n"
      "# HELP herald_notification_latency_seconds Latency.\n"
      "# TYPE herald_notification_latency_seconds histogram\n"
      "herald_notification_latency_seconds_bucket{le=\"0.1\"} 1\n"
      "herald_notification_latency_seconds_bucket{le=\"1\"} 2\n"
      "herald_notification_latency_seconds_bucket{le=\"+Inf\"} 3\n"
      "herald_notification_latency_seconds_sum 5.55\n"
      "herald_notification_latency_seconds_count 3\n"
      "# HELP herald_rule_evaluations_total Rule group evaluations.\n"
      "# TYPE herald_rule_evaluations_total counter\n"
      "herald_rule_evaluations_total{rule_group=\"llm\"} 3\n";
  CHECK(r.render() == want);
  CHECK(evals.value({{"rule_group", "llm"}}) == 3);
}

TEST_CASE("metrics: special float values", "[model]") {
  CHECK(herald::format_metric_value(NAN) == "NaN");
  CHECK(herald::format_metric_value(INFINITY) == "+Inf");
  CHECK(herald::format_metric_value(-INFINITY) == "-Inf");
  CHECK(herald::format_metric_value(1e-9) == "1e-09");
  CHECK(herald::format_metric_value(1700000000.5) == "1700000000.5");
}
