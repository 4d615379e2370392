"""The router's durable outbox under SIGKILL.

Two herald instances get the same burst of alerts over the v2 API, each routing to its own path of
one webhook sink: a reference that is never interrupted, and one killed with SIGKILL at random
moments and restarted each time — while the burst's groups wait, flush and deliver, and again
while their resolves are routed. Afterwards every notification the reference sent must have
reached the sink from the crashed instance too, and none more than twice (only the one in flight
at a kill may repeat).
"""

import collections
import random
import time

import harness

GROUPS = 30
ROUTING = """\
route:
  receiver: sink
  group_by: [alertname, instance]
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 1h
receivers:
  - name: sink
    webhook_configs: [{{url: "{url}"}}]
"""


def burst(ends_at=None):
    alerts = []
    for i in range(GROUPS):
        a = {"labels": {"alertname": "Burst", "instance": f"10.0.0.{i}", "severity": "page"},
             "annotations": {"summary": f"burst {i}"}}
        if ends_at:
            a["endsAt"] = ends_at
        alerts.append(a)
    return alerts


class RouterCrashTest(harness.IntegrationTestCase):
    def test_sigkill_loses_no_notification_and_repeats_at_most_once(self):
        rng = random.Random(20261123)
        sink = harness.WebhookSink()
        self.addCleanup(sink.close)
        reference = self.start_herald(
            "http://127.0.0.1:9", [], name="reference",
            extra_config=ROUTING.format(url=sink.url + "/reference/sink"))
        crashed = self.start_herald(
            "http://127.0.0.1:9", [], name="crashed",
            extra_config=ROUTING.format(url=sink.url + "/crashed/sink"))

        def post_both(alerts):
            for h in (reference, crashed):
                status, body = harness.post_json(h.url + "/api/v2/alerts", alerts)
                self.assertEqual(status, 200, body)

        kills = 0

        def crash_a_few_times(n):
            nonlocal kills
            for _ in range(n):
                time.sleep(rng.uniform(0.0, 1.5))  # a random point in the flush/deliver cycle
                crashed.kill()
                kills += 1
                crashed.start()

        def notes(prefix):
            return collections.Counter(n for n, _ in sink.notifications(prefix))

        def caught_up():
            ref, got = notes("reference"), notes("crashed")
            missing = [n for n in ref if n not in got]
            return not missing and ref

        post_both(burst())
        crash_a_few_times(8)
        harness.wait_until(lambda: len(notes("reference")) == GROUPS, timeout=60,
                           what="the reference's firing notifications")
        harness.wait_until(caught_up, timeout=60, what="the crashed instance's firing notifications")

        post_both(burst(ends_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())))
        crash_a_few_times(8)
        harness.wait_until(lambda: len(notes("reference")) == 2 * GROUPS, timeout=60,
                           what="the reference's resolved notifications")
        harness.wait_until(caught_up, timeout=60, what="the crashed instance's resolved notifications")

        self.assertGreaterEqual(kills, 16)
        ref, got = notes("reference"), notes("crashed")
        self.assertEqual(set(got), set(ref), "the crashed instance sent something the reference did not")
        self.assertTrue(all(c == 1 for c in ref.values()), ref)
        repeated = {n: c for n, c in got.items() if c > 2}
        self.assertEqual(repeated, {}, "notifications delivered more than twice")
