"""Differential test: herald's evaluator against Prometheus's own rule manager.

The same rule file (rules/llm-serving.yml, test-sized windows and `for`s) is loaded into a real
Prometheus's rule manager and into `herald run`; both query that same Prometheus, which scrapes
the demo exporter. The test injects one incident per shipped alert (on distinct models, all at
once), waits until every expected alert fires on both sides, clears the incidents and waits until
both sides are quiet again. Then it proves, per alert (identity = its exact label set):

1. State sequences are equal. herald's come from its transition log (exact evaluation times);
   Prometheus's from the ALERTS series its rule manager wrote into its own TSDB: one sample per
   evaluation at the evaluation's timestamp, so the first pending sample is ActiveAt, the first
   firing sample is the firing evaluation, and an episode ends (→ "inactive" for a pending
   alert, → "resolved" for a firing one) at the evaluation after its last sample. Every alert's
   sequence ends pending → firing → resolved, and no alert exists on one side only (so neither
   side fires for a healthy model, and herald adds no external label to an alert).
2. Each transition is within TOLERANCE_MS of Prometheus's: one scrape interval (a threshold can
   be crossed one scrape apart at different window phases) + one evaluation interval (the two
   evaluate at different phases) + 0.5 s for scrape-start jitter on a loaded machine (samples are
   stamped with the actual scrape start). No polling error enters: both sides' times are exact
   evaluation timestamps. The ActiveAt both APIs report is checked against these times.
3. Values are exact. The two evaluate at different phases, so their rate()s differ; instead each
   value herald reports (API polls and transition log) must equal, as a float, the value
   Prometheus's query API returns for that rule's expression at herald's evaluation timestamp.
   The one legitimate difference is a scrape still being committed while herald queried (it
   then saw one sample less): comparisons whose timestamp falls within the last scrape's
   duration + SETTLE_MARGIN_MS are counted "unsettled" and skipped. herald is started at a group
   phase away from the scrape phase so that this is rare; each alert needs >= 2 settled
   comparisons and at most a quarter may be unsettled.
4. Annotations are exact, three ways: (a) annotations whose template does not use the value are
   identical on both sides in every observation; (b) whenever herald and Prometheus report the
   same value for an alert (always for ModelNotLoaded, value 0; the GPU ratio once its climb
   plateaus) all annotations are identical; (c) for value-dependent annotations of noisy alerts,
   every herald observation (labels, value, annotations) becomes a `promtool test rules` case:
   Prometheus's own template engine renders the rule's annotation templates for herald's labels
   and exact value, and must produce herald's annotations byte for byte.

Run: HERALD_BIN=build/app/herald python3 -m unittest -v tests/integration/test_differential.py
"""

import json
import math
import os
import re
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (DEFAULT_DEADLINE, SOURCE_DIR, TEST_WINDOWS,  # noqa: E402
                     IntegrationTestCase, http, make_test_sized_rules, ms_to_query_time,
                     parse_rfc3339, promtool_bin, wait_until)

RULE_FILE = os.path.join(SOURCE_DIR, "rules", "llm-serving.yml")
WINDOW_SECONDS = int(TEST_WINDOWS["5m"].rstrip("s"))
INTERVAL_MS = 1000  # scrape and evaluation interval on both sides
TOLERANCE_MS = INTERVAL_MS + INTERVAL_MS + 500
SETTLE_MARGIN_MS = 250
EXTERNAL_LABELS = {"cluster": "differential"}

