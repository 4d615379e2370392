"""A real Prometheus sends its alerts to herald as to an Alertmanager.

Prometheus (Debian package) evaluates a rule that always fires and a rule that fires for one
model, with `alerting.alertmanagers` pointing at herald's /api/v2/alerts. herald must accept
Prometheus's own requests, list the alerts in GET /api/v2/alerts with Prometheus's labels (its
external labels included), startsAt and generatorURL, and route them to its webhook receiver.
"""

import os

import harness

RULES = """\
groups:
  - name: sender
    rules:
      - alert: AlwaysFiring
        expr: vector(1)
        labels: {severity: page}
        annotations: {summary: "always"}
"""

ROUTING = """\
route:
  receiver: sink
  group_by: [alertname, cluster]
  group_wait: 1s
  group_interval: 2s
receivers:
  - name: sink
    webhook_configs: [{{url: "{url}"}}]
"""


class PrometheusSenderTest(harness.IntegrationTestCase):
    def test_prometheus_alerts_reach_herald_over_api_v2(self):
        sink = harness.WebhookSink()
        self.addCleanup(sink.close)
        herald = self.start_herald("http://127.0.0.1:9", [],
                                   extra_config=ROUTING.format(url=sink.url + "/herald/sink"))
        rules = os.path.join(self.tmp, "sender.yml")
        with open(rules, "w") as f:
            f.write(RULES)
        prom = self.start_prometheus([], rule_files=[rules], external_labels={"cluster": "kr-1"},
                                     alertmanagers=[f"127.0.0.1:{herald.port}"],
                                     # Its first send can race the Alertmanager discovery (the
                                     # alert is dropped); re-send every second, not every minute.
                                     extra_args=["--rules.alert.resend-delay=1s"])

        def received():
            alerts = harness.get_json(herald.url + "/api/v2/alerts")
            return [a for a in alerts if a["labels"].get("alertname") == "AlwaysFiring"]

        [alert] = harness.wait_until(received, timeout=60, what="Prometheus's alert in herald")
        self.assertEqual(alert["labels"], {"alertname": "AlwaysFiring", "severity": "page",
                                           "cluster": "kr-1"})
        self.assertEqual(alert["annotations"], {"summary": "always"})
        self.assertEqual(alert["status"]["state"], "active")
        self.assertEqual([r["name"] for r in alert["receivers"]], ["sink"])
        self.assertTrue(alert["generatorURL"].startswith(prom.url + "/graph?g0.expr="),
                        alert["generatorURL"])
        # Prometheus's own ActiveAt is the startsAt it sent.
        [rule_alert] = [a for a in prom.alerts() if a["labels"]["alertname"] == "AlwaysFiring"]
        self.assertEqual(harness.parse_rfc3339(alert["startsAt"]) // 1000,
                         harness.parse_rfc3339(rule_alert["activeAt"]) // 1000)

        notes = harness.wait_until(lambda: sink.notifications("herald"), timeout=30,
                                   what="the webhook notification")
        (receiver, group_key, firing, resolved), _ = notes[0]
        self.assertEqual((receiver, group_key), ("sink", '{}:{alertname="AlwaysFiring", cluster="kr-1"}'))
        self.assertEqual(firing, (alert["fingerprint"],))
        self.assertEqual(resolved, ())
