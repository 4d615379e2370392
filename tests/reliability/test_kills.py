"""SIGKILL at random points of evaluation, routing and delivery, to every integration at once.

Two `herald run` evaluate the same shipped rules (test-sized `for`s and windows) against one real
Prometheus scraping the demo exporter, while a seeded schedule toggles incidents. Each routes every
alert (group_by ['...']: one alert per group) to one receiver with a webhook, Slack in bot mode, an
email and PagerDuty, each instance to its own workspace of the same local peers
(tests/reliability/peers.py). `reference` is never interrupted; `victim` is killed with SIGKILL and
restarted at once, again and again: half the kills at a random moment 0.5–2.5 s after it started,
half while a peer holds one of its deliveries unanswered (a webhook POST, a Slack post, update or
thread reply, a PagerDuty event) or just after an email was accepted — the moments between a
delivery and its record. When the incidents stop and every alert has resolved:

1. Nothing lost: per integration and group, the victim's notifications (group, firing
   fingerprints, resolved fingerprints) with repeats collapsed are exactly the reference's, in
   order — but for a flap of the reference decided by an evaluation the victim missed while it
   was down (an error ratio one evaluation under its threshold: resolved, then fired again),
   which the victim cannot have seen; those are counted and reported.
2. At most one duplicate per kill per integration, and each copy beyond the first has a kill
   of its own between it and the copy before (a notification in flight at two kills in a row
   may arrive three times).
3. No firing alert restored as pending: /api/v1/alerts read just before each kill and as soon as
   the restarted victim serves; an alert firing before (same labels and activeAt) is never
   pending after. Some kills hit while alerts were firing.
4. Slack threads: every update of a parent message is about the parent's group (herald found the
   parent's ts in its notification log after a restart); in the reference every resolve updates
   the parent, and at the end no parent of the reference still shows firing alerts. In the
   victim such orphans come only from a repeated post or a resolve whose parent's record was
   lost with the process (counted, reported).
   Email threads: every email of a group refers to one thread root. PagerDuty: each event passed
   the Events API v2 checks, with the configured routing_key and dedup_key = sha256(group key).

CI: 22 kills. HERALD_RELIABILITY_LONG=1: 200 kills. Seed: HERALD_RELIABILITY_SEED (default 13).
"""

import os
import random
import threading
import time
import unittest

import peers
import reliability
from reliability import harness, pick, report

SEED = int(os.environ.get("HERALD_RELIABILITY_SEED", "13"))
KILLS = pick(22, 200)
INTERVAL_S = 2
ALIVE_S = (0.5, 2.5)     # a timer kill: this long after "herald started"
TRAP_WAIT_S = 4.0        # a delivery kill waits this long for a delivery, then kills anyway
# The victim misses the evaluations from shortly before a kill (one whose result the kill lost)
# until the restarted process is up; an alert of the reference that flapped at one of those
# (a one-evaluation dip below the threshold: resolved, then fired again after `for`) is a flap the
# victim could not see. Such pairs are excused and counted (reliability.unseen_flaps).
EVAL_MARGIN_S = 1.0
MIN_PERIOD, MAX_PERIOD = 10.0, 16.0
RULE_FILE = os.path.join(harness.SOURCE_DIR, "rules", "llm-serving.yml")
CHANNELS = [  # (incident, model, params): as tests/integration/test_crash_restore.py
    ("error_burst", "mistral-7b", {}),
    ("model_unloaded", "phi3-mini", {}),
    ("latency_spike", "gemma2-9b", {}),
    ("oom_errors", "mixtral-8x7b", {}),
    ("gpu_memory_climb", "qwen2-72b", {"ramp_seconds": "4"}),
    ("error_burst", "llama3-8b", {}),
]
ROUTING = """\
templates: ["{templates}"]
route:
  receiver: meta
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 1h
  routes:
    - matchers: ['alertname!~"Herald.*"']
      receiver: all
      group_by: ['...']
receivers:
  - name: meta
    webhook_configs: [{{url: "{sink}/{ws}/meta"}}]
  - name: all
"""


class DeliveryTrap:
    """Holds the victim's next delivery of one integration unanswered until the test killed it."""

    def __init__(self):
        self.lock = threading.Lock()
        self.armed = None
        self.hit = threading.Event()
        self.released = threading.Event()

    def arm(self, integration):
        with self.lock:
            self.hit.clear()
            self.released.clear()
            self.armed = integration

    def disarm(self):
        with self.lock:
            self.armed = None
        return self.hit.is_set()

    def release(self):
        self.released.set()

    def hook(self, ws, integration, kind=None):
        if ws != "victim":
            return
        with self.lock:
            if self.armed != integration:
                return
            self.armed = None
            self.hit.set()
        self.released.wait(30)


def snapshot(alerts):
    return {tuple(sorted(a["labels"].items())): (a["state"], a["activeAt"]) for a in alerts}