# (incident, model, params, [(alertname, label subset)] it must raise)
CASES = [
    ("error_burst", "mistral-7b", {}, [("HighErrorRate", {"model": "mistral-7b"})]),
    ("latency_spike", "gemma2-9b", {}, [("HighLatency", {"model": "gemma2-9b", "mode": "chat"}),
                                        ("HighLatency", {"model": "gemma2-9b",
                                                         "mode": "completion"})]),
    # Every request to an unloaded model fails, so HighErrorRate fires for it too.
    ("model_unloaded", "phi3-mini", {}, [("ModelNotLoaded", {"model": "phi3-mini"}),
                                         ("HighErrorRate", {"model": "phi3-mini"})]),
    ("gpu_memory_climb", "qwen2-72b", {"ramp_seconds": "10"},
     [("GpuOomRisk", {"pod": "vllm-qwen2-72b-0", "gpu": "0"})]),
    ("oom_errors", "mixtral-8x7b", {}, [("GpuOomRisk", {"model": "mixtral-8x7b"})]),
]
EXPECTED = [alert for _, _, _, alerts in CASES for alert in alerts]


def key_of(labels):
    return tuple(sorted(labels.items()))


def show(key):
    return "{" + ", ".join(f'{k}="{v}"' for k, v in key) + "}"


def parse_label_text(text):
    """herald's log form '{a="x", b="y"}' → dict."""
    pairs = re.findall(r'([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"', text)
    return {k: re.sub(r"\\(.)", lambda m: {"n": "\n"}.get(m.group(1), m.group(1)), v)
            for k, v in pairs}


def is_expected(labels):
    return any(labels.get("alertname") == name and all(labels.get(k) == v for k, v in sub.items())
               for name, sub in EXPECTED)


def uses_value(template):
    return bool(re.search(r"\$value|\.Value\b|\bvalue\b", template))


def promtool_value(v):
    return {"inf": "Inf", "-inf": "-Inf", "nan": "NaN"}.get(repr(v), repr(v))


class Observation:
    """One alert as an API reported it after one evaluation of its rule."""

    def __init__(self, side, rule, at_ns, alert, health="ok"):
        self.side, self.rule, self.at_ns, self.health = side, rule, at_ns, health
        self.labels = alert["labels"]
        self.key = key_of(self.labels)
        self.state = alert["state"]
        self.value = float(alert["value"])
        self.value_text = alert["value"]
        self.annotations = alert.get("annotations")
        self.active_at_ns = parse_rfc3339(alert["activeAt"], ns=True)


class Recorder:
    """Polls both sides' /api/v1/rules and /api/v1/alerts, keeping every distinct observation."""

    def __init__(self, herald, prom):
        self.herald, self.prom = herald, prom
        self.observations = {"herald": {}, "prometheus": {}}
        self.alerts = {"herald": [], "prometheus": []}  # latest /api/v1/alerts of each side
        self.label_names = set()  # every label name either /api/v1/alerts ever showed
        self.rules = {}  # Prometheus's rules API entry, by name (expr, labels, templates)

    def poll(self):
        for side, api in (("herald", self.herald), ("prometheus", self.prom)):
            for group in api.rules():
                for rule in group["rules"]:
                    if rule.get("type") != "alerting":
                        continue
                    if side == "prometheus":
                        self.rules[rule["name"]] = rule
                    at_ns = parse_rfc3339(rule["lastEvaluation"], ns=True)
                    for alert in rule["alerts"]:
                        obs = Observation(side, rule["name"], at_ns, alert, rule["health"])
                        self.observations[side].setdefault((obs.rule, at_ns, obs.key), obs)
            self.alerts[side] = api.alerts()
            for a in self.alerts[side]:
                self.label_names.update(a["labels"])
        return True

    def firing(self, side, name, subset):
        return any(a["state"] == "firing" and a["labels"].get("alertname") == name and
                   all(a["labels"].get(k) == v for k, v in subset.items())
                   for a in self.alerts[side])


def herald_sequences(herald, since_ms):
    """{alert key: [(state, at_ms, value text)]} from herald's transition log."""
    out = {}
    for t in herald.transitions():
        at_ms = parse_rfc3339(t["at"])
        if at_ms < since_ms:
            continue
        state = t["to"]
        if state == "inactive":
            state = "resolved" if t["from"] == "firing" else "inactive"
        out.setdefault(key_of(parse_label_text(t["labels"])), []).append((state, at_ms, t["value"]))
    return out


