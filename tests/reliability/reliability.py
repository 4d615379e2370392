"""What the reliability tests share: the CI/long switch, receivers for every integration, reading
back what each peer got as comparable notifications, and comparing an instance against a
reference. The processes and their harness come from tests/integration/harness.py, imported from
there (not copied).

HERALD_RELIABILITY_LONG=1 selects the long version of every test (see README "Tests").
"""

import collections
import datetime
import functools
import hashlib
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "integration"))
import harness  # noqa: E402  (tests/integration/harness.py)

LONG = os.environ.get("HERALD_RELIABILITY_LONG", "") not in ("", "0")
# harness.WebhookSink stamps arrivals with time.monotonic(); the other peers with time.time().
MONO_TO_WALL = time.time() - time.monotonic()
# How long after the next process is up a peer may still finish what the killed one sent it.
PEER_LAG = 0.25


def pick(ci, long):
    """The CI figure, or the long one with HERALD_RELIABILITY_LONG=1."""
    return long if LONG else ci


def report(text):
    """A measured figure, printed where ctest -V and the README's readers look."""
    print(f"  {text}", file=sys.stderr, flush=True)


# Every integration but the webhook carries this in its message (Slack's fallback text, the
# email's text part, PagerDuty's custom_details), so a peer can tell which group and which alerts a
# notification was about: "<group labels>|<firing fingerprints>|<resolved fingerprints>".
KEY_TEMPLATE = ('{{ define "reliability.key" }}'
                '{{ range .GroupLabels.SortedPairs }}{{ .Name }}={{ .Value }};{{ end }}|'
                '{{ range .Alerts.Firing }}{{ .Fingerprint }} {{ end }}|'
                '{{ range .Alerts.Resolved }}{{ .Fingerprint }} {{ end }}'
                '{{ end }}\n')
KEY = '{{ template "reliability.key" . }}'

# `decided`: for a webhook notification, the wall time of the evaluation that made it (the newest
# firing alert's startsAt or resolved alert's endsAt); None where the message does not say.
Note = collections.namedtuple("Note", "integration group firing resolved at decided",
                              defaults=(None,))


def group_of(labels):
    """A group's identity: its group labels, sorted."""
    return tuple(sorted(labels.items()))


def parse_key(text):
    """KEY_TEMPLATE's output → (group, firing, resolved)."""
    group, firing, resolved = text.strip().split("|")
    labels = dict(p.split("=", 1) for p in group.split(";") if p)
    return group_of(labels), tuple(sorted(firing.split())), tuple(sorted(resolved.split()))


def write_templates(directory):
    path = os.path.join(directory, "reliability.tmpl")
    with open(path, "w") as f:
        f.write(KEY_TEMPLATE)
    return path


def receiver_configs(ws, sink=None, slack=None, pagerduty=None, smtp=None, webhook_path="all"):
    """The `*_configs` lines of one receiver sending to each given peer, as workspace `ws` (the
    webhook under /<ws>/<webhook_path>, the email to <ws>@example.com); every integration sends
    resolves and carries KEY."""
    lines = []
    if sink is not None:
        lines.append(f'    webhook_configs: [{{url: "{sink.url}/{ws}/{webhook_path}"}}]')
    if slack is not None:
        lines += ["    slack_configs:",
                  f'      - {{app_token: "{slack.token(ws)}", app_url: "{slack.app_url(ws)}",',
                  f'         channel: "{slack.CHANNEL}", send_resolved: true,',
                  f"         fallback: '{KEY}'}}"]
    if smtp is not None:
        lines += ["    email_configs:",
                  f'      - {{to: "{ws}@example.com", from: "herald@example.com",',
                  f'         smarthost: "127.0.0.1:{smtp.port}", require_tls: false,',
                  f"         send_resolved: true, text: '{KEY}'}}"]
    if pagerduty is not None:
        lines += ["    pagerduty_configs:",
                  f'      - {{routing_key: "{pagerduty.routing_key(ws)}", '
                  f'url: "{pagerduty.events_url(ws)}",',
                  f"         details: {{reliability_key: '{KEY}'}}}}"]
    return "\n".join(lines) + "\n"


