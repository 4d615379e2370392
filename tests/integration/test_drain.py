"""SIGTERM with notifications pending against a slow receiver (what a Kubernetes rollout does).

herald routes 60 one-alert groups to a webhook that takes 0.3 s to answer each (at most four of
herald's deliveries to it run at once, so they need about 4.5 s), and gets SIGTERM as soon as
the first arrives. With --shutdown.timeout=4s it must exit 0 within the timeout, having delivered
some but not all; restarted on the same database against a receiver that answers at once, it
delivers the rest: every group exactly once. A second SIGTERM ends the drain at once; nothing
persisted is lost, and only the deliveries it cut off may arrive twice.
"""

import json
import signal
import threading
import time

import harness

GROUPS = 60
REPLY_DELAY_S = 0.3
TIMEOUT_S = 4.0
ROUTING = """\
route:
  receiver: slow
  group_by: [alertname, instance]
  group_wait: 0s
  group_interval: 1h
  repeat_interval: 1h
receivers:
  - name: slow
    webhook_configs: [{{url: "{url}/drain/slow"}}]
"""


class DrainTest(harness.IntegrationTestCase):
    def setUp(self):
        super().setUp()
        self.slow = threading.Event()
        self.slow.set()
        self.sink = harness.WebhookSink(
            before_reply=lambda *_: self.slow.is_set() and time.sleep(REPLY_DELAY_S))
        self.addCleanup(self.sink.close)
        self.herald = self.start_herald(
            "http://127.0.0.1:9", [], extra_config=ROUTING.format(url=self.sink.url),
            extra_args=[f"--shutdown.timeout={TIMEOUT_S:g}s"])

    def post_groups(self, batch):
        alerts = [{"labels": {"alertname": f"Drain{batch}", "instance": f"i{i}"}}
                  for i in range(GROUPS)]
        status, _ = harness.http("POST", self.herald.url + "/api/v2/alerts",
                                 data=json.dumps(alerts).encode())
        self.assertEqual(status, 200)

    def delivered(self, batch):
        """{instance: times delivered} of batch `batch`."""
        out = {}
        for (_, key, firing, _), _ in self.sink.notifications("drain"):
            if f'alertname="Drain{batch}"' in key:
                instance = key.split('instance="')[1].split('"')[0]
                out[instance] = out.get(instance, 0) + 1
        return out

    def exit_after(self, signals):
        """Sends SIGTERM, then the rest of `signals` (seconds after the first); returns (exit
        code, seconds from the first SIGTERM to the exit)."""
        proc = self.herald.process.proc
        start = time.monotonic()
        for at in signals:
            time.sleep(max(0.0, start + at - time.monotonic()))
            proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=TIMEOUT_S + 10)
        return code, time.monotonic() - start

    def restart_fast_and_collect(self, batch):
        self.slow.clear()
        self.herald.start()
        harness.wait_until(lambda: len(self.delivered(batch)) == GROUPS, timeout=30,
                           what=f"all {GROUPS} groups delivered after the restart")
        time.sleep(1.0)  # anything sent twice would arrive now; nothing is left to send
        return self.delivered(batch)

    def test_sigterm_delivers_what_it_can_then_the_rest_after_restart_exactly_once(self):
        self.post_groups(1)
        harness.wait_until(lambda: self.delivered(1), timeout=10, what="the first delivery")
        code, took = self.exit_after([0.0])
        before_restart = sum(self.delivered(1).values())
        self.assertEqual(code, 0, self.herald.process.log_tail())
        self.assertLess(took, TIMEOUT_S + 1.0, "herald outlived --shutdown.timeout")
        self.assertGreater(before_restart, 4, "the drain delivered nothing beyond the first round")
        self.assertLess(before_restart, GROUPS, "nothing was left pending: the test proved little")
        self.assertTrue(self.herald.log_lines("stopped", current_run=True), "not a clean stop")
        after = self.restart_fast_and_collect(1)
        self.assertEqual(after, {f"i{i}": 1 for i in range(GROUPS)})

    def test_a_second_sigterm_exits_at_once_losing_nothing(self):
        self.post_groups(2)
        harness.wait_until(lambda: self.delivered(2), timeout=10, what="the first delivery")
        code, took = self.exit_after([0.0, 0.5])
        self.assertEqual(code, 0, self.herald.process.log_tail())
        self.assertLess(took, 1.5, "a second SIGTERM did not end the drain")
        cut = self.herald.log_lines("shutdown cut short; deliveries in flight are sent again "
                                    "after the next start", current_run=True)
        self.assertEqual([c["by"] for c in cut], ["a second SIGTERM"])
        after = self.restart_fast_and_collect(2)
        self.assertEqual(set(after), {f"i{i}" for i in range(GROUPS)})
        twice = [i for i, n in after.items() if n > 1]
        self.assertLessEqual(len(twice), int(cut[0]["in_flight"]), after)
        self.assertEqual([n for n in after.values() if n > 2], [])


if __name__ == "__main__":
    import unittest
    unittest.main(verbosity=2)