def prometheus_sequences(prom, since_ms, until_ms):
    """{alert key: [(state, at_ms)]} from the ALERTS series Prometheus's rule manager wrote."""
    seconds = math.ceil((until_ms - since_ms) / 1000) + 2
    samples = {}
    for series in prom.query(f"ALERTS[{seconds}s]", at=ms_to_query_time(until_ms)):
        labels = dict(series["metric"])
        state = labels.pop("alertstate")
        labels.pop("__name__")
        for ts, _ in series["values"]:
            ts_ms = round(float(ts) * 1000)
            if ts_ms >= since_ms:
                samples.setdefault(key_of(labels), []).append((ts_ms, state))
    out = {}
    for key, points in samples.items():
        events, prev, prev_ts = [], None, None
        for ts_ms, state in sorted(points):
            if prev is not None and ts_ms - prev_ts > 1.5 * INTERVAL_MS:  # absent in between
                events.append(("inactive" if prev == "pending" else "resolved",
                               prev_ts + INTERVAL_MS))
                prev = None
            if state != prev:
                events.append((state, ts_ms))
            prev, prev_ts = state, ts_ms
        if prev_ts + INTERVAL_MS <= until_ms:
            events.append(("inactive" if prev == "pending" else "resolved", prev_ts + INTERVAL_MS))
        out[key] = events
    return out


