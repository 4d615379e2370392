"""Crash test: herald killed with SIGKILL at random moments restores its alerts from SQLite.

Two `herald run` instances load the same herald.yml and the same rule file (rules/llm-serving.yml,
test-sized: [20s] windows, `for`s of 2–5 s), evaluated every 2 s. A group's evaluation slots are
wall-clock slots shifted by a hash of its file path and name, so both evaluate at the same
timestamps against the same real Prometheus (scraping the demo exporter every 1 s):

- `reference` runs undisturbed;
- `victim` is killed with SIGKILL at least KILLS times, each time 1–4 s (random) after it logged
  "herald started", and restarted at once on the same database.

Meanwhile a seeded random schedule toggles incidents on the exporter (several kinds, one model
each). Every on and off period lasts at least MIN_PERIOD s, so an evaluator that misses the one or
two evaluations a restart costs cannot miss a whole gap. The test proves:

1. No firing alert was ever restored as pending: before each kill the victim's /api/v1/alerts is
   read, after the restart it is read again as soon as the server answers (herald serves only
   once the state is restored); no alert firing before (same labels, same activeAt) is pending
   after. When the two reads are less than half an evaluation interval apart (at most one
   evaluation between them), also: a firing alert is still firing with its activeAt or gone
   (resolved), and a pending one keeps its activeAt. When no evaluation slot fell between the two
   reads, the restored alerts are exactly those before the kill (labels, state, activeAt).
2. After the schedule stops (incidents left in a fixed final state) and both instances' alert
   sets are stable, every alert's labels, state and activeAt on the victim equal the reference's
   (activeAt within one evaluation interval).
3. The victim logged a "restored alerts" line per start (>= KILLS), some of them with firing
   alerts, and its history API holds transitions whose per-alert sequences chain (each
   transition starts in the state the previous one ended in: no state lost or replayed across
   crashes); a history request with neither fingerprint nor alertname is a 400 bad_data. Both
   instances wrote to storage (herald_storage_*_total) without a failed write.

The schedule is seeded (HERALD_CRASH_SEED, default 4; printed); kill moments depend on timing too.

Run: HERALD_BIN=build/app/herald python3 -m unittest -v tests/integration/test_crash_restore.py
"""

import json
import os
import random
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (SOURCE_DIR, IntegrationTestCase, http, make_test_sized_rules,  # noqa: E402
                     parse_rfc3339, wait_until)

RULE_FILE = os.path.join(SOURCE_DIR, "rules", "llm-serving.yml")
SEED = int(os.environ.get("HERALD_CRASH_SEED", "4"))
INTERVAL_S = 2
KILLS = 20
ALIVE_S = (1.0, 4.0)          # how long the victim runs between "herald started" and SIGKILL
MIN_PERIOD, MAX_PERIOD = 10.0, 16.0  # each incident on/off period
TOGGLE_PHASE_S = 35.0         # random toggling; then each incident goes to its final state
# After the last toggle, how long until no alert can still change: a [20s] window draining
# (HighErrorRate's ratio, GpuOomRisk's increase, HighLatency's p95) plus an evaluation and a
# scrape, or a window filling plus the longest test-sized `for` (5 s).
SETTLE_AFTER_TOGGLE_S = 26.0
STABLE_FOR_S = 3 * INTERVAL_S  # both alert sets unchanged this long = stable
# Reads before the kill and after the restart closer than this saw at most one evaluation between
# them (slots are INTERVAL_S apart; this leaves room for evaluations finishing late).
ONE_EVALUATION_S = INTERVAL_S / 2
# An evaluation finishes (its state visible, committed) within this long after its slot.
EVALUATION_LATENCY_MS = 1000

# (incident kind, model, params): one model per incident, so their alerts never overlap.
CHANNELS = [
    ("error_burst", "mistral-7b", {}),                          # HighErrorRate
    ("model_unloaded", "phi3-mini", {}),                        # ModelNotLoaded, HighErrorRate
    ("latency_spike", "gemma2-9b", {}),                         # HighLatency (chat, completion)
    ("oom_errors", "mixtral-8x7b", {}),                         # GpuOomRisk{model}
    ("gpu_memory_climb", "qwen2-72b", {"ramp_seconds": "4"}),   # GpuOomRisk{gpu, pod, ...}
    ("error_burst", "llama3-8b", {}),                           # HighErrorRate
]


