"""Reload test: editing a rule file keeps firing alerts firing; a broken edit changes nothing.

herald evaluates, every second, a rule file in the test's temp dir with two groups: `serving`
(a test-sized HighErrorRate: [20s] windows, `for: 5s`, whose threshold and `revision` annotation
the test edits) and `untouched` (ModelNotLoaded, never edited), against a real Prometheus scraping
the demo exporter. With error_burst on mistral-7b and model_unloaded on phi3-mini, both alerts
fire; then:

(a) threshold 0.05 → 0.1 (still exceeded, ~25 % of requests fail) and revision v1 → v2, then
    `POST /-/reload` → 200: /api/v1/rules shows the new query, and after >= 2 more evaluations the
    alert is still firing with its original activeAt and the new annotation;
(b) the same through SIGHUP (0.1 → 0.08, v3), waiting for the "reloaded" log line;
(c) broken edits — `for: 5x` in the rule file, a YAML indentation error, a bad duration in
    herald.yml — each answer 500 naming the diagnostic exactly as `herald check` prints it
    (`file:line:col: error: …`); herald_config_last_reload_successful is 0, runtimeinfo has
    reloadConfigSuccess false and the errors, "reload failed" is logged with `err`, and the old
    rules keep evaluating (lastEvaluation advances, query unchanged, alert still firing);
(d) the file fixed (0.07, v5): reload → 200, the metric is back to 1, the success timestamp moves.

Throughout, both watched alerts never leave firing: each logs exactly inactive → pending →
firing, and keeps its activeAt.

Run: HERALD_BIN=build/app/herald python3 -m unittest -v tests/integration/test_reload.py
"""

import os
import re
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (DEFAULT_DEADLINE, IntegrationTestCase, herald_bin,  # noqa: E402
                     parse_rfc3339, wait_until)

INTERVAL_S = 1
RULES = """\
groups:
  - name: serving
    rules:
      - alert: HighErrorRate
        expr: |
          sum by (model) (rate(llm_errors_total[20s]))
            /
          sum by (model) (rate(llm_requests_total[20s]))
            > THRESHOLD
        for: FOR
        labels:
          severity: critical
        annotations:
          summary: "{{ $labels.model }}: {{ $value | humanizePercentage }} of requests failing"
          revision: "REVISION"
  - name: untouched
    rules:
      - alert: ModelNotLoaded
        expr: llm_model_loaded == 0
        for: 2s
        labels:
          severity: critical
"""
# The watched alerts, by a subset of their labels (ModelNotLoaded also has instance and job).
ERROR_RATE = {"alertname": "HighErrorRate", "model": "mistral-7b", "severity": "critical"}
NOT_LOADED = {"alertname": "ModelNotLoaded", "model": "phi3-mini", "severity": "critical"}


def rules_text(threshold, revision, for_="5s"):
    return (RULES.replace("THRESHOLD", threshold).replace("REVISION", revision)
            .replace("FOR", for_))


def position_of(text, needle):
    """(line, column), 1-based, of the first `needle` in `text`."""
    offset = text.index(needle)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def labels_text(labels):
    return "{" + ", ".join(f'{k}="{v}"' for k, v in sorted(labels.items())) + "}"


