"""Fault test: herald's datasource goes away while an alert fires, and comes back.

herald (unreachable_after: 5s) evaluates the shipped rules (test-sized) against a real Prometheus
scraping the demo exporter. With ModelNotLoaded firing (model_unloaded: its value is a stable 0),
Prometheus is stopped for longer than unreachable_after, then restarted on the same port with the
same TSDB (its data continues). The test proves herald's documented deviation from Prometheus
(docs/compatibility.md "Deliberate differences"; README "How herald differs from Prometheus"):

- while Prometheus is down, every rule of the group has health "err" with a lastError, nothing
  resolves (no alert leaves firing, none changes its ActiveAt, the log has no transition of the
  group at all: its state is frozen);
- HeraldDatasourceUnreachable{datasource="prometheus",severity="critical"} fires, in group
  "herald" of file "<herald>", no earlier than unreachable_after after Prometheus went away;
- when Prometheus is back, the rules are healthy again, HeraldDatasourceUnreachable resolves, and
  ModelNotLoaded is still firing with its original ActiveAt — it never left firing.

Run: HERALD_BIN=build/app/herald python3 -m unittest -v tests/integration/test_datasource_fault.py
"""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (DEFAULT_DEADLINE, SOURCE_DIR, IntegrationTestCase,  # noqa: E402
                     make_test_sized_rules, parse_rfc3339, wait_until)

RULE_FILE = os.path.join(SOURCE_DIR, "rules", "llm-serving.yml")
UNREACHABLE_AFTER_MS = 5000
MODEL = "phi3-mini"
META = {"alertname": "HeraldDatasourceUnreachable", "datasource": "prometheus",
        "severity": "critical"}


def key_of(labels):
    return tuple(sorted(labels.items()))


