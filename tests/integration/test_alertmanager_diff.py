"""herald's router against a real Alertmanager (Debian prometheus-alertmanager 0.25).

Both load the same route / receivers / inhibit_rules (webhook receivers pointing at one local
sink, each under its own path) and get the same alert sequence over the v2 API: new alerts, more
alerts in a group, a silence, an inhibiting alert and resolves. The notifications each sends are
reduced to (receiver, group key, firing fingerprints, resolved fingerprints): the two sets must be
identical, and each of herald's must arrive within one group_interval of Alertmanager's.
"""

import json
import os
import shutil
import subprocess
import time
import unittest

import harness

GROUP_WAIT = 1.0
GROUP_INTERVAL = 3.0

ROUTING = """\
route:
  receiver: default
  group_by: [alertname]
  group_wait: 1s
  group_interval: 3s
  repeat_interval: 1h
  routes:
    - matchers: ['team="ml"']
      receiver: ml
      group_by: [alertname, model]
      continue: true
    - matchers: ['severity=~"critical|page"']
      receiver: pager
      group_by: []
    - matchers: ['team="web"', 'service!~"chat|search"']
      receiver: web
      group_by: ['...']
inhibit_rules:
  - source_matchers: ['severity="critical"']
    target_matchers: ['severity="warning"']
    equal: [service]
receivers:
"""


def receivers_yaml(sink_url, prefix):
    lines = []
    for name in ("default", "ml", "pager", "web"):
        lines.append(f"  - name: {name}")
        lines.append(f"    webhook_configs: [{{url: \"{sink_url}/{prefix}/{name}\"}}]")
    return "\n".join(lines) + "\n"


def alert(labels, ends_at=None):
    a = {"labels": labels, "annotations": {"summary": labels["alertname"]},
         "generatorURL": "http://prometheus.example/graph"}
    if ends_at:
        a["endsAt"] = ends_at
    return a


def rfc3339_now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def start_alertmanager(test, config_text):
    return harness.start_alertmanager(test, config_text)


class AlertmanagerDifferentialTest(harness.IntegrationTestCase):
    def start_alertmanager(self, sink):
        return start_alertmanager(self, ROUTING + receivers_yaml(sink.url, "am"))

    def test_same_notifications_as_alertmanager(self):
        sink = harness.WebhookSink()
        self.addCleanup(sink.close)
        am = self.start_alertmanager(sink)
        herald = self.start_herald(
            datasource_url="http://127.0.0.1:9", rule_files=[],
            extra_config=ROUTING + receivers_yaml(sink.url, "herald"))

        def post(alerts):
            for base in (am, herald.url):
                status, body = harness.post_json(base + "/api/v2/alerts", alerts)
                self.assertEqual(status, 200, f"{base}: {body}")
            posted.append(time.monotonic())

        posted = [time.monotonic()]

        def settle(what):
            """Waits until both sides sent the same notifications and nothing arrived for one and
            a half group_intervals after the last post (what either still has to send for it
            would have come by then)."""
            def same_and_quiet():
                a = [n for n, _ in sink.notifications("am")]
                h = [n for n, _ in sink.notifications("herald")]
                with sink.lock:
                    last = max([t for _, _, t in sink.received] + posted)
                return sorted(a) == sorted(h) and time.monotonic() - last > GROUP_INTERVAL * 1.5
            harness.wait_until(same_and_quiet, timeout=60, interval=0.25,
                               what=f"the same notifications after {what}")

        ml_llama = {"alertname": "HighErrorRate", "team": "ml", "model": "llama3-8b",
                    "severity": "warning"}
        ml_mistral = {"alertname": "HighErrorRate", "team": "ml", "model": "mistral-7b",
                      "severity": "warning"}
        pod_down = {"alertname": "PodDown", "team": "web", "service": "api", "severity": "critical"}
        api_slow = {"alertname": "HighLatency", "team": "web", "service": "api",
                    "severity": "warning"}
        chat_slow = {"alertname": "HighLatency", "team": "web", "service": "chat",
                     "severity": "warning"}

        # New alerts: nested routes, continue, a negative regex matcher, `...`, an empty
        # group_by, and an inhibited target (api_slow, by pod_down on service=api).
        post([alert(ml_llama), alert(ml_mistral), alert(pod_down), alert(api_slow),
              alert(chat_slow)])
        settle("the first alerts")
        # More alerts in an existing group.
        post([alert(dict(ml_llama, instance="10.0.0.2"))])
        settle("a second alert in a group")
        # A silence, then a new alert it matches (left out of its group's notification).
        silence = {"matchers": [{"name": "instance", "value": "10.0.0.3", "isRegex": False,
                                 "isEqual": True}],
                   "startsAt": rfc3339_now(), "endsAt": "2099-01-01T00:00:00Z",
                   "createdBy": "test", "comment": "differential"}
        for base in (am, herald.url):
            status, body = harness.post_json(base + "/api/v2/silences", silence)
            self.assertEqual(status, 200, f"{base}: {body}")
        posted.append(time.monotonic())
        post([alert(dict(ml_mistral, instance="10.0.0.3")),
              alert(dict(chat_slow, instance="10.0.0.4"))])
        settle("a silence")
        # Fingerprints as Alertmanager computes them, to check the sequence did what it means to.
        fingerprints = {}
        for a in harness.get_json(am + "/api/v2/alerts?silenced=true&inhibited=true"):
            fingerprints[tuple(sorted(a["labels"].items()))] = a["fingerprint"]

        def fp(labels):
            return fingerprints[tuple(sorted(labels.items()))]

        def firing_in(notes, labels):
            return [n for n, _ in notes if fp(labels) in n[2]]

        self.assertEqual(firing_in(sink.notifications("am"), api_slow), [], "inhibited")
        silenced = dict(ml_mistral, instance="10.0.0.3")
        # Resolves: one alert of a group, and the inhibiting alert (its target now notifies).
        now = rfc3339_now()
        post([alert(ml_llama, ends_at=now), alert(pod_down, ends_at=now)])
        settle("resolves")

        am_notes = sink.notifications("am")
        herald_notes = sink.notifications("herald")
        self.assertGreaterEqual(len(am_notes), 8, am_notes)
        self.assertEqual(sorted(n for n, _ in herald_notes), sorted(n for n, _ in am_notes))
        self.assertNotEqual(firing_in(am_notes, api_slow), [], "notified once uninhibited")
        self.assertEqual(firing_in(am_notes, silenced), [], "silenced")
        # Each of herald's within one group_interval of Alertmanager's same notification.
        pending = list(am_notes)
        for note, t in herald_notes:
            match = next(i for i, (n, _) in enumerate(pending) if n == note)
            _, t_am = pending.pop(match)
            self.assertLessEqual(abs(t - t_am), GROUP_INTERVAL, f"{note}: {t - t_am:+.2f}s")


