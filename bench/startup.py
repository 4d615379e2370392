#!/usr/bin/env python3
"""Start-up benchmark: `herald run` with N stored alerts, from spawn to serving.

Setup (one temp dir, removed at the end):
  herald_bench_seed   (bench/seed_alerts.cc) writes a rule file with R rules BenchAlert<r> in G
                      groups bench-<g>, and a SQLite database with N alerts of those rules
  herald.yml          that rule file (the exact path the seeder stored, so no alert is dropped),
                      evaluation_interval 1m, one datasource on a closed 127.0.0.1 port (start-up
                      must not depend on a datasource)
Each of --runs runs starts from a fresh copy of the seeded database (a run writes to it) and
measures:
  start-up   wall time from spawning `herald run` to the first 200 from /-/healthy, polled every
             ~5 ms. herald serves HTTP only after restoring every stored alert, so this covers
             loading the config, opening and checking the database, and the restore
  peak RSS   VmHWM from /proc/<pid>/status right after /-/healthy answered: the high-water mark
             since exec, so it includes the restore
Each run's "restored alerts" log line must account for all N alerts (none dropped), or the
benchmark measured the wrong thing and fails. Prints min/median/max and PASS when the median is
under --budget (1 s, the storage issue's target); exit code 0 on PASS, 1 on FAIL.

Usage: bench/startup.py [--alerts 100000] [--build build] [--rules R] [--groups G] [--runs 5]
       (or `bench/run startup ...`, which builds build-bench/ in Release first)
"""

import argparse
import datetime
import http.client
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tests", "integration"))
import harness  # noqa: E402  (tests/integration/harness.py: free ports)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POLL_S = 0.005