class DatasourceFaultTest(IntegrationTestCase):

    def setUp(self):
        super().setUp()
        self.exporter = self.start_exporter(seed=3)
        rules = make_test_sized_rules(RULE_FILE, os.path.join(self.tmp, "llm-serving.yml"))
        self.prom = self.start_prometheus([self.exporter.address])
        self.prom.wait_scraped()
        self.herald = self.start_herald(self.prom.url, [rules], unreachable_after="5s")
        self.herald.wait_ready()

    def group(self, name):
        return next(g for g in self.herald.rules() if g["name"] == name)

    def alerts(self):
        return {key_of(a["labels"]): a for a in self.herald.alerts()}

    def test_outage_freezes_alerts_and_fires_meta_alert(self):
        """Prometheus down > unreachable_after: rules err, states frozen, the meta-alert fires;
        Prometheus back: the meta-alert resolves, ModelNotLoaded still fires since its ActiveAt."""
        started = time.monotonic()
        self.exporter.start_incident("model_unloaded", MODEL)

        def model_not_loaded_firing():
            return [a for a in self.herald.alerts() if a["state"] == "firing" and
                    a["labels"]["alertname"] == "ModelNotLoaded" and a["labels"]["model"] == MODEL]

        firing = wait_until(model_not_loaded_firing, what="ModelNotLoaded firing in herald")[0]
        watched = key_of(firing["labels"])
        before = {k: a for k, a in self.alerts().items() if a["state"] == "firing"}
        self.assertEqual(before[watched]["activeAt"], firing["activeAt"])

        stop_ms = round(time.time() * 1000)
        self.assertEqual(self.prom.stop(), 0, "prometheus should stop cleanly on SIGTERM")
        stopped_log_lines = len(self.herald.transitions())

        def frozen(alerts):
            """Every alert firing before the outage is still firing with its ActiveAt."""
            for key, a in before.items():
                self.assertIn(key, alerts, f"{dict(key)} resolved while Prometheus was down")
                self.assertEqual((alerts[key]["state"], alerts[key]["activeAt"]),
                                 ("firing", a["activeAt"]), f"{dict(key)} changed while down")

        def meta_firing():
            alerts = self.alerts()
            frozen(alerts)
            meta = alerts.get(key_of(META))
            return meta if meta and meta["state"] == "firing" else None

        meta = wait_until(meta_firing, timeout=DEFAULT_DEADLINE, interval=0.25,
                          what="HeraldDatasourceUnreachable firing")
        meta_group = self.group("herald")
        self.assertEqual(meta_group["file"], "<herald>")
        self.assertEqual([r["name"] for r in meta_group["rules"]],
                         ["HeraldDatasourceUnreachable", "HeraldNotificationsFailing",
                          "HeraldStorageFailing"])
        # Notifications and writes are not failing (no receiver here): the others stay quiet.
        self.assertEqual([r["state"] for r in meta_group["rules"]][1:], ["inactive", "inactive"])
        meta_fired_ms = min(parse_rfc3339(t["at"]) for t in self.herald.transitions()
                            if t["alertname"] == META["alertname"] and t["to"] == "firing")
        self.assertGreaterEqual(meta_fired_ms - stop_ms, UNREACHABLE_AFTER_MS,
                                "HeraldDatasourceUnreachable fired before unreachable_after")
        self.assertEqual(meta["annotations"]["summary"],
                         "herald cannot query datasource prometheus")
        print(f"  HeraldDatasourceUnreachable fired {(meta_fired_ms - stop_ms) / 1000:.1f}s "
              f"after Prometheus stopped", file=sys.stderr)

        # Stay down a few more evaluations: rules in error, states frozen, nothing logged.
        def down_for_a_while():
            frozen(self.alerts())
            group = self.group("llm-serving")
            last_ms = parse_rfc3339(group["lastEvaluation"])
            if last_ms < meta_fired_ms + 3000:
                return False
            for rule in group["rules"]:
                self.assertEqual(rule["health"], "err", f"{rule['name']} while Prometheus is down")
                self.assertTrue(rule.get("lastError"), f"{rule['name']}: no lastError while down")
            return group

        group = wait_until(down_for_a_while, interval=0.25, what="3 more evaluations while down")
        print(f"  while down: {group['rules'][0]['name']}: {group['rules'][0]['lastError']!r}",
              file=sys.stderr)
        rule_transitions = [t for t in self.herald.transitions()[stopped_log_lines:]
                            if t["alertname"] != "HeraldDatasourceUnreachable"]
        self.assertEqual(rule_transitions, [], "alert transitions while Prometheus was down")

        self.restart_prometheus(self.prom)
        back_ms = round(time.time() * 1000)
        print(f"  Prometheus back after {(back_ms - stop_ms) / 1000:.1f}s", file=sys.stderr)

        def recovered():
            group = self.group("llm-serving")
            if parse_rfc3339(group["lastEvaluation"]) < back_ms + 3000:
                return False  # a few healthy evaluations, so a late resolve would show
            if any(r["health"] != "ok" for r in group["rules"]):
                return False
            return key_of(META) not in self.alerts()

        wait_until(recovered, timeout=DEFAULT_DEADLINE, interval=0.25,
                   what="rules healthy and HeraldDatasourceUnreachable resolved after the restart")
        after = self.alerts()
        self.assertIn(watched, after, "ModelNotLoaded resolved after Prometheus came back")
        self.assertEqual((after[watched]["state"], after[watched]["activeAt"]),
                         ("firing", firing["activeAt"]), "ModelNotLoaded lost its firing state")
        watched_log = [(t["from"], t["to"]) for t in self.herald.transitions()
                       if t["labels"] == self.labels_text(firing["labels"])]
        self.assertEqual(watched_log, [("inactive", "pending"), ("pending", "firing")],
                         "ModelNotLoaded should have fired once and never left firing")
        meta_log = [(t["from"], t["to"]) for t in self.herald.transitions()
                    if t["alertname"] == "HeraldDatasourceUnreachable"]
        self.assertEqual(meta_log[-1], ("firing", "inactive"),
                         f"HeraldDatasourceUnreachable should end resolved: {meta_log}")
        print(f"  fault test took {time.monotonic() - started:.1f}s", file=sys.stderr)

    @staticmethod
    def labels_text(labels):
        return "{" + ", ".join(f'{k}="{v}"' for k, v in sorted(labels.items())) + "}"


if __name__ == "__main__":
    unittest.main(verbosity=2)
