#!/usr/bin/env python3
"""Router benchmark: herald and Alertmanager (Debian prometheus-alertmanager) side by side.

Both get the same routing config (group_by [alertname, service], group_wait 1s, group_interval
5s, one webhook receiver each, pointing at one local sink) and the same workload over the v2 API:
N firing alerts in G groups, posted in batches of B; then the same N alerts resolved. For each
system it measures:
  ingest        wall time to POST all N alerts (alerts/s the API accepts)
  notify        from the first POST until the sink holds notifications covering all N alerts
                (firing), then again for the resolves
  cpu           user+system CPU seconds the process spent over the whole run (/proc/<pid>/stat)
  peak RSS      VmHWM at the end
herald persists every alert, group timer, outbox item and log entry in SQLite as it goes;
Alertmanager keeps alerts in memory. Prints a table (or --json).

Usage: bench/router.py --herald-bin build-bench/app/herald [--alerts 10000] [--groups 500]
       [--batch 500]   (or `bench/run router ...`, which builds build-bench/ in Release first)
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tests", "integration"))
import harness  # noqa: E402  (tests/integration/harness.py: free ports, the webhook sink)

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


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def start(name, args, url, workdir):
    proc = subprocess.Popen(args, stdout=open(os.path.join(workdir, f"{name}.log"), "wb"),
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    harness.wait_until(lambda: harness.http("GET", url + "/-/ready")[0] == 200, timeout=60,
                       interval=0.05, what=f"{name} ready")
    return proc


def alerts(n, groups, ends_at=None):
    out = []
    for i in range(n):
        a = {"labels": {"alertname": "BenchAlert", "service": f"svc-{i % groups}",
                        "instance": f"10.0.{i // 250}.{i % 250}"},
             "annotations": {"summary": f"alert {i}"}}
        if ends_at:
            a["endsAt"] = ends_at
        out.append(a)
    return out


def covered(sink, prefix, status):
    """Distinct alert fingerprints the sink has seen with `status` under /<prefix>/."""
    with sink.lock:
        bodies = [b for p, b, _ in sink.received if p.startswith(f"/{prefix}/")]
    return {a["fingerprint"] for b in bodies for a in b["alerts"] if a["status"] == status}


def run_phase(base, sink, prefix, batch_list, status, n):
    t0 = time.monotonic()
    for batch in batch_list:
        code, body = harness.post_json(base + "/api/v2/alerts", batch, timeout=120)
        if code != 200:
            raise SystemExit(f"{prefix}: POST answered {code}: {body[:200]}")
    ingest = time.monotonic() - t0
    harness.wait_until(lambda: len(covered(sink, prefix, status)) >= n, timeout=600,
                       interval=0.1, what=f"{prefix}: {n} {status} alerts notified")
    return ingest, time.monotonic() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--herald-bin", required=True)
    ap.add_argument("--alertmanager-bin", default=shutil.which("prometheus-alertmanager"))
    ap.add_argument("--alerts", type=int, default=10000)
    ap.add_argument("--groups", type=int, default=500)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--json", action="store_true")
    opts = ap.parse_args()

    workdir = tempfile.mkdtemp(prefix="herald-bench-router-")
    sink = harness.WebhookSink()
    procs = []
    try:
        hport, aport = harness.free_port(), harness.free_port()
        with open(os.path.join(workdir, "herald.yml"), "w") as f:
            f.write("datasources: [{name: p, url: \"http://127.0.0.1:9\"}]\nrule_files: []\n" +
                    ROUTING.format(url=sink.url + "/herald/sink"))
        with open(os.path.join(workdir, "alertmanager.yml"), "w") as f:
            f.write(ROUTING.format(url=sink.url + "/am/sink"))
        systems = {
            "herald": ([opts.herald_bin, "run", f"--config.file={workdir}/herald.yml",
                        f"--storage.path={workdir}/herald.db", "--log.level=warn",
                        f"--web.listen-address=127.0.0.1:{hport}"], f"http://127.0.0.1:{hport}"),
            "am": ([opts.alertmanager_bin, f"--config.file={workdir}/alertmanager.yml",
                    f"--storage.path={workdir}/am-data", "--cluster.listen-address=",
                    f"--web.listen-address=127.0.0.1:{aport}"], f"http://127.0.0.1:{aport}"),
        }
        firing = alerts(opts.alerts, opts.groups)
        batches = [firing[i:i + opts.batch] for i in range(0, len(firing), opts.batch)]
        results = {}
        for name, (args, url) in systems.items():
            proc = start(name, args, url, workdir)
            procs.append(proc)
            cpu0 = cpu_seconds(proc.pid)
            ingest, notify = run_phase(url, sink, name, batches, "firing", opts.alerts)
            ends = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            resolved = alerts(opts.alerts, opts.groups, ends_at=ends)
            rbatches = [resolved[i:i + opts.batch] for i in range(0, len(resolved), opts.batch)]
            _, rnotify = run_phase(url, sink, name, rbatches, "resolved", opts.alerts)
            results[name] = {"ingest_s": ingest, "alerts_per_s": opts.alerts / ingest,
                             "notify_s": notify, "resolve_notify_s": rnotify,
                             "cpu_s": cpu_seconds(proc.pid) - cpu0,
                             "peak_rss_mib": peak_rss_mib(proc.pid)}
            proc.terminate()
            proc.wait(timeout=30)
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
        sink.close()
        shutil.rmtree(workdir, ignore_errors=True)

    if opts.json:
        print(json.dumps({"alerts": opts.alerts, "groups": opts.groups, "results": results},
                         indent=2))
        return
    print(f"{opts.alerts} alerts in {opts.groups} groups, POSTed in batches of {opts.batch}")
    print(f"{'':24}{'herald':>12}{'Alertmanager':>14}")
    rows = [("ingest (s)", "ingest_s", "{:.2f}"), ("ingest (alerts/s)", "alerts_per_s", "{:.0f}"),
            ("all notified (s)", "notify_s", "{:.2f}"),
            ("all resolves sent (s)", "resolve_notify_s", "{:.2f}"),
            ("CPU (s)", "cpu_s", "{:.2f}"), ("peak RSS (MiB)", "peak_rss_mib", "{:.1f}")]
    for label, key, fmt in rows:
        print(f"{label:24}{fmt.format(results['herald'][key]):>12}"
              f"{fmt.format(results['am'][key]):>14}")


if __name__ == "__main__":
    main()