def memory_kib(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                out[key] = int(value.split()[0])
    return out


def healthy(port):
    """True on a 200 from /-/healthy; False while nothing listens (or it answers otherwise)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        conn.request("GET", "/-/healthy")
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def copy_db(src, dst):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(src + suffix):
            shutil.copyfile(src + suffix, dst + suffix)


def read_json_log(path):
    out = []
    with open(path, "rb") as f:
        for raw in f:
            try:
                doc = json.loads(raw)
            except ValueError:
                continue
            if isinstance(doc, dict):
                out.append(doc)
    return out


def stop(proc, timeout=30):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def one_run(args, workdir, config, seeded_db, run, attempts=3):
    """Starts herald on a fresh copy of the seeded database; returns (seconds, VmHWM KiB,
    "restored alerts" log line)."""
    db = os.path.join(workdir, f"run-{run}.db")
    copy_db(seeded_db, db)
    for attempt in range(attempts):
        port = harness.free_port()
        log_path = os.path.join(workdir, f"run-{run}-{attempt}.log")
        with open(log_path, "wb") as log:
            t0 = time.monotonic()
            proc = subprocess.Popen(
                [args.herald_bin, "run", f"--config.file={config}", f"--storage.path={db}",
                 f"--web.listen-address=127.0.0.1:{port}", "--log.format=json"],
                stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        try:
            deadline = t0 + args.timeout
            while not healthy(port):
                if proc.poll() is not None:
                    break
                if time.monotonic() > deadline:
                    raise AssertionError(f"run {run}: no 200 from /-/healthy within "
                                         f"{args.timeout:g}s\n{tail(log_path)}")
                time.sleep(POLL_S)
            else:
                elapsed = time.monotonic() - t0
                mem = memory_kib(proc.pid)
                restored = [l for l in read_json_log(log_path) if l.get("msg") == "restored alerts"]
                return elapsed, mem["VmHWM"], (restored[-1] if restored else None)
        finally:
            stop(proc)
        if "address already in use" not in tail(log_path).lower():
            raise AssertionError(f"run {run}: herald exited ({proc.returncode}) before serving\n"
                                 f"{tail(log_path)}")
    raise AssertionError(f"run {run}: no free port after {attempts} attempts")


def tail(path, max_bytes=4000):
    with open(path, "rb") as f:
        return f.read()[-max_bytes:].decode(errors="replace")


def check_restored(line, alerts):
    """The "restored alerts" line must account for every seeded alert, none dropped."""
    if line is None:
        raise AssertionError('herald logged no "restored alerts" line')
    counts = {k: int(line.get(k, 0)) for k in ("firing", "pending", "resolved", "dropped")}
    if counts["dropped"] or counts["firing"] + counts["pending"] + counts["resolved"] != alerts:
        raise AssertionError(f"restored {counts}, expected {alerts} alerts and none dropped: "
                             f"the seeded rule file does not match herald's")
    return counts


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--alerts", type=int, default=100000, help="stored alerts (default 100000)")
    p.add_argument("--build", default="build",
                   help="CMake build dir holding app/herald and bench/herald_bench_seed; relative "
                   "paths are relative to the repository root (default build)")
    p.add_argument("--rules", type=int, default=None, help="rules to seed (seeder's default)")
    p.add_argument("--groups", type=int, default=None, help="rule groups (seeder's default)")
    p.add_argument("--runs", type=int, default=5, help="start-ups to time (default 5)")
    p.add_argument("--budget", type=float, default=1.0,
                   help="PASS when the median start-up is under this many seconds (default 1)")
    p.add_argument("--timeout", type=float, default=120.0,
                   help="give up on a start-up after this many seconds (default 120)")
    p.add_argument("--keep-tmp", action="store_true", help="keep the temp dir (db, logs)")
    args = p.parse_args(argv)
    build = args.build if os.path.isabs(args.build) else os.path.join(ROOT, args.build)
    args.herald_bin = os.path.join(build, "app", "herald")
    args.seed_bin = os.path.join(build, "bench", "herald_bench_seed")
    for path in (args.herald_bin, args.seed_bin):
        if not os.access(path, os.X_OK):
            p.error(f"no executable {path} (build it: cmake --build {build} --target "
                    f"herald herald_bench_seed)")
    if args.runs < 1 or args.alerts < 0:
        p.error("--runs must be >= 1 and --alerts >= 0")
    return args


def _interrupt(signum, frame):
    """SIGTERM unwinds like Ctrl-C, so the finally blocks stop herald and remove the temp dir."""
    raise KeyboardInterrupt()


def main(argv):
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    workdir = tempfile.mkdtemp(prefix="herald-bench-startup-")
    try:
        rules = os.path.join(workdir, "rules.yml")
        seeded = os.path.join(workdir, "seeded.db")
        cmd = [args.seed_bin, "--db", seeded, "--rules-file", rules, "--alerts", str(args.alerts)]
        if args.rules is not None:
            cmd += ["--rules", str(args.rules)]
        if args.groups is not None:
            cmd += ["--groups", str(args.groups)]
        t0 = time.monotonic()
        seeding = subprocess.run(cmd, capture_output=True, text=True)
        if seeding.returncode != 0:
            raise AssertionError(f"{' '.join(cmd)} failed ({seeding.returncode}):\n"
                                 f"{seeding.stdout}{seeding.stderr}")
        seed_s = time.monotonic() - t0
        config = os.path.join(workdir, "herald.yml")
        with open(config, "w") as f:
            f.write("global: {evaluation_interval: 1m}\n"
                    f"datasources: [{{name: prometheus, url: "
                    f"\"http://127.0.0.1:{harness.free_port()}\"}}]\n"
                    f"rule_files: [{json.dumps(rules)}]\n")
        for line in seeding.stdout.splitlines():
            print(f"  seeder: {line}", file=sys.stderr)
        print(f"seeded {args.alerts} alerts in {seed_s:.1f}s "
              f"({os.path.getsize(seeded) / 2**20:.1f} MiB database)", file=sys.stderr)

        times, peaks = [], []
        for run in range(args.runs):
            elapsed, hwm, restored = one_run(args, workdir, config, seeded, run)
            counts = check_restored(restored, args.alerts)
            times.append(elapsed)
            peaks.append(hwm)
            print(f"  run {run + 1}: {elapsed * 1000:.0f} ms, peak RSS {hwm / 1024:.1f} MiB, "
                  f"restored {counts}", file=sys.stderr)
    finally:
        if args.keep_tmp:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    median = statistics.median(times)
    ok = median < args.budget
    loadavg = os.getloadavg()[0]
    print(f"\nstart-up with {args.alerts} stored alerts ({args.runs} runs; {os.cpu_count()} CPUs, "
          f"load average {loadavg:.2f}; {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M})")
    print(f"  spawn → /-/healthy 200   min {min(times) * 1000:.0f} ms   "
          f"median {median * 1000:.0f} ms   max {max(times) * 1000:.0f} ms")
    print(f"  peak RSS (VmHWM)         min {min(peaks) / 1024:.1f} MiB   "
          f"median {statistics.median(peaks) / 1024:.1f} MiB   max {max(peaks) / 1024:.1f} MiB")
    print(f"{'PASS' if ok else 'FAIL'}: median start-up {median * 1000:.0f} ms "
          f"{'<' if ok else '>='} {args.budget * 1000:.0f} ms")
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
    except AssertionError as e:
        print(f"startup: {e}", file=sys.stderr)
        sys.exit(2)