# --- what each peer got, as notifications -------------------------------------------------------

def webhook_notes(sink, prefix):
    """harness.WebhookSink's notifications under /<prefix> (e.g. "victim/all")."""
    with sink.lock:
        items = [(p, b, t + MONO_TO_WALL) for p, b, t in sink.received]
    return webhook_notes_of(items, prefix)


def webhook_notes_of(items, prefix):
    """Webhook notifications to /<prefix> among `items`: (path, payload, wall time)."""
    out = []
    for path, body, t in items:
        if path != f"/{prefix}":
            continue
        firing = tuple(sorted(a["fingerprint"] for a in body["alerts"] if a["status"] == "firing"))
        resolved = tuple(sorted(a["fingerprint"] for a in body["alerts"]
                                if a["status"] == "resolved"))
        decided = max(wall_time(a["startsAt"] if a["status"] == "firing" else a["endsAt"])
                      for a in body["alerts"])
        out.append(Note("webhook", group_of(body["groupLabels"]), firing, resolved, t, decided))
    return out


def wall_time(rfc3339):
    """An Alertmanager payload's timestamp as seconds since the epoch."""
    return datetime.datetime.fromisoformat(rfc3339).timestamp()


def slack_notes(slack, ws):
    """Slack notifications of workspace `ws`: each accepted parent post and each accepted update
    (a later notification of the group: the parent updated in place, then a thread reply)."""
    _, calls = slack.workspace(ws)
    out = []
    for c in calls:
        if c["status"] != 200 or c["error"]:
            continue
        body = json.loads(c["body"])
        if c["method"] == "chat.postMessage" and body.get("thread_ts"):
            continue  # a thread reply: part of the update before it
        group, firing, resolved = parse_key(body["text"])
        out.append(Note("slack", group, firing, resolved, c["arrived"]))
    return out


def email_notes(smtp, ws):
    out = []
    for record, t in smtp.messages():
        if record["rcpt_tos"] != [f"{ws}@example.com"]:
            continue
        text = next(p["content"] for p in record["parts"] if p["content_type"] == "text/plain")
        group, firing, resolved = parse_key(text)
        out.append(Note("email", group, firing, resolved, t))
    return out


def pagerduty_notes(pagerduty, ws, group_keys=()):
    """Triggers carry KEY; a resolve carries only the dedup_key, so it is named after the group
    whose trigger had that key, or whose group key (`group_keys`: {group key: group}) hashes to
    it, with resolved = ("resolve",)."""
    out = []
    groups = {dedup_key(k): g for k, g in dict(group_keys).items()}
    for e in pagerduty.accepted(ws):
        event = e["event"]
        if event["event_action"] == "trigger":
            group, firing, resolved = parse_key(event["payload"]["custom_details"]
                                                ["reliability_key"])
            groups[event["dedup_key"]] = group
            out.append(Note("pagerduty", group, firing, resolved, e["arrived"]))
        else:
            group = groups.get(event["dedup_key"], (("dedup_key", event["dedup_key"]),))
            out.append(Note("pagerduty", group, (), ("resolve",), e["arrived"]))
    return out


def dedup_key(group_key):
    """PagerDuty's dedup_key for an Alertmanager group key (docs/compatibility.md
    "PagerDuty Events API v2")."""
    return hashlib.sha256(group_key.encode()).hexdigest()


# --- comparing an instance with the reference -----------------------------------------------------

def runs(keys):
    """[(key, count)] of consecutive equal keys."""
    out = []
    for k in keys:
        if out and out[-1][0] == k:
            out[-1][1] += 1
        else:
            out.append([k, 1])
    return [tuple(r) for r in out]


def unseen_flaps(reference_webhook, missed):
    """{group: indices into the reference's notifications of the group} of those an instance
    could not have made because they were decided by an evaluation it missed: `missed` is a list
    of (from, to) wall times when it was not evaluating; `reference_webhook` the reference's
    webhook notes (the only integration whose payload says when an alert fired or resolved; the
    other integrations of the receiver send the same notifications in the same order)."""
    out = collections.defaultdict(set)
    by_group = collections.defaultdict(list)
    for n in reference_webhook:
        by_group[n.group].append(n)
    for group, notes in by_group.items():
        for i, n in enumerate(notes):
            if any(lo <= n.decided <= hi for lo, hi in missed):
                out[group].add(i)
    return dict(out)