class DifferentialTest(IntegrationTestCase):

    def setUp(self):
        super().setUp()
        self.exporter = self.start_exporter(seed=1)
        self.rules_path = make_test_sized_rules(RULE_FILE,
                                                os.path.join(self.tmp, "llm-serving.yml"))
        self.prom = self.start_prometheus([self.exporter.address], [self.rules_path],
                                          external_labels=EXTERNAL_LABELS)
        self.prom.wait_scraped()
        wait_until(lambda: [r["health"] for g in self.prom.rules() for r in g["rules"]]
                   == ["ok"] * 4, what="the 4 shipped rules evaluated by Prometheus")

        def scrapes_in_window():  # before a full window, ratios rest on a few requests
            result = self.prom.query(f'count_over_time(up{{job="demo"}}[{WINDOW_SECONDS}s])')
            return result and float(result[0]["value"][1]) >= WINDOW_SECONDS - 2

        wait_until(scrapes_in_window, what="a full rule window of scrapes")
        wait_until(lambda: not self.prom.alerts(), what="no alerts from the healthy fleet")
        self.herald = self.start_herald_off_scrape_phase()

    def scrape_phase_ms(self):
        ts = float(self.prom.query('timestamp(up{job="demo"})')[0]["value"][1])
        return round(ts * 1000) % 1000

    def start_herald_off_scrape_phase(self, attempts=10):
        """Starts herald with the rule file, at a group phase >= 300 ms after the scrape phase.

        herald's group phase is a hash of the rule file's path; the same file reached through
        "./" segments has another path. A phase just after the scrape would make most value
        comparisons unsettled (see the module docstring)."""
        for attempt in range(attempts):
            path = os.path.join(self.tmp, *(["."] * attempt), "llm-serving.yml")
            herald = self.start_herald(self.prom.url, [path], external_url=self.prom.url,
                                       external_labels=EXTERNAL_LABELS, unreachable_after="5s",
                                       name=f"herald-{attempt}")
            herald.wait_ready()
            group = next(g for g in herald.rules() if g["name"] == "llm-serving")
            phase = parse_rfc3339(group["lastEvaluation"]) % 1000
            distance = (phase - self.scrape_phase_ms()) % 1000
            print(f"  herald phase {phase} ms, {distance} ms after the scrape", file=sys.stderr)
            if 300 <= distance <= 950 or attempt + 1 == attempts:
                return herald
            herald.stop()

    def test_herald_matches_prometheus_rule_manager(self):
        """Every incident raised the same alerts in herald and in Prometheus's rule manager, with
        the same state sequences (within TOLERANCE_MS), labels, values and annotations."""
        started = time.monotonic()
        rec = Recorder(self.herald, self.prom)
        wait_until(lambda: rec.poll() and not rec.alerts["herald"] and not rec.alerts["prometheus"],
                   interval=0.2, what="both sides quiet before the incidents")
        since_ms = round(time.time() * 1000)
        for kind, model, params, _ in CASES:
            self.exporter.start_incident(kind, model, **params)

        def all_firing_on_both():
            rec.poll()
            return all(rec.firing(side, name, sub) for side in rec.alerts for name, sub in EXPECTED)

        wait_until(all_firing_on_both, timeout=DEFAULT_DEADLINE, interval=0.2,
                   what="every expected alert firing in herald and in Prometheus")
        print(f"  all firing on both sides after {time.monotonic() - started:.1f}s",
              file=sys.stderr)
        self.exporter.clear_all()
        wait_until(lambda: rec.poll() and not rec.alerts["herald"] and not rec.alerts["prometheus"],
                   timeout=DEFAULT_DEADLINE, interval=0.2,
                   what="every alert resolved on both sides after clearing the incidents")
        until_ms = round(time.time() * 1000)
        # herald logs an evaluation's transitions just after its API shows the new state.
        wait_until(lambda: all(seq[-1][0] in ("resolved", "inactive")
                               for seq in herald_sequences(self.herald, since_ms).values()),
                   what="herald's transition log to show every alert resolved")
        print(f"  all resolved on both sides after {time.monotonic() - started:.1f}s",
              file=sys.stderr)

        self.assertNotIn("cluster", rec.label_names,
                         "an external label appeared in /api/v1/alerts")
        herald_seq = herald_sequences(self.herald, since_ms)
        prom_seq = prometheus_sequences(self.prom, since_ms, until_ms)
        self.check_sequences(herald_seq, prom_seq)
        self.check_active_at(rec, herald_seq, prom_seq)
        self.check_values(rec, herald_seq)
        self.check_annotations(rec)
        print(f"  differential test took {time.monotonic() - started:.1f}s", file=sys.stderr)

    # --- 1, 2: state sequences and transition times -------------------------------------------

    def check_sequences(self, herald_seq, prom_seq):
        def listing(seqs):
            return "\n".join(f"  {show(k)}: {[(s, t) for s, t, *_ in v]}"
                             for k, v in sorted(seqs.items())) or "  (none)"

        context = (f"\nherald:\n{listing(herald_seq)}\nprometheus:\n{listing(prom_seq)}\n"
                   f"Prometheus's missed rule-group iterations (each shifts its derived times by "
                   f"1s): {self.prometheus_missed_iterations()}")
        self.assertEqual(sorted(herald_seq), sorted(prom_seq),
                         "the two sides raised different alerts (label sets)" + context)
        unexpected = [show(k) for k in herald_seq if not is_expected(dict(k))]
        self.assertFalse(unexpected, "alerts for models without that incident" + context)
        for name, sub in EXPECTED:
            self.assertTrue(any(is_expected(dict(k)) and dict(k)["alertname"] == name and
                                all(dict(k).get(a) == b for a, b in sub.items())
                                for k in herald_seq), f"{name} {sub} never raised" + context)
        for key in sorted(herald_seq):
            h, p = herald_seq[key], prom_seq[key]
            self.assertEqual([s for s, *_ in h], [s for s, _ in p],
                             f"{show(key)}: state sequences differ" + context)
            self.assertEqual([s for s, *_ in h][-3:], ["pending", "firing", "resolved"],
                             f"{show(key)}: not a full pending → firing → resolved" + context)
            for (state, h_ms, _), (_, p_ms) in zip(h, p):
                self.assertLessEqual(abs(h_ms - p_ms), TOLERANCE_MS,
                                     f"{show(key)}: {state} at {h_ms} in herald, {p_ms} in "
                                     f"Prometheus" + context)
            print(f"  {show(key)}: " + ", ".join(f"{s} {(h_ms - p_ms) / 1000:+.3f}s"
                                                 for (s, h_ms, _), (_, p_ms) in zip(h, p)),
                  file=sys.stderr)

    def prometheus_missed_iterations(self):
        _, text = http("GET", self.prom.url + "/metrics")
        return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                   if line.startswith("prometheus_rule_group_iterations_missed_total{"))

    def check_active_at(self, rec, herald_seq, prom_seq):
        """The ActiveAt each API reported is the pending evaluation of its episode."""
        for side, seqs in (("herald", herald_seq), ("prometheus", prom_seq)):
            for obs in rec.observations[side].values():
                starts = [e[1] for e in seqs.get(obs.key, []) if e[0] == "pending"]
                self.assertIn(obs.active_at_ns // 1_000_000, starts,
                              f"{side} {show(obs.key)}: activeAt is no pending transition")

    # --- 3: values --------------------------------------------------------------------------

    def check_values(self, rec, herald_seq):
        """herald's value == Prometheus's query of the rule's expr at herald's eval time."""
        checks = {}  # (rule, at_ms) → [(key, value text, where)]
        for obs in rec.observations["herald"].values():
            if obs.rule in rec.rules and obs.health == "ok":
                checks.setdefault((obs.rule, obs.at_ns // 1_000_000), []).append(
                    (obs.key, obs.value_text, "api"))
        for key, events in herald_seq.items():
            name = dict(key)["alertname"]
            for state, at_ms, value in events:
                if state in ("pending", "firing") and name in rec.rules:
                    checks.setdefault((name, at_ms), []).append((key, value, f"log {state}"))
        settled_cache = {}
        settled, unsettled, mismatches = {}, {}, []
        for (rule_name, at_ms), items in sorted(checks.items()):
            if at_ms not in settled_cache:
                settled_cache[at_ms] = self.settled(at_ms)
            rule = rec.rules[rule_name]
            expected = {}
            for s in self.prom.query(rule["query"], at=ms_to_query_time(at_ms)):
                labels = {k: v for k, v in s["metric"].items() if k != "__name__"}
                labels.update(rule["labels"], alertname=rule_name)
                expected[key_of(labels)] = s["value"][1]
            for key, value, where in items:
                if not settled_cache[at_ms]:
                    unsettled[key] = unsettled.get(key, 0) + 1
                    continue
                settled[key] = settled.get(key, 0) + 1
                want = expected.get(key)
                if want is None or float(want) != float(value):
                    mismatches.append(f"  {show(key)} at {ms_to_query_time(at_ms)} ({where}): "
                                      f"herald {value}, Prometheus query {want}")
        self.assertFalse(mismatches, "herald's values differ from Prometheus's query of the same "
                         "expression at herald's evaluation time:\n" + "\n".join(mismatches[:30]))
        for key in herald_seq:
            n, u = settled.get(key, 0), unsettled.get(key, 0)
            print(f"  values of {show(key)}: {n} exact, {u} unsettled", file=sys.stderr)
            self.assertGreaterEqual(n, 2, f"{show(key)}: too few settled value comparisons")
            self.assertLessEqual(u, (n + u) / 4, f"{show(key)}: too many unsettled comparisons")

    def settled(self, at_ms):
        """False when the scrape before `at_ms` may still have been committing when herald
        queried at `at_ms` (herald may then legitimately have seen one sample less)."""
        at = ms_to_query_time(at_ms)
        scraped = self.prom.query('timestamp(up{job="demo"})', at=at)
        duration = self.prom.query('scrape_duration_seconds{job="demo"}', at=at)
        scrape_ms = round(float(scraped[0]["value"][1]) * 1000)
        duration_ms = float(duration[0]["value"][1]) * 1000
        return at_ms - scrape_ms >= duration_ms + SETTLE_MARGIN_MS

    # --- 4: annotations ---------------------------------------------------------------------

    def check_annotations(self, rec):
        herald_obs = [o for o in rec.observations["herald"].values() if o.rule in rec.rules]
        prom_obs = list(rec.observations["prometheus"].values())
        # (a) value-independent annotations are identical everywhere.
        for key in {o.key for o in herald_obs}:
            rule = rec.rules[dict(key)["alertname"]]
            for name, template in rule["annotations"].items():
                if uses_value(template):
                    continue
                seen = {(o.side, o.annotations.get(name)) for o in herald_obs + prom_obs
                        if o.key == key}
                self.assertEqual(len({text for _, text in seen}), 1,
                                 f"{show(key)}: annotation {name!r} differs: {sorted(seen)}")
        # (b) equal values → identical annotations.
        by_value = {}
        for o in prom_obs:
            by_value.setdefault((o.key, o.value), o.annotations)
        equal_value = 0
        for o in herald_obs:
            if (o.key, o.value) in by_value:
                equal_value += 1
                self.assertEqual(o.annotations, by_value[(o.key, o.value)],
                                 f"{show(o.key)} value {o.value_text}: annotations differ")
        self.assertTrue(any(dict(o.key)["alertname"] == "ModelNotLoaded" and
                            (o.key, o.value) in by_value for o in herald_obs),
                        "no ModelNotLoaded observation with equal values on both sides")
        # (c) Prometheus's template engine, given herald's labels and value, renders herald's
        # annotations.
        cases = self.promtool_annotation_check(rec.rules, herald_obs)
        print(f"  annotations: {equal_value} equal-value comparisons, {cases} promtool cases",
              file=sys.stderr)

    def promtool_annotation_check(self, rules, observations, per_alert=40):
        picked = {}
        for o in sorted(observations, key=lambda o: o.at_ns):
            picked.setdefault(o.key, {}).setdefault(o.value, o)
        chosen = []
        for values in picked.values():
            obs = list(values.values())
            step = max(1, len(obs) // per_alert)
            chosen += obs[::step]
        rule_file = os.path.join(self.tmp, "annotation-probe.yml")
        probe_rules = [{"alert": name, "expr": f"herald_probe_{name}", "labels": r["labels"],
                        "annotations": r["annotations"]} for name, r in sorted(rules.items())]
        with open(rule_file, "w") as f:
            json.dump({"groups": [{"name": "annotation-probe", "rules": probe_rules}]}, f)
        tests = []
        for i, o in enumerate(chosen):
            name = o.labels["alertname"]
            rule_labels = rules[name]["labels"]
            sample = {k: v for k, v in o.labels.items()
                      if k != "alertname" and k not in rule_labels}
            series = f"herald_probe_{name}{{" + ", ".join(
                f"{k}={json.dumps(v)}" for k, v in sorted(sample.items())) + "}"
            tests.append({
                "name": f"{i}: {show(o.key)} value {o.value_text}",
                "interval": "1s", "external_url": self.prom.url, "external_labels": EXTERNAL_LABELS,
                "input_series": [{"series": series, "values": promtool_value(o.value)}],
                "alert_rule_test": [{"eval_time": "0s", "alertname": name, "exp_alerts": [{
                    "exp_labels": {k: v for k, v in o.labels.items() if k != "alertname"},
                    "exp_annotations": o.annotations}]}]})
        test_file = os.path.join(self.tmp, "annotation-probe_test.yml")
        with open(test_file, "w") as f:
            json.dump({"rule_files": [rule_file], "evaluation_interval": "1s", "tests": tests}, f)
        result = subprocess.run([promtool_bin(), "test", "rules", test_file], capture_output=True,
                                text=True, timeout=120)
        self.assertEqual(result.returncode, 0,
                         "Prometheus's templates render other annotations for herald's labels "
                         "and values:\n" + (result.stdout + result.stderr)[-6000:])
        return len(tests)


if __name__ == "__main__":
    unittest.main(verbosity=2)