def key_of(labels):
    return tuple(sorted(labels.items()))


def describe(key):
    return "{" + ", ".join(f"{k}={v!r}" for k, v in key) + "}"


def snapshot(alerts):
    """/api/v1/alerts → {label key: (state, activeAt)}."""
    return {key_of(a["labels"]): (a["state"], a["activeAt"]) for a in alerts}


class Schedule:
    """The seeded incident schedule, driven by the test's main loop (single-threaded)."""

    def __init__(self, exporter, rng, start):
        self.exporter = exporter
        self.rng = rng
        self.phase_end = start + TOGGLE_PHASE_S
        self.on = [False] * len(CHANNELS)
        self.next_at = [start + rng.uniform(0.0, 8.0) for _ in CHANNELS]
        self.done = [False] * len(CHANNELS)
        # At least half of the incidents end switched on, so the final comparison sees firing
        # alerts that lived through many kills.
        finals = rng.sample(range(len(CHANNELS)), k=len(CHANNELS) // 2 + 1)
        self.final = [i in finals for i in range(len(CHANNELS))]
        self.last_toggle = start
        self.toggles = 0

    def finished(self):
        return all(self.done)

    def step(self, now):
        """Applies every due toggle; returns when the next one is due."""
        for i, (kind, model, params) in enumerate(CHANNELS):
            if self.done[i]:
                continue
            if now >= self.phase_end and self.on[i] == self.final[i]:
                self.done[i] = True
                continue
            if now < self.next_at[i]:
                continue
            if self.on[i]:
                self.exporter.clear_incident(kind, model)
            else:
                self.exporter.start_incident(kind, model, **params)
            self.on[i] = not self.on[i]
            self.toggles += 1
            # Periods count from the moment the toggle really happened (the loop may be late).
            now = time.monotonic()
            self.last_toggle = now
            self.next_at[i] = now + self.rng.uniform(MIN_PERIOD, MAX_PERIOD)
            if now >= self.phase_end:  # that was the move to the final state
                self.done[i] = True
        pending = [t for t, d in zip(self.next_at, self.done) if not d]
        return min(pending) if pending else float("inf")

    def run_until(self, t):
        """Sleeps until monotonic time `t`, toggling incidents when due."""
        while True:
            now = time.monotonic()
            if now >= t:
                return
            next_toggle = self.step(now)
            time.sleep(max(0.0, min(t, next_toggle) - time.monotonic()))


class CrashRestoreTest(IntegrationTestCase):
    maxDiff = None

    def setUp(self):
        super().setUp()
        self.exporter = self.start_exporter(seed=SEED)
        self.rules_path = make_test_sized_rules(RULE_FILE,
                                                os.path.join(self.tmp, "llm-serving.yml"))
        self.prom = self.start_prometheus([self.exporter.address])
        self.prom.wait_scraped()
        config = os.path.join(self.tmp, "herald.yml")
        common = dict(evaluation_interval=f"{INTERVAL_S}s", config_path=config)
        self.reference = self.start_herald(self.prom.url, [self.rules_path], name="reference",
                                           **common)
        self.victim = self.start_herald(self.prom.url, [self.rules_path], name="victim", **common)

    def test_sigkill_restarts_restore_state(self):
        started = time.monotonic()
        rng = random.Random(SEED)
        print(f"  seed {SEED}", file=sys.stderr)
        schedule = Schedule(self.exporter, rng, time.monotonic())
        victim = self.victim
        # Both instances evaluate at the same slots: k * INTERVAL_S + this phase (ms).
        phase_ms, = wait_until(lambda: (parse_rfc3339(  # a tuple: a phase of 0 is falsy
            self.reference.group("llm-serving")["lastEvaluation"]) % (INTERVAL_S * 1000),),
            what="the reference's first evaluation")
        kills = restored_firing = one_eval = no_eval = 0
        restart_s = []

        while kills < KILLS or not schedule.finished():
            schedule.run_until(victim.started_at + rng.uniform(*ALIVE_S))
            read_before, wall_before = time.monotonic(), time.time()
            before = victim.alerts()
            victim.kill()
            kills += 1
            victim.start()
            after = victim.alerts()
            read_after, wall_after = time.monotonic(), time.time()
            restart_s.append(victim.started_at - victim.spawned_at)
            # No slot from just before the first read to the second: no evaluation between them.
            first_slot = (round(wall_before * 1000) - EVALUATION_LATENCY_MS - phase_ms
                          + INTERVAL_S * 1000 - 1) // (INTERVAL_S * 1000)
            quiet = first_slot * INTERVAL_S * 1000 + phase_ms > round(wall_after * 1000)
            strong = read_after - read_before < ONE_EVALUATION_S
            restored_firing += self.check_restore(kills, snapshot(before), snapshot(after),
                                                  strong, quiet)
            one_eval += strong
            no_eval += quiet
            self.assertTrue(self.reference.running(), "the reference exited")

        print(f"  {kills} kills in {time.monotonic() - started:.1f}s, {schedule.toggles} "
              f"toggles; restart to 'herald started' median "
              f"{sorted(restart_s)[len(restart_s) // 2]:.2f}s, max {max(restart_s):.2f}s; "
              f"{restored_firing} firing alerts restored firing; reads around a kill: "
              f"{no_eval} with no evaluation between them, {one_eval} < {ONE_EVALUATION_S}s "
              f"apart", file=sys.stderr)
        self.assertGreater(restored_firing, 0,
                           "no kill happened while an alert was firing: the test proved nothing")

        ref, vic = self.wait_stable(schedule.last_toggle)
        self.assertTrue(any(state == "firing" for state, _ in ref.values()),
                        f"no alert firing at the end in the reference: {ref}")
        self.compare_final(ref, vic)
        self.check_restore_log(kills)
        self.check_history()
        for herald in (self.reference, self.victim):
            self.assertGreater(herald.metric("herald_storage_transactions_total"), 0)
            self.assertGreater(herald.metric("herald_storage_rows_written_total"), 0)
            self.assertEqual(herald.metric("herald_storage_write_failures_total"), 0,
                             f"{herald.name}: failed storage writes")
        print(f"  crash test took {time.monotonic() - started:.1f}s", file=sys.stderr)

    def check_restore(self, kill, before, after, strong, quiet):
        """Returns how many alerts firing before the kill are firing after (same activeAt).
        `strong`: at most one evaluation between the reads; `quiet`: none."""
        if quiet:
            self.assertEqual(after, before, f"kill {kill}: with no evaluation between the reads, "
                             f"the restored alerts should be exactly those before the kill")
        restored = 0
        for key, (state, active_at) in before.items():
            now = after.get(key)
            if state == "firing":
                self.assertNotEqual(now, ("pending", active_at),
                                    f"kill {kill}: {describe(key)} firing since {active_at} was "
                                    f"restored as pending")
                if now == ("firing", active_at):
                    restored += 1
                elif strong:  # at most one evaluation since: still firing, or resolved
                    self.assertIsNone(now, f"kill {kill}: {describe(key)} was firing since "
                                      f"{active_at}, after the restart: {now}")
            elif strong and now is not None:  # pending: keeps its ActiveAt, may have fired
                self.assertEqual(now[1], active_at, f"kill {kill}: {describe(key)} pending since "
                                 f"{active_at} came back as {now}")
        return restored

    def wait_stable(self, last_toggle):
        """Waits until both alert sets have not changed for STABLE_FOR_S, no earlier than
        SETTLE_AFTER_TOGGLE_S after the last toggle; returns (reference, victim) snapshots."""
        earliest = last_toggle + SETTLE_AFTER_TOGGLE_S
        seen = {}  # name → (snapshot, monotonic time it was first seen)

        def stable():
            now = time.monotonic()
            snaps = {}
            for name, herald in (("reference", self.reference), ("victim", self.victim)):
                snap = snapshot(herald.alerts())
                if name not in seen or seen[name][0] != snap:
                    seen[name] = (snap, now)
                snaps[name] = snap
            if now < earliest:
                return None
            if all(now - since >= STABLE_FOR_S for _, since in seen.values()):
                return snaps["reference"], snaps["victim"]
            return None

        timeout = max(0.0, earliest - time.monotonic()) + 60
        return wait_until(stable, timeout=timeout, interval=0.5,
                          what="both instances' alert sets stable")

    def compare_final(self, ref, vic):
        lines = []
        for key in sorted(set(ref) | set(vic)):
            r, v = ref.get(key), vic.get(key)
            if r is None or v is None or r[0] != v[0]:
                lines.append(f"{describe(key)}: reference {r}, victim {v}")
                continue
            delta_ms = abs(parse_rfc3339(r[1]) - parse_rfc3339(v[1]))
            if delta_ms > INTERVAL_S * 1000:
                lines.append(f"{describe(key)}: activeAt {r[1]} vs {v[1]} ({delta_ms} ms apart)")
        print(f"  final: {len(ref)} alerts in the reference "
              f"({sum(s == 'firing' for s, _ in ref.values())} firing)", file=sys.stderr)
        self.assertEqual(lines, [], "the victim's final alerts differ from the reference's")

    def check_restore_log(self, kills):
        lines = self.victim.log_lines("restored alerts")
        self.assertGreaterEqual(len(lines), kills, "one 'restored alerts' line per start")
        for line in lines:
            for field in ("firing", "pending", "resolved", "dropped"):
                self.assertIn(field, line, f"'restored alerts' line without {field}: {line}")
        self.assertTrue(any(int(line["firing"]) > 0 for line in lines),
                        "no start restored a firing alert")

    def check_history(self):
        alertnames = sorted({t["alertname"] for t in self.reference.transitions()})
        self.assertTrue(alertnames, "the reference logged no transitions")
        total = 0
        for name in alertnames:
            transitions = self.victim.history(alertname=name, limit=10000)
            total += len(transitions)
            chains = {}
            for t in transitions:
                self.assertRegex(t["fingerprint"], r"^[0-9a-f]{16}$")
                self.assertEqual(t["labels"].get("alertname"), name, t)
                self.assertEqual((t["group"], t["rule"]), ("llm-serving", name), t)
                float(t["value"])
                chains.setdefault(t["fingerprint"], []).append(t)
            for fp, chain in chains.items():
                ats = [parse_rfc3339(t["at"]) for t in chain]
                self.assertEqual(ats, sorted(ats), f"{name} {fp}: history not oldest first")
                self.assertEqual(chain[0]["from"], "inactive", f"{name} {fp}: {chain[0]}")
                for prev, t in zip(chain, chain[1:]):
                    self.assertEqual(t["from"], prev["to"],
                                     f"{name} {fp}: transition {prev['from']}→{prev['to']} at "
                                     f"{prev['at']} followed by {t['from']}→{t['to']} at "
                                     f"{t['at']}: a state was lost or replayed across a crash")
            if chains:  # the same alert's history by fingerprint
                fp, chain = next(iter(chains.items()))
                self.assertEqual(self.victim.history(fingerprint=fp, limit=10000), chain)
                since = chain[-1]["at"]
                self.assertTrue(all(parse_rfc3339(t["at"]) >= parse_rfc3339(since) for t in
                                    self.victim.history(fingerprint=fp, since=since)))
        self.assertGreater(total, 0, f"no transitions in the victim's history for {alertnames}")
        status, body = http("GET", self.victim.url + "/api/v1/alerts/history")
        self.assertEqual(status, 400, body)
        doc = json.loads(body)
        self.assertEqual((doc.get("status"), doc.get("errorType")), ("error", "bad_data"), doc)
        print(f"  victim history: {total} transitions of {', '.join(alertnames)}", file=sys.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