def align_skipping_flaps(ref_seq, got_seq, skippable):
    """How many pairs of consecutive notifications ref_seq[i], ref_seq[i + 1] with i in
    `skippable` must be dropped for ref_seq to equal got_seq; None if no such dropping makes them
    equal. An instance that missed the evaluation where the reference's alert resolved (or fired)
    for one evaluation misses that notification and the one that undid it: the reference's
    resolve-then-fire (or fire-then-resolve) flap."""

    @functools.lru_cache(maxsize=None)
    def skips(i, j):
        if i == len(ref_seq):
            return 0 if j == len(got_seq) else None
        best = None
        if j < len(got_seq) and ref_seq[i] == got_seq[j]:
            best = skips(i + 1, j + 1)
        if best is None and i in skippable and i + 1 < len(ref_seq):
            rest = skips(i + 2, j)
            best = None if rest is None else rest + 1
        return best

    return skips(0, 0)


class Comparison:
    """One integration's notifications from `got` against the reference's, group by group.

    A notification is (group, firing set, resolved set). herald never sends a group the same set
    twice in a row by itself (repeat_interval is long here), so consecutive equal notifications
    are one notification and its duplicates. `lost`: what the reference sent and `got` did not
    (the sequences with duplicates collapsed must be equal, but for the reference's flaps listed
    in `unseen`, see unseen_flaps; `flaps_unseen` counts those dropped); `unexpected`: the
    reverse; `duplicates`: (group, key, [arrival times]) of each repeated notification."""

    def __init__(self, integration, reference, got, unseen=None):
        self.integration = integration
        self.lost, self.unexpected, self.duplicates, self.reordered = [], [], [], []
        self.flaps_unseen = 0
        unseen = unseen or {}
        self.reference_count = len(reference)
        self.count = len(got)
        ref_by, got_by = collections.defaultdict(list), collections.defaultdict(list)
        for n in reference:
            ref_by[n.group].append(n)
        for n in got:
            got_by[n.group].append(n)
        self.reference_repeats = 0
        for group in sorted(set(ref_by) | set(got_by)):
            ref_runs = runs([(n.firing, n.resolved) for n in ref_by[group]])
            self.reference_repeats += sum(c - 1 for _, c in ref_runs)
            ref_seq = [k for k, _ in ref_runs]
            got_notes = got_by[group]
            got_seq, i = [], 0
            for key, count in runs([(n.firing, n.resolved) for n in got_notes]):
                if count > 1:
                    self.duplicates.append((group, key, [n.at for n in got_notes[i:i + count]]))
                got_seq.append(key)
                i += count
            skipped = align_skipping_flaps(tuple(ref_seq), tuple(got_seq),
                                           frozenset(unseen.get(group, ())))
            if skipped:
                self.flaps_unseen += skipped
                continue
            missing = collections.Counter(ref_seq) - collections.Counter(got_seq)
            extra = collections.Counter(got_seq) - collections.Counter(ref_seq)
            self.lost += [(group, k) for k in missing.elements()]
            self.unexpected += [(group, k) for k in extra.elements()]
            if not missing and not extra and ref_seq != got_seq:
                self.reordered.append((group, ref_seq, got_seq))

    @property
    def duplicate_count(self):
        return sum(len(times) - 1 for _, _, times in self.duplicates)

    @property
    def over_twice(self):
        return [(g, k, len(t)) for g, k, t in self.duplicates if len(t) > 2]

    def caught_up(self):
        return not self.lost and not self.unexpected and not self.reordered

    def unexplained_duplicates(self, kills):
        """Duplicates no kill explains. `kills`: (wall time of the SIGKILL, wall time the next
        process answered as ready). Each copy after the first needs a kill of its own between it
        and the copy before: one whose SIGKILL came before the later copy arrived, and whose
        next process was up no earlier than PEER_LAG before the earlier copy arrived — a peer
        finishes a delivery the killed process had started when it gets to it (an SMTP server
        stores a message whose DATA had been sent; on a busy machine that has been seen to come
        after the next process was spawned). A notification in flight at two kills in a row is
        sent three times: two kills, two duplicates."""
        return [(g, k, t) for g, k, t in self.duplicates if self._kills_for(t, kills) is None]

    @staticmethod
    def _explains(kill, earlier, later):
        killed, up = kill
        return earlier < up + PEER_LAG and later > killed

    @classmethod
    def _kills_for(cls, times, kills):
        """Indices of distinct kills explaining each consecutive pair of copies, or None."""
        used = []
        for earlier, later in zip(times, times[1:]):
            i = next((i for i, kill in enumerate(kills)
                      if i not in used and cls._explains(kill, earlier, later)), None)
            if i is None:
                return None
            used.append(i)
        return used

    def most_from_one_kill(self, kills):
        """The most duplicates one kill explains."""
        per_kill = collections.Counter()
        for _, _, t in self.duplicates:
            for i in self._kills_for(t, kills) or []:
                per_kill[i] += 1
        return max(per_kill.values(), default=0)

    def describe(self):
        return (f"{self.integration}: reference {self.reference_count}, got {self.count}; "
                f"lost {self.lost[:5]} ({len(self.lost)}), unexpected {self.unexpected[:5]} "
                f"({len(self.unexpected)}), reordered {self.reordered[:3]}, "
                f"duplicates {self.duplicate_count}, reference flaps unseen {self.flaps_unseen}")


