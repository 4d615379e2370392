"""Prometheus unreachable for a long time while alerts fire.

herald evaluates the shipped rules (test-sized) against a real Prometheus scraping the demo
exporter, through a TCP proxy (tests/reliability/peers.py OutageProxy). With incidents on and
their alerts' firing notifications delivered to a webhook, the proxy cuts herald off from
Prometheus for OUTAGE_S — Prometheus itself keeps scraping, so when the proxy mends, the data is
whole and any resolve would be herald's doing. The incidents stay on throughout. The test proves:

1. No resolve is sent for any alert that was firing before the outage: not during it, not
   after it (checked until several healthy evaluations after the proxy mended), and those
   alerts are still firing with their original activeAt.
2. Exactly one HeraldDatasourceUnreachable notification while Prometheus is unreachable, no
   earlier than unreachable_after after the cut; and exactly one resolve of it once
   Prometheus is back.
3. Nothing else reaches the receivers during the outage (nothing new fires, nothing resolves).

CI: a 40 s outage, unreachable_after 5s, evaluation every 1 s. HERALD_RELIABILITY_LONG=1: 10
minutes, unreachable_after 1m, evaluation every 2 s.
"""

import os
import time
import unittest

import peers
import reliability
from reliability import harness, pick, report

OUTAGE_S = pick(40.0, 600.0)
UNREACHABLE_AFTER_S = pick(5, 60)
INTERVAL_S = pick(1, 2)
RULE_FILE = os.path.join(harness.SOURCE_DIR, "rules", "llm-serving.yml")
INCIDENTS = [("model_unloaded", "phi3-mini", {}), ("error_burst", "mistral-7b", {})]
META = "HeraldDatasourceUnreachable"
ROUTING = """\
route:
  receiver: meta
  group_by: [alertname, datasource]
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 1h
  routes:
    - matchers: ['alertname!~"Herald.*"']
      receiver: all
      group_by: ['...']
receivers:
  - name: meta
    webhook_configs: [{{url: "{sink}/o/meta"}}]
  - name: all
    webhook_configs: [{{url: "{sink}/o/all"}}]
"""


class DatasourceOutageTest(harness.IntegrationTestCase):
    maxDiff = None

    def setUp(self):
        super().setUp()
        self.sink = harness.WebhookSink()
        self.addCleanup(self.sink.close)
        self.exporter = self.start_exporter(seed=5)
        rules = harness.make_test_sized_rules(RULE_FILE, os.path.join(self.tmp, "rules.yml"))
        self.prom = self.start_prometheus([self.exporter.address])
        self.prom.wait_scraped()
        self.proxy = peers.OutageProxy(("127.0.0.1", self.prom.port))
        self.addCleanup(self.proxy.close)
        self.herald = self.start_herald(self.proxy.url, [rules],
                                        evaluation_interval=f"{INTERVAL_S}s",
                                        unreachable_after=f"{UNREACHABLE_AFTER_S}s",
                                        extra_config=ROUTING.format(sink=self.sink.url))

    def notes(self, receiver):
        return reliability.webhook_notes(self.sink, f"o/{receiver}")

    def firing(self):
        return {tuple(sorted(a["labels"].items())): a["activeAt"] for a in self.herald.alerts()
                if a["state"] == "firing" and not a["labels"]["alertname"].startswith("Herald")}

    def meta_notes(self):
        return [n for n in self.notes("meta") if dict(n.group).get("alertname") == META]

    def wait_evaluated(self, t):
        """Waits until the rule group's last evaluation is at wall time `t` or later."""
        def evaluated():
            group = self.herald.group("llm-serving")
            return group if harness.parse_rfc3339(group["lastEvaluation"]) / 1000 >= t else None
        return harness.wait_until(evaluated, timeout=60, what="an evaluation after the mend")

    def test_long_outage_resolves_nothing_and_pages_once(self):
        started = time.time()
        report(f"{OUTAGE_S:.0f}s outage, unreachable_after {UNREACHABLE_AFTER_S}s")
        for kind, model, params in INCIDENTS:
            self.exporter.start_incident(kind, model, **params)
        models = {m for _, m, _ in INCIDENTS}

        def all_firing_and_notified():
            firing = self.firing()
            if {dict(k)["model"] for k in firing} != models:
                return None
            notified = {n.group for n in self.notes("all") if n.firing}
            return firing if set(firing) <= notified else None

        harness.wait_until(all_firing_and_notified, timeout=90,
                           what="every incident's alerts firing and notified")
        self.wait_evaluated(time.time() + 2 * INTERVAL_S)  # nothing else is about to fire
        before = harness.wait_until(all_firing_and_notified, what="the alerts still firing")
        count_before = len(self.notes("all"))

        self.proxy.cut()
        cut = time.time()
        while time.time() - cut < OUTAGE_S:  # watched every second: nothing may reach "all"
            arrived = self.notes("all")[count_before:]
            self.assertEqual(arrived, [], "rule notifications while Prometheus is unreachable")
            time.sleep(min(1.0, max(0.0, cut + OUTAGE_S - time.time())))
        self.proxy.mend()
        mended = time.time()
        during = [n for n in self.notes("all")[count_before:] if n.at < mended]
        meta_during = [n for n in self.meta_notes() if n.at < mended]

        # Several healthy evaluations, the meta-alert's resolve, then no notification for two
        # group_intervals: a resolve of the rules' alerts would have arrived by then.
        group = self.wait_evaluated(mended + 5 * INTERVAL_S)
        self.assertEqual([r["health"] for r in group["rules"] if r["health"] != "ok"], [])
        harness.wait_until(lambda: any(n.resolved for n in self.meta_notes()), timeout=60,
                           what=f"the {META} resolve")
        reliability.settle(lambda: len(self.sink.received), quiet_for=4, timeout=60,
                           what="no more notifications")
        after = self.firing()
        report(f"{len(before)} alerts firing before the outage; {self.proxy.dropped} connections "
               f"dropped during it; {len(during)} notifications of rule alerts during it; "
               f"{META}: {[(bool(n.firing), round(n.at - cut, 1)) for n in self.meta_notes()]} "
               f"(firing?, seconds after the cut)")

        fingerprints = {fp for n in self.notes("all") if n.group in before for fp in n.firing}
        resolves = [(dict(n.group)["alertname"], dict(n.group)["model"], round(n.at - cut, 1))
                    for n in self.notes("all") if set(n.resolved) & fingerprints]
        self.assertEqual(resolves, [], "resolves sent for alerts firing before the outage")
        self.assertEqual(during, [], "rule notifications while Prometheus was unreachable")
        for key, active_at in before.items():
            self.assertEqual(after.get(key), active_at,
                             f"{dict(key)} firing since {active_at} before the outage")
        firing_meta = [n for n in self.meta_notes() if n.firing]
        resolved_meta = [n for n in self.meta_notes() if n.resolved]
        self.assertEqual(len(meta_during), 1, f"{META} notifications during the outage: "
                         f"{meta_during}")
        self.assertEqual(len(firing_meta), 1, f"{META} firing notifications: {firing_meta}")
        self.assertGreaterEqual(firing_meta[0].at - cut, UNREACHABLE_AFTER_S,
                                f"{META} before unreachable_after")
        self.assertEqual(len(resolved_meta), 1, f"{META} resolves: {resolved_meta}")
        self.assertGreater(resolved_meta[0].at, mended)
        report(f"test took {time.time() - started:.0f}s")


if __name__ == "__main__":
    unittest.main(verbosity=2)
