"""The disk fills and frees at random moments while alerts flow.

Two herald instances get the same alerts, re-posted every second as Prometheus re-sends them
(a refused POST is simply retried by the next one): a stream of groups (one alert each), half of
them "short" (firing 6–10 s, resolved while the disk still misbehaves), half "long" (firing until
the space is back for good). `reference` keeps its database on an ordinary disk; `subject` keeps
its on a small tmpfs that a filler fills to the last byte and frees again at random moments —
and, now and then, the webhook sink fills it while it holds one of subject's notifications,
before answering (the moment between a delivery and its record). Writes of every kind fail at
random: receiving alerts, flushing groups, recording deliveries. The test proves:

1. Nothing lost once space returns: for every long group, subject's notifications (firing and
   resolved fingerprints), with repeats collapsed, are exactly the reference's, in order; every
   unrecorded delivery is recorded in the end.
2. A short group got all of the reference's notifications or none — never a firing notification
   left without its resolve. (A flush that cannot be written is retried at the next
   group_interval, as Alertmanager retries a failed notification; a group that fired and resolved
   while every attempt met a full disk is never notified. Counted and reported.)
3. No notification delivered more than twice — and, since subject never restarted, none twice at
   all (README "Routing and notifications": a delivery whose record failed is held, not sent
   again).
4. The disk really was full while it mattered: failed writes, refused POSTs, unrecorded
   deliveries are counted and reported.

The tmpfs is 16 MB: herald's WAL alone grows to about 4 MB between checkpoints (SQLite's default
of 1,000 pages); on a 4 MB tmpfs the WAL took the space the ballast freed and every write kept
failing after the filler stopped. Mounting a tmpfs
needs root: when not root, or when mount fails, the test is skipped with the reason printed (as
tests/integration/test_router_full_disk.py).

CI: 30 s of alerts. HERALD_RELIABILITY_LONG=1: 5 minutes. Seed: HERALD_RELIABILITY_SEED.
"""

import collections
import os
import random
import subprocess
import threading
import time
import unittest

import reliability
from reliability import harness, pick, report

SEED = int(os.environ.get("HERALD_RELIABILITY_SEED", "13"))
STREAM_S = pick(30.0, 300.0)
FIRING_S = (6.0, 10.0)    # each group fires this long, then resolves
FREE_S = (0.3, 2.5)       # the filler leaves the disk free this long, then fills it
FULL_S = (0.2, 2.0)       # and keeps it full this long
SINK_FILLS = 0.25         # the chance that the sink fills the disk while holding a delivery
RESEND_S = 1.0
ROUTING = """\
route:
  receiver: meta
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 1h
  routes:
    - matchers: ['alertname="Flow"']
      receiver: all
      group_by: [alertname, instance]
receivers:
  - name: meta
    webhook_configs: [{{url: "{sink}/{ws}/meta"}}]
  - name: all
    webhook_configs: [{{url: "{sink}/{ws}/all"}}]
"""