def wait_for(fn, timeout, what, explain):
    """harness.wait_until, with explain() — the state at the deadline — added to its failure."""
    try:
        return harness.wait_until(fn, timeout=timeout, what=what)
    except AssertionError as e:
        raise AssertionError(f"{e}\n{explain()}") from None


def settle(fn, quiet_for, timeout, what):
    """Polls fn() (a comparable snapshot) until it has not changed for `quiet_for` s; returns it."""
    seen = [object(), time.monotonic()]

    def quiet():
        value = fn()
        if value != seen[0]:
            seen[:] = [value, time.monotonic()]
        return (value,) if time.monotonic() - seen[1] >= quiet_for else None

    return harness.wait_until(quiet, timeout=timeout, what=what)[0]


class Schedule:
    """A seeded schedule of demo-exporter incidents: each (kind, model, params) channel toggles
    on and off, every period between min_period and max_period s, until stop(). As in
    tests/integration/test_crash_restore.py, one model per incident so alerts never overlap, and
    periods long enough that an instance that misses the evaluations a restart costs cannot miss
    a whole on or off period."""

    def __init__(self, exporter, rng, channels, min_period, max_period):
        self.exporter = exporter
        self.rng = rng
        self.channels = channels
        self.min_period, self.max_period = min_period, max_period
        now = time.monotonic()
        self.on = [False] * len(channels)
        self.next_at = [now + rng.uniform(0.0, min_period / 2) for _ in channels]
        self.toggles = 0
        self.last_toggle = now

    def step(self):
        """Applies every due toggle."""
        for i, (kind, model, params) in enumerate(self.channels):
            if time.monotonic() < self.next_at[i]:
                continue
            if self.on[i]:
                self.exporter.clear_incident(kind, model)
            else:
                self.exporter.start_incident(kind, model, **params)
            self.on[i] = not self.on[i]
            self.toggles += 1
            self.last_toggle = time.monotonic()
            self.next_at[i] = self.last_toggle + self.rng.uniform(self.min_period, self.max_period)

    def sleep(self, seconds):
        """Sleeps `seconds`, toggling incidents when due."""
        end = time.monotonic() + seconds
        while (now := time.monotonic()) < end:
            self.step()
            time.sleep(max(0.0, min(end, min(self.next_at)) - now))
        self.step()

    def stop(self):
        """Every incident off."""
        self.exporter.clear_all()
        self.on = [False] * len(self.channels)
        self.last_toggle = time.monotonic()