class KillsTest(harness.IntegrationTestCase):
    maxDiff = None

    def setUp(self):
        super().setUp()
        self.trap = DeliveryTrap()
        self.sink = harness.WebhookSink(
            before_reply=lambda path, _: self.trap.hook(path.split("/")[1], "webhook"))
        self.slack = peers.SlackApi(on_request=self.trap.hook)
        self.pagerduty = peers.PagerDutyApi(on_request=self.trap.hook)
        self.smtp = peers.SmtpServer(self.tmp)
        for p in (self.sink, self.slack, self.pagerduty):
            self.addCleanup(p.close)
        self.addCleanup(self.trap.release)
        self.track(self.smtp)
        self.exporter = self.start_exporter(seed=SEED)
        rules = harness.make_test_sized_rules(RULE_FILE, os.path.join(self.tmp, "rules.yml"))
        self.prom = self.start_prometheus([self.exporter.address])
        self.prom.wait_scraped()
        templates = reliability.write_templates(self.tmp)
        self.heralds = {}
        for ws in ("reference", "victim"):
            config = ROUTING.format(templates=templates, sink=self.sink.url, ws=ws)
            config += reliability.receiver_configs(ws, self.sink, self.slack, self.pagerduty,
                                                   self.smtp)
            self.heralds[ws] = self.start_herald(self.prom.url, [rules], name=ws,
                                                 evaluation_interval=f"{INTERVAL_S}s",
                                                 extra_config=config)

    def notes(self, ws):
        return {
            "webhook": reliability.webhook_notes(self.sink, f"{ws}/all"),
            "slack": reliability.slack_notes(self.slack, ws),
            "email": reliability.email_notes(self.smtp, ws),
            "pagerduty": reliability.pagerduty_notes(self.pagerduty, ws),
        }

    def compare(self):
        ref, got = self.notes("reference"), self.notes("victim")
        missed = [(killed - EVAL_MARGIN_S, up) for killed, up in self.kill_times]
        unseen = reliability.unseen_flaps(ref["webhook"], missed)
        return {i: reliability.Comparison(i, ref[i], got[i], unseen) for i in ref}

    def victim_emails(self):
        return sum(1 for r, _ in self.smtp.messages() if r["rcpt_tos"] == ["victim@example.com"])

    def wait_for_delivery(self, schedule, mode):
        """Blocks until the victim is in the middle of a delivery of `mode` (or TRAP_WAIT_S
        passed); returns whether it is."""
        deadline = time.monotonic() + TRAP_WAIT_S
        if mode == "email":  # the SMTP peer is another process: kill right after it stored one
            seen = self.victim_emails()
            while time.monotonic() < deadline:
                schedule.sleep(0.02)
                if self.victim_emails() > seen:
                    return True
            return False
        self.trap.arm(mode)
        while time.monotonic() < deadline and not self.trap.hit.is_set():
            schedule.sleep(0.02)
        return self.trap.disarm()

    def test_sigkill_anywhere_loses_nothing(self):
        started = time.monotonic()
        rng = random.Random(SEED)
        report(f"seed {SEED}, {KILLS} kills")
        victim = self.heralds["victim"]
        schedule = reliability.Schedule(self.exporter, rng, CHANNELS, MIN_PERIOD, MAX_PERIOD)
        kills, firing_at_kill, restored_firing = 0, 0, 0
        kill_times = self.kill_times = []
        modes = {"timer": 0, "webhook": 0, "slack": 0, "pagerduty": 0, "email": 0}
        held = {m: 0 for m in modes}
        restart_s = []
        while kills < KILLS:
            mode = "timer" if rng.random() < 0.5 else rng.choice(list(modes)[1:])
            if mode == "timer":
                schedule.sleep(max(0.0, victim.started_at + rng.uniform(*ALIVE_S)
                                   - time.monotonic()))
            elif self.wait_for_delivery(schedule, mode):
                held[mode] += 1
            modes[mode] += 1
            before = snapshot(victim.alerts())
            killed = time.time()
            victim.kill()
            kills += 1
            self.trap.release()
            victim.start()
            kill_times.append((killed, time.time()))
            after = snapshot(victim.alerts())
            restart_s.append(victim.started_at - victim.spawned_at)
            for key, (state, active_at) in before.items():
                if state != "firing":
                    continue
                firing_at_kill += 1
                self.assertNotEqual(after.get(key), ("pending", active_at),
                                    f"kill {kills}: {dict(key)} firing since {active_at} was "
                                    f"restored as pending")
                restored_firing += after.get(key) == ("firing", active_at)
            self.assertTrue(self.heralds["reference"].running(), "the reference exited")
        kill_phase = time.monotonic() - started
        report(f"{kills} kills in {kill_phase:.0f}s ({modes}; held mid-delivery: "
               f"{held}), {schedule.toggles} incident toggles; restart median "
               f"{sorted(restart_s)[len(restart_s) // 2]:.2f}s, max {max(restart_s):.2f}s; "
               f"{firing_at_kill} alerts firing at a kill, {restored_firing} of them restored "
               f"firing, none pending")
        self.assertGreater(restored_firing, 0, "no kill while an alert fired: proved nothing")

        # Everything resolves; then every notification the reference sent must arrive.
        schedule.stop()
        harness.wait_until(lambda: not self.heralds["reference"].alerts() and
                           not victim.alerts(), timeout=90, what="every alert resolved")
        reliability.wait_for(
            lambda: all(c.caught_up() for c in self.compare().values()), timeout=90,
            what="the victim's notifications to catch up with the reference's",
            explain=lambda: "\n".join(c.describe() for c in self.compare().values()))
        reliability.settle(lambda: {i: len(n) for i, n in self.notes("victim").items()},
                           quiet_for=3, timeout=60, what="deliveries settled")
        comparisons = self.compare()
        total = 0
        for integration, c in comparisons.items():
            report(c.describe())
            self.assertGreater(c.reference_count, 0, f"the reference sent no {integration}")
            self.assertEqual(c.reference_repeats, 0, f"{integration}: the reference repeated")
            self.assertTrue(c.caught_up(), c.describe())
            self.assertLessEqual(c.duplicate_count, kills, f"{integration}: more duplicates "
                                 "than kills")
            self.assertEqual(c.unexplained_duplicates(kill_times), [],
                             f"{integration}: a copy with no kill of its own before it")
            total += c.duplicate_count
            report(f"{integration}: at most {c.most_from_one_kill(kill_times)} duplicate(s) "
                   f"from one kill")
            self.assertLessEqual(c.flaps_unseen, kills, f"{integration}: more unseen flaps than "
                                 "kills")
        self.check_slack(comparisons["slack"].duplicate_count, kills)
        self.check_email()
        self.check_pagerduty()
        report(f"{sum(c.reference_count for c in comparisons.values())} notifications from the "
               f"reference, {total} duplicates from the victim over {kills} kills, 0 lost; "
               f"test took {time.monotonic() - started:.0f}s")

    def check_slack(self, duplicates, kills):
        for ws in ("reference", "victim"):
            messages, _ = self.slack.workspace(ws)
            parents = [m for m in messages if not m["thread_ts"]]
            replies = [m for m in messages if m["thread_ts"]]
            for p in parents:
                groups = {reliability.parse_key(b["text"])[0] for _, b in p["history"]}
                self.assertEqual(len(groups), 1, f"{ws}: one parent updated for several groups")
            orphans = [p for p in parents if reliability.parse_key(p["body"]["text"])[1]]
            resolve_posts = [p for p in parents
                             if not reliability.parse_key(p["history"][0][1]["text"])[1]]
            updates = sum(len(p["history"]) - 1 for p in parents)
            report(f"slack {ws}: {len(parents)} parents, {updates} updates, {len(replies)} "
                   f"thread replies; {len(orphans)} parents left firing, {len(resolve_posts)} "
                   f"resolves posted as a new parent")
            self.assertGreater(updates, 0, f"{ws}: no Slack message was ever updated")
            if ws == "reference":
                self.assertEqual((len(orphans), len(resolve_posts)), (0, 0))
            else:
                self.assertLessEqual(len(orphans), duplicates + len(resolve_posts))
                self.assertLessEqual(len(resolve_posts), kills)

    def check_email(self):
        for ws in ("reference", "victim"):
            roots = {}
            for record, _ in self.smtp.messages():
                if record["rcpt_tos"] != [f"{ws}@example.com"]:
                    continue
                headers = dict(record["headers"])
                text = next(p["content"] for p in record["parts"]
                            if p["content_type"] == "text/plain")
                root = headers.get("In-Reply-To", headers["Message-ID"])
                roots.setdefault(reliability.parse_key(text)[0], set()).add(root)
                self.assertEqual(record["defects"], [], f"{ws}: a malformed email")
            split = {g: r for g, r in roots.items() if len(r) != 1}
            self.assertEqual(split, {}, f"{ws}: a group's emails in several threads")

    def check_pagerduty(self):
        for ws in ("reference", "victim"):
            with self.sink.lock:
                keys = {reliability.group_of(b["groupLabels"]): b["groupKey"]
                        for p, b, _ in self.sink.received if p == f"/{ws}/all"}
            rejected = [r for r in self.pagerduty.requests_of(ws) if r["status"] != 202]
            self.assertEqual(rejected, [], f"{ws}: PagerDuty refused events")
            for e in self.pagerduty.accepted(ws):
                event = e["event"]
                self.assertEqual(event["routing_key"], self.pagerduty.routing_key(ws))
                if event["event_action"] == "trigger":
                    group = reliability.parse_key(
                        event["payload"]["custom_details"]["reliability_key"])[0]
                    self.assertEqual(event["dedup_key"], reliability.dedup_key(keys[group]))


if __name__ == "__main__":
    unittest.main(verbosity=2)
