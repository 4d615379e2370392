#!/usr/bin/env python3
"""Rule-evaluation benchmark: N generated alerting rules against a real Prometheus.

Setup (all on 127.0.0.1, free ports, one temp dir removed at the end):
  herald demo-exporter  ← Prometheus (no rules of its own, scrapes every --scrape-interval)
                        ← the system under test, evaluating N rules in G groups every --interval
After the system reports ready (every group evaluated once) and a warm-up, one window of
--duration is measured:
  CPU seconds        utime+stime of the evaluator's process from /proc/<pid>/stat, read at the
                     start and the end of the window (clock ticks → seconds; all threads)
  peak RSS           VmHWM from /proc/<pid>/status at the end: the high-water mark since exec,
                     so it includes loading the rules
  evaluations/s      Δ rule evaluations (evaluator's own counter) / window; group iterations
                     likewise (for herald: Δ rule evaluations of a group / its size)
  missed, failures   Δ of the evaluator's missed-iteration and failed-evaluation counters
  group eval time    p50/p99/max of the per-group last-evaluation duration gauge, scraped once
                     per interval and de-duplicated by the group's last-evaluation timestamp
                     (a sample, not every evaluation)
  active alerts      rules with pending/firing alerts at the end (/api/v1/rules)
  Prometheus         its CPU seconds over the same window and the instant queries/s it served:
                     the query cost of rule evaluation lands there, not in the evaluator
The evaluator's /metrics is scraped once per interval during the window, as a Prometheus
scraping it would; that cost is part of its CPU seconds.

Usage: bench/run [--rules N] [--groups G] [--interval 5s] [--duration 60s] [--json] ...
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import sys
import tempfile
import time
import unittest

import rulegen
import systems
from systems import harness


def parse_duration(text):
    """"5s", "1m", "1m30s", "250ms" → seconds (float)."""
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|s|m|h)", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (use e.g. 5s, 1m, 90s)")
    return sum(float(n) * units[u] for n, u in parts)


def percentile(values, q):
    """Linear-interpolated q-quantile (0..1) of `values`; None if empty."""
    if not values:
        return None
    s = sorted(values)
    pos = q * (len(s) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


class Environment:
    """Demo exporter + Prometheus (no rules) in `workdir`. close() stops both; idempotent."""

    def __init__(self, workdir, herald_binary, scrape_interval):
        self.exporter = None
        self.prometheus = None
        try:
            self.exporter = harness.DemoExporter(workdir, binary=herald_binary)
            self.prometheus = harness.Prometheus(workdir, [self.exporter.address],
                                                 interval=scrape_interval)
            # Two samples per series, so rate() has something to work on from the first query.
            harness.wait_until(lambda: self.prometheus.query(
                'count_over_time(up{job="demo"}[1m]) >= 2'), what="two scrapes of the exporter")
        except BaseException:
            self.close()
            raise

    def query_count(self):
        """Instant and range queries Prometheus has answered over HTTP since it started."""
        m = systems.scrape(self.prometheus.url + "/metrics")
        return sum(v for lab, v in m.get("prometheus_http_requests_total", [])
                   if lab.get("handler") in ("/api/v1/query", "/api/v1/query_range"))

    def close(self):
        for peer in (self.prometheus, self.exporter):
            if peer is not None:
                peer.process.close()


def measure_window(sut, env, duration, interval, group_sizes):
    """Runs one measurement window of `duration` seconds; returns the raw figures as a dict."""
    prom_pid = env.prometheus.process.proc.pid
    wall_start = time.time()
    start = {"t": time.monotonic(), "cpu": systems.cpu_seconds(sut.pid),
             "prom_cpu": systems.cpu_seconds(prom_pid), "queries": env.query_count()}
    first = last = sut.counters()
    durations = {}  # (group, evaluation timestamp) → seconds
    tick = 1
    while True:
        for group, (ts, seconds) in last.last_duration.items():
            if ts is not None and ts >= wall_start:
                durations[(group, ts)] = seconds
        next_at = start["t"] + min(tick * interval, duration)
        if time.monotonic() >= start["t"] + duration:
            break
        time.sleep(max(0.0, next_at - time.monotonic()))
        if not sut.running():
            raise AssertionError(f"{sut.name} exited during the window\n{sut.log_tail()}")
        last = sut.counters()
        tick += 1
    end = {"t": time.monotonic(), "cpu": systems.cpu_seconds(sut.pid),
           "prom_cpu": systems.cpu_seconds(prom_pid), "queries": env.query_count()}
    return summarize(first, last, start, end, list(durations.values()), group_sizes,
                     systems.memory_kib(sut.pid))


def summarize(first, last, start, end, durations, group_sizes, mem):
    elapsed = end["t"] - start["t"]
    rule_evals = sum(last.rule_evaluations.get(g, 0) - first.rule_evaluations.get(g, 0)
                     for g in group_sizes)
    if last.group_evaluations is not None:
        group_evals = sum(last.group_evaluations.get(g, 0) - first.group_evaluations.get(g, 0)
                          for g in group_sizes)
    else:
        group_evals = sum((last.rule_evaluations.get(g, 0) - first.rule_evaluations.get(g, 0)) / n
                          for g, n in group_sizes.items() if n)
    cpu = end["cpu"] - start["cpu"]
    return {
        "window_s": round(elapsed, 3),
        "cpu_seconds": round(cpu, 3),
        "cpu_percent_of_one_core": round(100 * cpu / elapsed, 2),
        "peak_rss_mib": round(mem["VmHWM"] / 1024, 1),
        "rss_at_end_mib": round(mem["VmRSS"] / 1024, 1),
        "rule_evaluations_per_s": round(rule_evals / elapsed, 2),
        "group_evaluations_per_s": round(group_evals / elapsed, 3),
        "cpu_ms_per_1000_rule_evaluations":
            round(1e6 * cpu / rule_evals, 2) if rule_evals else None,
        "missed_iterations": round(last.missed - first.missed),
        "evaluation_failures": round(last.failures - first.failures),
        "group_eval_duration_samples": len(durations),
        "group_eval_duration_p50_ms": _ms(percentile(durations, 0.50)),
        "group_eval_duration_p99_ms": _ms(percentile(durations, 0.99)),
        "group_eval_duration_max_ms": _ms(max(durations, default=None)),
        # Writes follow alert changes, not alert counts: a steady evaluation writes nothing.
        "storage_rows_per_group_eval": _per(last.storage_rows, first.storage_rows, group_evals),
        "storage_transactions_per_group_eval":
            _per(last.storage_transactions, first.storage_transactions, group_evals),
        "prometheus_cpu_seconds": round(end["prom_cpu"] - start["prom_cpu"], 3),
        "prometheus_queries_per_s": round((end["queries"] - start["queries"]) / elapsed, 2),
    }


def _per(last, first, n):
    return None if last is None or first is None or not n else round((last - first) / n, 3)


def _ms(seconds):
    return None if seconds is None else round(seconds * 1000, 2)


def run_system(sut, env, workdir, rule_file, group_sizes, args):
    """Starts `sut`, waits for ready + warm-up, measures one window and stops it; returns
    the results."""
    try:
        t0 = time.monotonic()
        sut.start(workdir, rule_file, env.prometheus.url, args.interval_text)
        harness.wait_until(lambda: sut.running() and sut.ready(),
                           timeout=max(60, 5 * args.interval), what=f"{sut.name} ready")
        result = {"system": sut.name, "startup_to_ready_s": round(time.monotonic() - t0, 2)}
        time.sleep(args.warmup)
        result.update(measure_window(sut, env, args.duration, args.interval, group_sizes))
        a = sut.alerts()
        result.update({
            "rules_with_active_alerts": a.rules_firing + a.rules_pending,
            "rules_with_active_alerts_percent": round(
                100 * (a.rules_firing + a.rules_pending) / args.rules, 1),
            "rules_firing": a.rules_firing, "rules_pending": a.rules_pending,
            "alerts_firing": a.alerts_firing, "alerts_pending": a.alerts_pending})
        return result
    except Exception:
        print(sut.log_tail(), file=sys.stderr)
        raise
    finally:
        sut.stop()


# (label, result key, format) — one table row each; None values print as "-".
ROWS = [
    ("startup to ready (s)", "startup_to_ready_s", "{:.2f}"),
    ("CPU seconds in window", "cpu_seconds", "{:.2f}"),
    ("  = % of one core", "cpu_percent_of_one_core", "{:.1f} %"),
    ("  CPU ms / 1000 rule evals", "cpu_ms_per_1000_rule_evaluations", "{:.1f}"),
    ("peak RSS (VmHWM)", "peak_rss_mib", "{:.1f} MiB"),
    ("RSS at end (VmRSS)", "rss_at_end_mib", "{:.1f} MiB"),
    ("rule evaluations / s", "rule_evaluations_per_s", "{:.1f}"),
    ("group evaluations / s", "group_evaluations_per_s", "{:.2f}"),
    ("missed iterations", "missed_iterations", "{:g}"),
    ("evaluation failures", "evaluation_failures", "{:g}"),
    ("group eval time p50", "group_eval_duration_p50_ms", "{:.1f} ms"),
    ("group eval time p99", "group_eval_duration_p99_ms", "{:.1f} ms"),
    ("group eval time max", "group_eval_duration_max_ms", "{:.1f} ms"),
    ("  (samples)", "group_eval_duration_samples", "{}"),
    ("SQLite rows / group eval", "storage_rows_per_group_eval", "{:.3f}"),
    ("SQLite txns / group eval", "storage_transactions_per_group_eval", "{:.3f}"),
    ("rules with active alerts", "rules_with_active_alerts_percent", "{:.1f} %"),
    ("  firing / pending rules", None, None),
    ("  firing / pending alerts", None, None),
    ("Prometheus CPU s in window", "prometheus_cpu_seconds", "{:.2f}"),
    ("Prometheus queries / s", "prometheus_queries_per_s", "{:.1f}"),
]


def _cell(result, label, key, fmt):
    if label.strip().startswith("firing / pending rules"):
        return f"{result['rules_firing']} / {result['rules_pending']}"
    if label.strip().startswith("firing / pending alerts"):
        return f"{result['alerts_firing']} / {result['alerts_pending']}"
    value = result.get(key)
    return "-" if value is None else fmt.format(value)


def print_table(report):
    c, m = report["config"], report["machine"]
    print(f"\nrule evaluation: {c['rules']} rules in {c['groups']} groups, every {c['interval']}, "
          f"measured for {c['duration']} (Prometheus scrapes every {c['scrape_interval']}; "
          f"expected {c['rules'] / parse_duration(c['interval']):.1f} rule evaluations/s)")
    print(f"machine: {m['cpus']} CPUs, {m['cpu_model']}, Linux {m['kernel']}; "
          f"load average at start {m['loadavg_1m_at_start']:.2f}; {report['date']}\n")
    results = report["results"]
    width = max(len(r[0]) for r in ROWS) + 2
    print("".ljust(width) + "".join(r["system"].rjust(16) for r in results))
    for label, key, fmt in ROWS:
        print(label.ljust(width) + "".join(_cell(r, label, key, fmt).rjust(16) for r in results))
    print()


def machine_info():
    model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "?")
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu_model": model, "kernel": platform.release(),
            "loadavg_1m_at_start": os.getloadavg()[0]}


def parse_args(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rules", type=int, default=1000, help="rules to generate (default 1000)")
    p.add_argument("--groups", type=int, default=50, help="rule groups (default 50)")
    p.add_argument("--interval", default="5s", help="evaluation interval (default 5s)")
    p.add_argument("--duration", default="60s", help="measurement window (default 60s)")
    p.add_argument("--scrape-interval", default="5s",
                   help="Prometheus scrape interval (default 5s)")
    p.add_argument("--warmup", default=None, help="pause between ready and the window "
                   "(default: two intervals)")
    p.add_argument("--hot-fraction", type=float, default=0.07,
                   help="share of rules whose threshold the healthy demo world crosses "
                   "(default 0.07)")
    p.add_argument("--seed", type=int, default=1, help="rule generator seed (default 1)")
    p.add_argument("--systems", default="herald",
                   help=f"comma-separated, run one after the other: {','.join(systems.SYSTEMS)}")
    p.add_argument("--workers", type=int, default=None, help="herald --evaluation.workers")
    p.add_argument("--herald-bin", default=os.environ.get(
        "HERALD_BIN", os.path.join(here, "..", "build-bench", "app", "herald")))
    p.add_argument("--json", action="store_true", help="print the results as JSON instead")
    p.add_argument("--keep-tmp", action="store_true", help="keep the temp dir (configs, logs)")
    args = p.parse_args(argv)
    args.interval_text = args.interval
    args.interval = parse_duration(args.interval)
    args.duration = parse_duration(args.duration)
    args.warmup = 2 * args.interval if args.warmup is None else parse_duration(args.warmup)
    parse_duration(args.scrape_interval)
    if not os.access(args.herald_bin, os.X_OK):
        p.error(f"no herald binary at {args.herald_bin} (bench/run builds it)")
    return args


def _interrupt(signum, frame):
    """SIGTERM unwinds like Ctrl-C, so the finally blocks stop every process."""
    raise KeyboardInterrupt()


def main(argv):
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    report = {"benchmark": "rule_eval",
              "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
              "machine": machine_info(),
              "config": {"rules": args.rules, "groups": args.groups, "interval": args.interval_text,
                         "duration": f"{args.duration:g}s", "scrape_interval": args.scrape_interval,
                         "warmup": f"{args.warmup:g}s", "hot_fraction": args.hot_fraction,
                         "seed": args.seed, "herald_bin": os.path.abspath(args.herald_bin)},
              "results": []}
    workdir = tempfile.mkdtemp(prefix="herald-bench-")
    env = None
    try:
        text, group_sizes = rulegen.generate_rules(args.rules, args.groups, args.hot_fraction,
                                                   args.seed)
        rule_file = os.path.join(workdir, "rules.yml")
        with open(rule_file, "w") as f:
            f.write(text)
        env = Environment(workdir, args.herald_bin, args.scrape_interval)
        for name in args.systems.split(","):
            sut = systems.make_system(name.strip(), args.herald_bin, workers=args.workers)
            print(f"measuring {sut.name} ...", file=sys.stderr, flush=True)
            report["results"].append(run_system(sut, env, workdir, rule_file, group_sizes, args))
    finally:
        if env is not None:
            env.close()
        if args.keep_tmp:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_table(report)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
    except (AssertionError, NotImplementedError, unittest.SkipTest) as e:
        print(f"rule_eval: {e}", file=sys.stderr)
        sys.exit(2)