class AmtoolAgainstHeraldTest(harness.IntegrationTestCase):
    """amtool (Debian prometheus-alertmanager 0.25) drives herald's v2 API as it drives
    Alertmanager: silences added, listed and expired, alerts added and listed."""

    def amtool(self, url, *args):
        binary = os.environ.get("AMTOOL_BIN") or shutil.which("amtool")
        if not binary:
            raise unittest.SkipTest("amtool is not installed")
        proc = subprocess.run([binary, f"--alertmanager.url={url}", *args], capture_output=True,
                              text=True, timeout=30)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc.stdout

    def test_silences_and_alerts_with_amtool(self):
        herald = self.start_herald(
            "http://127.0.0.1:9", [],
            extra_config="route: {receiver: r}\nreceivers: [{name: r}]\n")
        sid = self.amtool(herald.url, "silence", "add", "alertname=Foo", "--comment=maintenance",
                          "--duration=1h").strip()
        self.assertRegex(sid, r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        self.assertEqual(self.amtool(herald.url, "silence", "query", "-q").split(), [sid])
        listed = self.amtool(herald.url, "silence", "query")
        self.assertIn('alertname="Foo"', listed)
        self.assertIn("maintenance", listed)

        self.amtool(herald.url, "alert", "add", "alertname=Foo", "severity=page")
        self.amtool(herald.url, "alert", "add", "alertname=Bar", "severity=page")
        def alertnames(*flags):  # the first column of amtool's table, header dropped
            rows = self.amtool(herald.url, "alert", "query", *flags).splitlines()[1:]
            return sorted(r.split()[0] for r in rows if r.strip())

        # Bar is active; Foo is silenced (amtool lists only active alerts by default).
        self.assertEqual(alertnames(), ["Bar"])
        self.assertEqual(alertnames("--silenced"), ["Foo"])  # -s alone: only the silenced

        self.amtool(herald.url, "silence", "expire", sid)
        self.assertEqual(self.amtool(herald.url, "silence", "query", "-q").split(), [])
        self.assertIn(sid, self.amtool(herald.url, "silence", "query", "--expired", "-q").split())
        # The status endpoint amtool reads: the effective config, secrets redacted.
        self.assertIn("receivers:", self.amtool(herald.url, "config", "show"))


if __name__ == "__main__":
    unittest.main()


FORWARD = """\
route:
  receiver: upstream
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: upstream
    alertmanager_configs: [{{urls: ["{am}"], resend_interval: 1s}}]
"""


class ForwarderAgainstAlertmanagerTest(harness.IntegrationTestCase):
    """herald's `alertmanager_configs` forwarding to a real Alertmanager: the alert arrives with
    herald's labels; resends keep it active long past the 4 s EndsAt of each send; the resolve
    reaches it."""

    def test_forwarded_alerts_stay_active_and_resolve(self):
        sink = harness.WebhookSink()
        self.addCleanup(sink.close)
        am = start_alertmanager(self, ROUTING + receivers_yaml(sink.url, "am"))
        herald = self.start_herald(datasource_url="http://127.0.0.1:9", rule_files=[],
                                   extra_config=FORWARD.format(am=am))
        labels = {"alertname": "ModelNotLoaded", "model": "llama3-8b", "severity": "critical"}
        status, body = harness.post_json(herald.url + "/api/v2/alerts", [alert(labels)])
        self.assertEqual(status, 200, body)

        def in_alertmanager():
            found = [a for a in harness.get_json(am + "/api/v2/alerts")
                     if a["labels"] == labels]
            return found[0] if found else None

        first = harness.wait_until(in_alertmanager, what="the alert in Alertmanager")
        self.assertEqual(first["status"]["state"], "active")
        first_end = harness.parse_rfc3339(first["endsAt"])
        # Each send is valid for 4 × resend_interval; only resends keep it listed past that.
        harness.wait_until(lambda: time.time() * 1000 > first_end + 2000, timeout=15, interval=0.2,
                           what="the first EndsAt to pass")
        later = in_alertmanager()
        self.assertIsNotNone(later, "Alertmanager resolved the alert: herald did not re-send")
        self.assertGreater(harness.parse_rfc3339(later["endsAt"]), first_end)

        status, body = harness.post_json(herald.url + "/api/v2/alerts",
                                         [alert(labels, ends_at=rfc3339_now())])
        self.assertEqual(status, 200, body)
        harness.wait_until(lambda: in_alertmanager() is None, timeout=20,
                           what="the resolve to reach Alertmanager")