class ReloadTest(IntegrationTestCase):

    def setUp(self):
        super().setUp()
        self.exporter = self.start_exporter(seed=5)
        self.rules_path = os.path.join(self.tmp, "reload-rules.yml")
        self.write_rules(rules_text("0.05", "v1"))
        self.prom = self.start_prometheus([self.exporter.address])
        self.prom.wait_scraped()
        # Reloads only when the test asks (test_config_watch.py covers reloads on file changes).
        self.herald = self.start_herald(self.prom.url, [self.rules_path],
                                        evaluation_interval=f"{INTERVAL_S}s",
                                        extra_args=["--config.watch=false"])
        self.herald.wait_ready()

    def write_rules(self, text):
        with open(self.rules_path, "w") as f:
            f.write(text)

    def alert(self, labels):
        """The one alert whose labels include `labels`, or None."""
        found = [a for a in self.herald.alerts() if labels.items() <= a["labels"].items()]
        self.assertLessEqual(len(found), 1, f"several alerts match {labels}: {found}")
        return found[0] if found else None

    def query_of(self, group, rule):
        g = self.herald.group(group)
        return next(r for r in g["rules"] if r["name"] == rule)["query"]

    def assert_still_firing(self, since_unix, revision, threshold):
        """Waits for >= 2 evaluations of both groups after `since_unix`; meanwhile and then the
        watched alerts fire with their original activeAt; the serving rule has `threshold` and
        the alert annotation `revision`."""
        def evaluated_twice():
            for watched in (ERROR_RATE, NOT_LOADED):
                a = self.alert(watched)
                self.assertIsNotNone(a, f"{watched['alertname']} is gone")
                self.assertEqual((a["state"], a["activeAt"]),
                                 ("firing", self.active_at[watched["alertname"]]),
                                 f"{watched['alertname']} lost its firing state or activeAt")
            return all(parse_rfc3339(self.herald.group(g)["lastEvaluation"]) / 1000
                       >= since_unix + 2 * INTERVAL_S for g in ("serving", "untouched"))

        wait_until(evaluated_twice, timeout=30, interval=0.25,
                   what="two evaluations of both groups")
        self.assertIn(f"> {threshold}", self.query_of("serving", "HighErrorRate"))
        a = wait_until(lambda: (a := self.alert(ERROR_RATE)) and
                       a["annotations"].get("revision") == revision and a, timeout=10,
                       interval=0.25, what=f"annotation revision {revision}")
        self.assertEqual((a["state"], a["activeAt"]),
                         ("firing", self.active_at["HighErrorRate"]))

    def reload_status(self):
        return (self.herald.metric("herald_config_last_reload_successful"),
                self.herald.runtime_info())

    def test_reload_keeps_alerts_and_rejects_broken_edits(self):
        started = time.monotonic()
        self.exporter.start_incident("error_burst", "mistral-7b")
        self.exporter.start_incident("model_unloaded", "phi3-mini")

        def both_firing():
            alerts = [self.alert(w) for w in (ERROR_RATE, NOT_LOADED)]
            return all(a and a["state"] == "firing" for a in alerts) and alerts

        firing = wait_until(both_firing, timeout=DEFAULT_DEADLINE, interval=0.25,
                            what="HighErrorRate and ModelNotLoaded firing")
        self.active_at = {a["labels"]["alertname"]: a["activeAt"] for a in firing}
        self.full_labels = {a["labels"]["alertname"]: a["labels"] for a in firing}
        self.assertEqual(firing[0]["annotations"]["revision"], "v1")
        print(f"  both firing after {time.monotonic() - started:.1f}s", file=sys.stderr)
        successful, info = self.reload_status()
        self.assertEqual(successful, 1)
        self.assertIs(info["reloadConfigSuccess"], True, info)
        start_time = info["startTime"]
        config_time = info["lastConfigTime"]

        # (a) POST /-/reload with a new threshold and annotation.
        self.write_rules(rules_text("0.1", "v2"))
        reload_at = time.time()
        status, body = self.herald.reload()
        self.assertEqual(status, 200, body)
        self.assertIn("> 0.1", self.query_of("serving", "HighErrorRate"),
                      "/api/v1/rules right after a successful reload")
        self.assert_still_firing(reload_at, "v2", "0.1")
        successful, info = self.reload_status()
        self.assertEqual(successful, 1)
        self.assertIs(info["reloadConfigSuccess"], True, info)
        self.assertEqual(info["startTime"], start_time)
        self.assertNotEqual(info["lastConfigTime"], config_time, "a reload's lastConfigTime")
        self.last_config_time = info["lastConfigTime"]
        self.assertFalse(info.get("lastReloadErrors"), info)
        success_ts = self.herald.metric("herald_config_last_reload_success_timestamp_seconds")
        self.assertGreaterEqual(success_ts, reload_at - 1)

        # (b) SIGHUP.
        self.write_rules(rules_text("0.08", "v3"))
        reloaded = len(self.herald.log_lines("reloaded"))
        reload_at = time.time()
        self.herald.sighup()
        wait_until(lambda: len(self.herald.log_lines("reloaded")) > reloaded, timeout=30,
                   interval=0.1, what='"reloaded" logged after SIGHUP')
        self.assertIn("> 0.08", self.query_of("serving", "HighErrorRate"))
        self.assert_still_firing(reload_at, "v3", "0.08")
        successful, info = self.reload_status()
        self.assertEqual(successful, 1)
        self.assertNotEqual(info["lastConfigTime"], self.last_config_time)
        self.last_config_time = info["lastConfigTime"]
        success_ts = self.herald.metric("herald_config_last_reload_success_timestamp_seconds")
        self.assertGreaterEqual(success_ts, reload_at - 1)

        # (c) Broken edits: each rejected, reported, and the v3 rules keep running.
        good_rules = rules_text("0.08", "v3")
        bad_for = rules_text("0.5", "v4", for_="5x")
        line, col = position_of(bad_for, "5x")
        bad_indent = good_rules.replace("        for: 5s", "       for: 5s")
        with open(self.herald.config_path) as f:
            good_config = f.read()
        bad_config = good_config.replace(f"evaluation_interval: {INTERVAL_S}s",
                                         "evaluation_interval: 1x")
        self.assertNotEqual(bad_config, good_config)
        cases = [
            ("for: 5x", self.rules_path, bad_for,
             f"{self.rules_path}:{line}:{col}: error: "),
            ("YAML indentation", self.rules_path, bad_indent, f"{self.rules_path}:"),
            ("herald.yml duration", self.herald.config_path, bad_config,
             f"{self.herald.config_path}:{position_of(bad_config, '1x')[0]}:"),
        ]
        for what, path, text, expected in cases:
            with self.subTest(broken=what):
                self.check_broken_reload(what, path, text, expected, success_ts)
            with open(path, "w") as f:
                f.write(good_config if path == self.herald.config_path else good_rules)

        # (d) Fixed: reload succeeds again.
        self.write_rules(rules_text("0.07", "v5"))
        reload_at = time.time()
        status, body = self.herald.reload()
        self.assertEqual(status, 200, body)
        successful, info = self.reload_status()
        self.assertEqual(successful, 1)
        self.assertIs(info["reloadConfigSuccess"], True, info)
        self.assertFalse(info.get("lastReloadErrors"), info)
        self.assertGreater(
            self.herald.metric("herald_config_last_reload_success_timestamp_seconds"), success_ts)
        self.assert_still_firing(reload_at, "v5", "0.07")

        for watched in (ERROR_RATE, NOT_LOADED):
            full = labels_text(self.full_labels[watched["alertname"]])
            log = [(t["from"], t["to"]) for t in self.herald.transitions() if t["labels"] == full]
            self.assertEqual(log, [("inactive", "pending"), ("pending", "firing")],
                             f"{watched['alertname']} should have fired once and never left firing")
        print(f"  reload test took {time.monotonic() - started:.1f}s", file=sys.stderr)

    def check_broken_reload(self, what, path, text, expected, success_ts):
        diagnostics = self.check_diagnostics(path, text)
        failed_before = len(self.herald.log_lines("reload failed"))
        reload_at = time.time()
        status, body = self.herald.reload()
        self.assertEqual(status, 500, f"{what}: {body}")
        self.assertIn(expected, body, f"{what}: the reply should name the error's position")
        for d in diagnostics:  # exactly what `herald check` reports
            self.assertIn(d, body, f"{what}: the reply should hold every diagnostic")
        successful, info = self.reload_status()
        self.assertEqual(successful, 0, what)
        self.assertEqual(self.herald.metric("herald_config_last_reload_success_timestamp_seconds"),
                         success_ts, f"{what}: a failed reload moved the success timestamp")
        self.assertIs(info["reloadConfigSuccess"], False, info)
        self.assertEqual(info["lastConfigTime"], self.last_config_time,
                         f"{what}: a failed reload moved lastConfigTime")
        self.assertTrue(any(e.startswith(expected) for e in info["lastReloadErrors"]),
                        f"{what}: runtimeinfo lastReloadErrors {info['lastReloadErrors']}")
        for d in diagnostics:
            self.assertIn(d, info["lastReloadErrors"])
        failed = self.herald.log_lines("reload failed")
        self.assertGreater(len(failed), failed_before, f'{what}: no "reload failed" logged')
        self.assertIn(expected, failed[-1].get("err", ""), f"{what}: {failed[-1]}")
        self.assertIn("> 0.08", self.query_of("serving", "HighErrorRate"))
        self.assert_still_firing(reload_at, "v3", "0.08")
        print(f"  {what}: {diagnostics[0]}", file=sys.stderr)

    def check_diagnostics(self, path, text):
        """Writes `text` to `path`; returns the error lines `herald check` prints for it."""
        with open(path, "w") as f:
            f.write(text)
        if path == self.herald.config_path:
            args = [herald_bin(), "check", "config", path]
        else:
            args = [herald_bin(), "check", "rules", path]
        out = subprocess.run(args, capture_output=True, text=True, timeout=30)
        self.assertEqual(out.returncode, 1, f"herald check should reject it: {out}")
        errors = [line for line in (out.stdout + out.stderr).splitlines()
                  if re.match(r".+:\d+:\d+: error: ", line)]
        self.assertTrue(errors, f"herald check printed no file:line:col error: {out}")
        return errors


if __name__ == "__main__":
    unittest.main(verbosity=2)
