#!/usr/bin/env python3
"""Load benchmark: herald's API under a steady alert stream while it evaluates rules.

Setup (127.0.0.1, free ports, one temp dir removed at the end): the demo exporter, a real
Prometheus scraping it, and `herald run` evaluating --rules generated alerting rules
(bench/rulegen.py) in --groups groups every --interval and routing to a local webhook sink
(group_by [alertname, service], group_wait 1s, group_interval 5s). Then, for --duration, a few
client threads on kept-alive connections POST --rate alerts/s to /api/v2/alerts in batches of
--batch (Prometheus sends at most 64 per request): --distinct alerts in --alert-groups groups,
each re-sent every distinct/rate seconds, as Prometheus re-sends active alerts. Reported:
  requests, errors      POSTs made, and those not answered 200 (by status or exception)
  latency               p50 / p99 / max of one POST, as the client saw it
  RSS                   herald's VmRSS every 5 s, and VmHWM at the end
  CPU                   herald's user+system seconds over the load window
  delivered             distinct alerts the sink saw firing, and the time from the first POST
                        until it had all of them (each is first sent within distinct/rate s)
Prints a table (or --json).

Usage: bench/run load [--rate 1000] [--duration 60s] [--rules 1000] [--json] ...
"""

import argparse
import datetime
import http.client
import json
import os
import shutil
import sys
import tempfile
import threading
import time

import rulegen
from rule_eval import Environment, machine_info, parse_duration, percentile
from systems import cpu_seconds, harness

ROUTING = """\
route:
  receiver: sink
  group_by: [alertname, service]
  group_wait: 1s
  group_interval: 5s
  repeat_interval: 1h
receivers:
  - name: sink
    webhook_configs: [{{url: "{url}"}}]
"""


