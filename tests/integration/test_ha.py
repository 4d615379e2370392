"""High availability as deploy/kubernetes/overlays/ha runs it: two herald replicas, one
Alertmanager cluster.

Two `herald run` evaluate the same test-sized HighErrorRate against one real Prometheus and
forward every alert through `alertmanager_configs` to both members of a real two-node
Alertmanager cluster (Debian prometheus-alertmanager 0.25, gossiping on 127.0.0.1), which routes
to a webhook sink. An error burst makes the alert fire:

1. The sink gets exactly one firing notification for the group, though four copies of the
   alert arrived (two heralds × two Alertmanagers): identical labels merge, the cluster's
   notification log deduplicates.
2. One herald replica is killed with SIGKILL while the alert fires. For several of the
   survivor's resend intervals (longer than the killed replica's EndsAt) nothing resolves at
   either Alertmanager and no notification is sent.
3. The burst ends: exactly one resolve arrives.
"""

import json
import os
import time

import harness

INTERVAL_S = 1
RESEND_S = 2
RULES = """\
groups:
  - name: serving
    rules:
      - alert: HighErrorRate
        expr: |
          sum by (model) (rate(llm_errors_total[20s]))
            /
          sum by (model) (rate(llm_requests_total[20s]))
            > 0.05
        for: 2s
        labels:
          severity: critical
"""
HERALD_ROUTING = """\
route:
  receiver: alertmanager
  group_by: ['...']
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: alertmanager
    alertmanager_configs:
      - urls: [{urls}]
        resend_interval: {resend}s
"""
AM_CONFIG = """\
route:
  receiver: sink
  group_by: [alertname, model]
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 1h
receivers:
  - name: sink
    webhook_configs:
      - url: {url}/ha/{name}
        send_resolved: true
"""
WATCHED = {"alertname": "HighErrorRate", "model": "mistral-7b"}


def get_json(url):
    status, body = harness.http("GET", url)
    if status != 200:
        raise AssertionError(f"GET {url}: {status} {body[:200]}")
    return json.loads(body)


class HaTest(harness.IntegrationTestCase):
    def setUp(self):
        super().setUp()
        self.sink = harness.WebhookSink()
        self.addCleanup(self.sink.close)
        ports = [harness.free_port(), harness.free_port()]
        self.ams = []
        for i in range(2):
            cluster = [f"--cluster.listen-address=127.0.0.1:{ports[i]}",
                       f"--cluster.peer=127.0.0.1:{ports[1 - i]}",
                       "--cluster.peer-timeout=2s", "--cluster.settle-timeout=2s",
                       "--cluster.pushpull-interval=2s"]
            self.ams.append(harness.start_alertmanager(
                self, AM_CONFIG.format(url=self.sink.url, name=f"am{i}"), name=f"am{i}",
                cluster_args=cluster))
        harness.wait_until(lambda: all(len(get_json(am + "/api/v2/status")
                                           ["cluster"]["peers"]) == 2 for am in self.ams),
                           timeout=30, what="the Alertmanagers joined one cluster")
        self.exporter = self.start_exporter(seed=5)
        self.prom = self.start_prometheus([self.exporter.address])
        self.prom.wait_scraped()
        rules = os.path.join(self.tmp, "rules.yml")
        with open(rules, "w") as f:
            f.write(RULES)
        routing = HERALD_ROUTING.format(urls=", ".join(f'"{am}"' for am in self.ams),
                                        resend=RESEND_S)
        self.heralds = [self.start_herald(self.prom.url, [rules], name=f"herald-{i}",
                                          evaluation_interval=f"{INTERVAL_S}s",
                                          extra_config=routing) for i in range(2)]

    def notifications(self):
        """[(status, alertname, model)] the sink got from either Alertmanager, in order."""
        out = []
        with self.sink.lock:
            for path, body, _ in self.sink.received:
                if body["groupLabels"].get("alertname") == "HighErrorRate":
                    out.append((body["status"], body["groupLabels"]["model"], path))
        return [n for n in out if n[1] == WATCHED["model"]]

    def active_at(self, am):
        alerts = get_json(am + "/api/v2/alerts")
        return [a for a in alerts if WATCHED.items() <= a["labels"].items()
                and a["status"]["state"] == "active"]

    def test_two_replicas_page_once_and_survive_a_kill(self):
        self.exporter.start_incident("error_burst", WATCHED["model"])
        harness.wait_until(lambda: self.notifications(), timeout=harness.DEFAULT_DEADLINE,
                           interval=0.25, what="the firing notification")
        for h in self.heralds:  # both replicas fire the same alert, with the same labels
            harness.wait_until(lambda h=h: any(WATCHED.items() <= a["labels"].items() and
                                               a["state"] == "firing" for a in h.alerts()),
                               timeout=10, what=f"{h.name} firing")
        # Both Alertmanagers hold it, and a duplicate would have come by now: a second
        # member waits its peer position × peer-timeout (2 s) before it sends.
        harness.wait_until(lambda: all(self.active_at(am) for am in self.ams), timeout=10,
                           what="the alert active at both Alertmanagers")
        time.sleep(4.0)  # the second member's turn has passed: an absence, nothing to poll
        self.assertEqual([n[0] for n in self.notifications()], ["firing"],
                         self.notifications())

        # A replica dies; the survivor keeps the alert alive past the dead one's EndsAt.
        self.heralds[1].kill()
        killed = time.monotonic()
        while time.monotonic() - killed < 5 * RESEND_S:
            for am in self.ams:
                self.assertTrue(self.active_at(am), f"{am} lost the alert after the kill")
            time.sleep(0.5)
        self.assertEqual([n[0] for n in self.notifications()], ["firing"],
                         "a notification after the kill")

        self.exporter.clear_incident("error_burst", WATCHED["model"])
        harness.wait_until(lambda: [n[0] for n in self.notifications()] == ["firing", "resolved"],
                           timeout=harness.DEFAULT_DEADLINE, interval=0.25,
                           what="one resolve")
        time.sleep(4.0)  # as above: a second resolve would have come by now
        self.assertEqual([n[0] for n in self.notifications()], ["firing", "resolved"],
                         self.notifications())


if __name__ == "__main__":
    import unittest
    unittest.main(verbosity=2)
