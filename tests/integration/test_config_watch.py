"""herald reloads by itself when its files change, as Kubernetes changes them.

herald.yml and the rule file live in two directories laid out as a kubelet lays out a ConfigMap
volume: each file is a symlink through `..data` to a timestamped directory, and an update writes
a new directory and renames a new `..data` symlink over the old one, so no watched file's own
inode changes. herald evaluates a test-sized HighErrorRate (threshold 0.05) against a real
Prometheus while error_burst runs on mistral-7b. Then, with no signal and no POST:

(a) the rules ConfigMap moves to a version with threshold 0.1 (still exceeded): within 5 s
    /api/v1/rules shows it, "reloaded" is logged once with trigger "file change", and the alert
    is still firing with its original activeAt;
(b) it moves to a version with `for: 5x`: within 5 s "reload failed" is logged naming the file,
    line and column, herald_config_last_reload_successful is 0, and the 0.1 rules keep
    evaluating with the alert firing;
(c) an unrelated file in the same directory changes: nothing reloads.
"""

import os
import sys
import time

import harness

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
"""
WATCHED = {"alertname": "HighErrorRate", "model": "mistral-7b"}
PICKUP_S = 5.0


class ConfigMapVolume:
    """A directory laid out as kubelet's ConfigMap volume; update() swaps `..data` atomically."""

    def __init__(self, path):
        self.path = path
        self.version = 0
        os.makedirs(path)

    def update(self, files):
        self.version += 1
        target = f"..2026_12_08_{self.version:02d}"
        os.makedirs(os.path.join(self.path, target))
        for name, text in files.items():
            with open(os.path.join(self.path, target, name), "w") as f:
                f.write(text)
        tmp_link = os.path.join(self.path, "..data_tmp")
        os.symlink(target, tmp_link)
        os.rename(tmp_link, os.path.join(self.path, "..data"))
        for name in files:
            link = os.path.join(self.path, name)
            if not os.path.islink(link):
                os.symlink(os.path.join("..data", name), link)

    def file(self, name):
        return os.path.join(self.path, name)


def rules(threshold, for_="5s"):
    return RULES.replace("THRESHOLD", threshold).replace("FOR", for_)


class ConfigWatchTest(harness.IntegrationTestCase):
    def setUp(self):
        super().setUp()
        self.exporter = self.start_exporter(seed=5)
        self.prom = self.start_prometheus([self.exporter.address])
        self.prom.wait_scraped()
        self.rules = ConfigMapVolume(os.path.join(self.tmp, "rules"))
        self.rules.update({"llm.yml": rules("0.05")})
        # harness.Herald writes herald.yml; serve it from a ConfigMap volume of its own.
        self.herald = self.start_herald(self.prom.url, [self.rules.file("llm.yml")],
                                        evaluation_interval="1s")
        self.herald.process.stop()
        with open(self.herald.config_path) as f:
            config_text = f.read()
        self.config = ConfigMapVolume(os.path.join(self.tmp, "config"))
        self.config.update({"herald.yml": config_text})
        self.herald.config_path = self.config.file("herald.yml")
        self.herald.start()

    def alert(self):
        found = [a for a in self.herald.alerts() if WATCHED.items() <= a["labels"].items()]
        return found[0] if found else None

    def query(self):
        return self.herald.group("serving")["rules"][0]["query"]

    def reloads(self, msg):
        return self.herald.log_lines(msg, current_run=True)

    def test_configmap_updates_reload_without_a_signal(self):
        self.exporter.start_incident("error_burst", "mistral-7b")
        firing = harness.wait_until(lambda: (a := self.alert()) and a["state"] == "firing" and a,
                                    timeout=harness.DEFAULT_DEADLINE, interval=0.25,
                                    what="HighErrorRate firing")
        active_at = firing["activeAt"]

        # (a) a new threshold.
        swapped = time.monotonic()
        self.rules.update({"llm.yml": rules("0.1")})
        harness.wait_until(lambda: "> 0.1" in self.query(), timeout=PICKUP_S, interval=0.05,
                           what="the new threshold in /api/v1/rules")
        print(f"  picked up {time.monotonic() - swapped:.2f}s after the swap", file=sys.stderr)
        self.assertEqual([r["trigger"] for r in self.reloads("reloaded")], ["file change"])
        evaluated = self.herald.group("serving")["lastEvaluation"]
        harness.wait_until(lambda: self.herald.group("serving")["lastEvaluation"] != evaluated,
                           timeout=10, interval=0.1, what="an evaluation with the new rules")
        a = self.alert()
        self.assertEqual((a["state"], a["activeAt"]), ("firing", active_at))

        # (b) a broken version: the old rules stay.
        self.rules.update({"llm.yml": rules("0.5", for_="5x")})
        failed = harness.wait_until(lambda: self.reloads("reload failed"), timeout=PICKUP_S,
                                    interval=0.05, what='"reload failed" after the bad swap')
        self.assertEqual(failed[0]["trigger"], "file change")
        self.assertIn(f"{self.rules.file('llm.yml')}:10:14: error:", failed[0]["err"])
        self.assertEqual(self.herald.metric("herald_config_last_reload_successful"), 0)
        self.assertIn("> 0.1", self.query())
        evaluated = self.herald.group("serving")["lastEvaluation"]
        harness.wait_until(lambda: self.herald.group("serving")["lastEvaluation"] != evaluated,
                           timeout=10, interval=0.1, what="the old rules still evaluating")
        a = self.alert()
        self.assertEqual((a["state"], a["activeAt"]), ("firing", active_at))

        # (c) other files beside the watched ones wake nothing, and the fixed file reloads.
        with open(os.path.join(self.rules.path, "notes.txt"), "w") as f:
            f.write("not a rule file")
        self.rules.update({"llm.yml": rules("0.08")})
        harness.wait_until(lambda: "> 0.08" in self.query(), timeout=PICKUP_S, interval=0.05,
                           what="the fixed rules")
        self.assertEqual(len(self.reloads("reloaded")), 2)
        self.assertEqual(self.herald.metric("herald_config_last_reload_successful"), 1)


class ConfigWatchOffTest(harness.IntegrationTestCase):
    def test_config_watch_false_leaves_reloads_to_signals(self):
        rules_path = os.path.join(self.tmp, "rules.yml")
        with open(rules_path, "w") as f:
            f.write(rules("0.05"))
        herald = self.start_herald("http://127.0.0.1:9", [rules_path],
                                   extra_args=["--config.watch=false"])
        with open(rules_path, "w") as f:
            f.write(rules("0.1"))
        status, _ = herald.reload()  # the change is real: a reload takes it
        self.assertEqual(status, 200)
        with open(rules_path, "w") as f:
            f.write(rules("0.2"))
        time.sleep(2.5)  # a watcher reloads within ~1 s; an absence has nothing to poll for
        self.assertIn("> 0.1", herald.group("serving")["rules"][0]["query"])
        self.assertEqual([r["trigger"] for r in herald.log_lines("reloaded")], ["HTTP"])


if __name__ == "__main__":
    import unittest
    unittest.main(verbosity=2)