def rfc3339(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


class Disk:
    """A tmpfs at `path` that fill() fills to the last byte and free() empties."""

    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()
        self.full = False
        self.closed = False
        self.fills = 0

    def fill(self):
        with self.lock:
            if self.full or self.closed:
                return
            harness.fill_filesystem(self.path)
            self.full = True
            self.fills += 1

    def usage(self):
        """What is on the disk: each file's size, and the space left."""
        st = os.statvfs(self.path)
        files = {n: os.path.getsize(os.path.join(self.path, n)) for n in os.listdir(self.path)}
        return f"{self.path}: {files}, {st.f_bavail * st.f_frsize} bytes free"

    def free(self, for_good=False):
        with self.lock:
            if self.full:
                os.remove(os.path.join(self.path, "ballast"))
                self.full = False
            self.closed = self.closed or for_good


class DiskFullTest(harness.IntegrationTestCase):
    maxDiff = None

    def setUp(self):
        super().setUp()
        if os.geteuid() != 0:
            reason = f"mounting a tmpfs needs root (euid {os.geteuid()})"
            print(f"\nskipped: {reason}")
            self.skipTest(reason)
        path = os.path.join(self.tmp, "disk")
        os.mkdir(path)
        mount = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", path],
                               capture_output=True, text=True)
        if mount.returncode != 0:
            reason = f"mount -t tmpfs failed: {mount.stderr.strip()}"
            print(f"\nskipped: {reason}")
            self.skipTest(reason)
        # Registered after the temp dir's cleanup and before any herald's: runs between them.
        self.addCleanup(subprocess.run, ["umount", "-l", path], check=False)
        self.disk = Disk(path)
        self.rng = random.Random(SEED)
        self.sink = harness.WebhookSink(before_reply=self.maybe_fill)
        self.addCleanup(self.sink.close)
        self.heralds = {
            ws: self.start_herald("http://127.0.0.1:9", [], name=ws, unreachable_after="1h",
                                  storage_path=os.path.join(path, "subject.db")
                                  if ws == "subject" else None,
                                  extra_config=ROUTING.format(sink=self.sink.url, ws=ws))
            for ws in ("reference", "subject")}

    def maybe_fill(self, path, payload):
        if path == "/subject/all" and self.rng.random() < SINK_FILLS:
            self.disk.fill()

    def filler(self, stop):
        while not stop.wait(self.rng.uniform(*FREE_S)):
            self.disk.fill()
            stop.wait(self.rng.uniform(*FULL_S))
            self.disk.free()
        self.disk.free(for_good=True)

    def sender(self, stop, alerts, refused):
        """Posts every alert in `alerts` to both instances every RESEND_S, as Prometheus
        re-sends; a refused POST is counted and left to the next round."""
        while not stop.wait(RESEND_S):
            batch = [dict(a) for a in list(alerts.values())]
            for ws, herald in self.heralds.items():
                try:
                    status, _ = harness.post_json(herald.url + "/api/v2/alerts", batch)
                except OSError:
                    status = None
                if status != 200:
                    refused[ws] = refused.get(ws, 0) + 1

    def total(self, ws, name):
        return sum(v for _, v in self.heralds[ws].metrics().get(name, []))

    def explain(self, lost):
        """What subject holds of the lost notifications' groups (for a failure message)."""
        instances = {dict(g)["instance"] for g, _ in lost}
        base = self.heralds["subject"].url
        alerts = [(a["labels"]["instance"], a["status"]["state"], a.get("endsAt"))
                  for a in harness.get_json(base + "/api/v2/alerts")
                  if a["labels"].get("instance") in instances]
        groups = [(g["labels"].get("instance"), len(g["alerts"]))
                  for g in harness.get_json(base + "/api/v2/alerts/groups")
                  if g["labels"].get("instance") in instances]
        return f"subject's alerts of the lost groups: {alerts}; their groups: {groups}"

    def compare(self, instances):
        """subject against the reference, over the groups of `instances`."""
        def only(notes):
            return [n for n in notes if dict(n.group)["instance"] in instances]
        return reliability.Comparison(
            "webhook", only(reliability.webhook_notes(self.sink, "reference/all")),
            only(reliability.webhook_notes(self.sink, "subject/all")))

    def test_random_full_disks_lose_nothing_and_repeat_nothing(self):
        started = time.time()
        report(f"seed {SEED}, {STREAM_S:.0f}s of alerts")
        alerts, refused = {}, {}
        stop_filling, stop_sending = threading.Event(), threading.Event()
        self.addCleanup(stop_filling.set)
        self.addCleanup(stop_sending.set)
        threading.Thread(target=self.filler, args=(stop_filling,), daemon=True).start()
        threading.Thread(target=self.sender, args=(stop_sending, alerts, refused),
                         daemon=True).start()
        ends, short, long = {}, [], []
        while time.time() - started < STREAM_S:
            now = time.time()
            for _ in range(2):
                name = f"g{len(short) + len(long)}"
                alerts[name] = {"labels": {"alertname": "Flow", "instance": name},
                                "annotations": {"summary": name}}
                if self.rng.random() < 0.5:
                    short.append(name)
                    ends[name] = now + self.rng.uniform(*FIRING_S)
                else:
                    long.append(name)
            for name, end in ends.items():
                if end <= now and "endsAt" not in alerts[name]:
                    alerts[name] = dict(alerts[name], endsAt=rfc3339(end))
            time.sleep(1.0)  # the stream's pace: two new groups a second
        for name, end in ends.items():  # the last short groups resolve when due
            if "endsAt" not in alerts[name]:
                alerts[name] = dict(alerts[name], endsAt=rfc3339(end))
        harness.wait_until(lambda: self.compare(short).reference_count >= 2 * len(short),
                           timeout=60, what="the reference's notifications of short groups")
        stop_filling.set()  # space returns for good; the sender goes on re-sending
        harness.wait_until(lambda: self.disk.closed, timeout=30, what="the filler stopped")
        chaos = time.time() - started
        for name in long:  # the long groups resolve only now
            alerts[name] = dict(alerts[name], endsAt=rfc3339(time.time()))
        everything = short + long
        reliability.wait_for(
            lambda: self.compare(long).caught_up()
            and self.compare(everything).reference_count == 2 * len(everything)
            and self.total("subject", "herald_notifications_unrecorded") == 0,
            timeout=90, what="every notification, and every record written",
            explain=lambda: f"{self.compare(long).describe()}\n{self.disk.usage()}\n"
                            f"{self.explain(self.compare(long).lost)}")
        reliability.settle(lambda: len(self.sink.received), quiet_for=4, timeout=60,
                           what="no more notifications")
        subject = {name: self.total("subject", name) for name in (
            "herald_storage_write_failures_total", "herald_notifications_unrecorded_total",
            "herald_router_flush_errors_total")}
        c, all_groups = self.compare(long), self.compare(everything)
        never = [g for g, k in self.compare(short).lost if k[0]]  # firing never notified
        report(f"{chaos:.0f}s of random full disks, {self.disk.fills} fills; "
               f"{len(everything)} groups; POSTs refused: {refused}; subject's {subject}")
        report(f"groups firing when space returned: {c.describe()}")
        report(f"groups that fired and resolved while the disk filled and freed: "
               f"{len(short) - len(never)} of {len(short)} notified (firing and resolve), "
               f"{len(never)} never (herald could not write the alert or its flush while it "
               f"fired); "
               f"test took {time.time() - started:.0f}s")
        self.assertEqual(all_groups.reference_count, 2 * len(everything),
                         "the reference sent each group's firing and resolved notification once")
        self.assertTrue(c.caught_up(), c.describe())
        self.check_short_groups(short)
        self.assertEqual(all_groups.over_twice, [], "notifications delivered more than twice")
        self.assertEqual(all_groups.duplicates, [], "a notification repeated without a restart")
        self.assertGreater(subject["herald_storage_write_failures_total"], 0,
                           "no write ever failed: the disk was never full when it mattered")

    def check_short_groups(self, short):
        """A group that fired and resolved inside the chaos got all the reference's
        notifications, or none: never a firing one without its resolve."""
        got = collections.defaultdict(list)
        for n in reliability.webhook_notes(self.sink, "subject/all"):
            got[dict(n.group)["instance"]].append((n.firing, n.resolved))
        ref = collections.defaultdict(list)
        for n in reliability.webhook_notes(self.sink, "reference/all"):
            ref[dict(n.group)["instance"]].append((n.firing, n.resolved))
        wrong = {name: got[name] for name in short
                 if [k for k, _ in reliability.runs(got[name])] not in ([], ref[name])}
        self.assertEqual(wrong, {}, "short groups whose notifications are neither the "
                         "reference's nor none (a firing notification left without its resolve)")

if __name__ == "__main__":
    unittest.main(verbosity=2)