def rss_mib(pid, field="VmRSS:"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    return 0.0


def batches(distinct, groups, size):
    """The alert set, cut into POST bodies (encoded once: the client must not be the
    bottleneck)."""
    alerts = [{"labels": {"alertname": "LoadAlert", "service": f"svc-{i % groups}",
                          "instance": f"10.1.{i // 250}.{i % 250}", "severity": "warning"},
               "annotations": {"summary": f"load alert {i}"}} for i in range(distinct)]
    return [json.dumps(alerts[i:i + size]).encode() for i in range(0, distinct, size)]


class Load:
    """`threads` clients sending `bodies` round-robin at `rate` alerts/s for `duration`."""

    def __init__(self, port, bodies, batch, rate, duration, threads=4):
        self.port, self.bodies, self.duration = port, bodies, duration
        self.period = threads * batch / rate  # each thread's interval between POSTs
        self.threads = threads
        self.lock = threading.Lock()
        self.latencies, self.errors, self.next_body = [], {}, 0

    def _take(self):
        with self.lock:
            body = self.bodies[self.next_body % len(self.bodies)]
            self.next_body += 1
            return body

    def _client(self, offset):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        start = time.monotonic() + offset
        n = 0
        while True:
            due = start + n * self.period
            if due - self.t0 >= self.duration:
                break
            time.sleep(max(0.0, due - time.monotonic()))
            n += 1
            body = self._take()
            t = time.monotonic()
            try:
                conn.request("POST", "/api/v2/alerts", body,
                             {"Content-Type": "application/json"})
                resp = conn.getresponse()
                resp.read()
                status = resp.status
            except (OSError, http.client.HTTPException) as e:
                status = type(e).__name__
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            took = time.monotonic() - t
            with self.lock:
                self.latencies.append(took)
                if status != 200:
                    self.errors[str(status)] = self.errors.get(str(status), 0) + 1
        conn.close()

    def run(self):
        self.t0 = time.monotonic()
        workers = [threading.Thread(target=self._client, args=(i * self.period / self.threads,))
                   for i in range(self.threads)]
        for w in workers:
            w.start()
        return workers


def firing_seen(sink):
    """{instance: when the sink first saw it firing (monotonic)}."""
    with sink.lock:
        received = list(sink.received)
    first = {}
    for _, body, t in received:
        for a in body["alerts"]:
            if a["status"] == "firing" and a["labels"].get("alertname") == "LoadAlert":
                first.setdefault(a["labels"]["instance"], t)
    return first


def run(args, workdir):
    text, _ = rulegen.generate_rules(args.rules, args.groups, 0.07, 1)
    rule_file = os.path.join(workdir, "rules.yml")
    with open(rule_file, "w") as f:
        f.write(text)
    env = Environment(workdir, args.herald_bin, "5s")
    sink = harness.WebhookSink()
    herald = None
    try:
        herald = harness.Herald(workdir, env.prometheus.url, [rule_file],
                                evaluation_interval=args.interval_text, binary=args.herald_bin,
                                extra_config=ROUTING.format(url=sink.url + "/load/sink"))
        harness.wait_until(herald.ready, timeout=120, what="herald ready")
        pid = herald.pid
        bodies = batches(args.distinct, args.alert_groups, args.batch)
        load = Load(herald.port, bodies, args.batch, args.rate, args.duration)
        cpu0, t0 = cpu_seconds(pid), time.monotonic()
        workers = load.run()
        rss = []
        while any(w.is_alive() for w in workers):
            rss.append((round(time.monotonic() - t0), round(rss_mib(pid), 1)))
            for w in workers:
                w.join(timeout=max(0.0, t0 + 5 * len(rss) - time.monotonic()))
        cpu = cpu_seconds(pid) - cpu0
        harness.wait_until(lambda: len(firing_seen(sink)) >= args.distinct, timeout=300,
                           interval=0.1, what="every alert delivered")
        delivered_s = max(firing_seen(sink).values()) - t0
        lat = load.latencies
        return {
            "requests": len(lat), "alerts_posted": len(lat) * args.batch,
            "errors": load.errors, "error_count": sum(load.errors.values()),
            "latency_p50_ms": round(percentile(lat, 0.5) * 1000, 1),
            "latency_p99_ms": round(percentile(lat, 0.99) * 1000, 1),
            "latency_max_ms": round(max(lat) * 1000, 1),
            "herald_cpu_s": round(cpu, 2),
            "rss_mib_every_5s": rss, "peak_rss_mib": round(rss_mib(pid, "VmHWM:"), 1),
            "distinct_alerts_delivered": len(firing_seen(sink)),
            "all_delivered_after_s": round(delivered_s, 1),
        }
    except Exception:
        if herald is not None:
            print(herald.process.log_tail(), file=sys.stderr)
        raise
    finally:
        if herald is not None:
            herald.process.close()
        sink.close()
        env.close()


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rate", type=int, default=1000, help="alerts per second (default 1000)")
    p.add_argument("--batch", type=int, default=64, help="alerts per POST (default 64)")
    p.add_argument("--distinct", type=int, default=10000, help="distinct alerts (default 10000)")
    p.add_argument("--alert-groups", type=int, default=500, help="their groups (default 500)")
    p.add_argument("--duration", default="60s")
    p.add_argument("--rules", type=int, default=1000)
    p.add_argument("--groups", type=int, default=50)
    p.add_argument("--interval", default="5s")
    p.add_argument("--json", action="store_true")
    p.add_argument("--herald-bin", default=os.path.join(here, "..", "build-bench", "app", "herald"))
    args = p.parse_args(argv)
    args.interval_text = args.interval
    args.duration = parse_duration(args.duration)
    workdir = tempfile.mkdtemp(prefix="herald-bench-load-")
    try:
        result = run(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report = {"benchmark": "load",
              "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
              "machine": machine_info(),
              "config": {"rate": args.rate, "batch": args.batch, "distinct": args.distinct,
                         "alert_groups": args.alert_groups, "duration": f"{args.duration:g}s",
                         "rules": args.rules, "groups": args.groups, "interval": args.interval},
              "result": result}
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    r = result
    print(f"load: {args.rate} alerts/s in POSTs of {args.batch} for {args.duration:g}s "
          f"({args.distinct} distinct alerts in {args.alert_groups} groups) while evaluating "
          f"{args.rules} rules every {args.interval}")
    print(f"  requests            {r['requests']} ({r['alerts_posted']} alerts)")
    print(f"  errors              {r['error_count']} {r['errors'] or ''}")
    print(f"  latency p50/p99/max {r['latency_p50_ms']} / {r['latency_p99_ms']} / "
          f"{r['latency_max_ms']} ms")
    print(f"  herald CPU          {r['herald_cpu_s']} s")
    print(f"  RSS every 5 s (MiB) {' '.join(str(m) for _, m in r['rss_mib_every_5s'])}")
    print(f"  peak RSS            {r['peak_rss_mib']} MiB")
    print(f"  delivered           {r['distinct_alerts_delivered']} / {args.distinct} distinct, "
          f"all after {r['all_delivered_after_s']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
