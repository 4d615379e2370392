#!/usr/bin/env python3
"""HTTP front benchmark: herald's Beast-based front against a libmicrohttpd one, same attacks.

docs/architecture.md "The HTTP front" says why herald's server is Boost.Beast on Asio rather than
libmicrohttpd; this measures it. Both servers listen on 127.0.0.1 with the same limits where
libmicrohttpd has the knob (bench/mhd_front.cc: 1,024 connections, 128 per client, 64 KiB of
headers, a 10 s timeout, 2 threads). Each attack runs against each server in turn, with
--probes probes of GET /-/healthy on fresh connections, 50 ms apart, during it (a probe that gets
no answer within 2 s failed):

  slow-8        8 clients trickling a header line, one byte every 0.5 s
  idle-200      200 connections holding a half-sent request line
  idle-2000     2,000 connections holding a half-sent request line (over both connection limits)
  drip          one client sending a header byte every 3 s: how long until the server closes it
                (up to --drip-max seconds)
  unauth-300MB  POST /api/v2/alerts, 300 MB body, no token: answer, bytes the server took before
                answering or closing, and its peak RSS growth

Usage: bench/run http-front [--probes 40] [--drip-max 30] [--json]
"""

import argparse
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

from rule_eval import machine_info, percentile
from systems import harness, memory_kib

TOKEN = "bench-front-token"
PROBE_TIMEOUT_S = 2.0


class Target:
    def __init__(self, name, port, pid, close):
        self.name, self.port, self.pid, self.close = name, port, pid, close


def start_herald(binary, workdir):
    token_file = os.path.join(workdir, "token")
    with open(token_file, "w") as f:
        f.write(TOKEN)
    herald = harness.Herald(workdir, "http://127.0.0.1:9", [], binary=binary,
                            extra_config=f"web:\n  auth_token_file: {token_file}\n"
                            "route: {receiver: none}\nreceivers: [{name: none}]\n")
    return Target("herald (Beast)", herald.port, herald.process.proc.pid, herald.stop)


def start_mhd(binary, workdir):
    with open(os.path.join(workdir, "mhd.log"), "w") as log:
        proc = subprocess.Popen([binary, TOKEN], stdout=subprocess.PIPE, stderr=log, text=True)
    port = int(proc.stdout.readline())

    def close():
        proc.terminate()
        proc.wait(10)
    return Target("libmicrohttpd 0.9.75", port, proc.pid, close)


def probe(port):
    """Latency of one GET /-/healthy on a fresh connection, or None if it got no 200."""
    start = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=PROBE_TIMEOUT_S) as s:
            s.sendall(b"GET /-/healthy HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
            data = b""
            while b"\r\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    return None
                data += chunk
            return time.monotonic() - start if data.startswith(b"HTTP/1.1 200") else None
    except OSError:
        return None


def probes(port, count):
    out = []
    for _ in range(count):
        out.append(probe(port))
        time.sleep(0.05)
    return out


def probe_summary(latencies):
    ok = [t for t in latencies if t is not None]
    return {"probes": len(latencies), "answered": len(ok),
            "p50_ms": round(percentile(ok, 0.5) * 1000, 1) if ok else None,
            "max_ms": round(max(ok) * 1000, 1) if ok else None}


def open_held(port, count):
    held = []
    for _ in range(count):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=2)
            s.sendall(b"GET /-/healthy HTTP/1.1\r\n")
            held.append(s)
        except OSError:
            pass
    return held


def attack_idle(target, count, n_probes):
    held = open_held(target.port, count)
    time.sleep(0.5)
    try:
        return {"held": len(held), **probe_summary(probes(target.port, n_probes))}
    finally:
        for s in held:
            s.close()


def attack_slow(target, count, n_probes):
    stop = threading.Event()

    def trickle():
        try:
            with socket.create_connection(("127.0.0.1", target.port), timeout=2) as s:
                for byte in b"GET /-/healthy HTTP/1.1\r\nX-Slow: " + b"a" * 10000:
                    if stop.wait(0.5):
                        return
                    s.send(bytes([byte]))
        except OSError:
            return

    threads = [threading.Thread(target=trickle, daemon=True) for _ in range(count)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    try:
        return probe_summary(probes(target.port, n_probes))
    finally:
        stop.set()
        for t in threads:
            t.join()


def attack_drip(target, drip_max):
    """Sends a header byte, waits 3 s for an answer or a close, again; the seconds until the
    server answered or closed, or None if it still held the connection after drip_max s."""
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", target.port), timeout=3.0) as s:
        for byte in b"GET /-/healthy HTTP/1.1\r\nX-Drip: " + b"a" * 1000:
            if time.monotonic() - start > drip_max:
                return {"closed_after_s": None, "held_at_least_s": drip_max}
            try:
                s.send(bytes([byte]))
                s.recv(4096)  # an answer (408) or the close: the server ended it
                break
            except socket.timeout:
                continue
            except OSError:
                break
    return {"closed_after_s": round(time.monotonic() - start, 1)}


def attack_unauthenticated_body(target, size):
    before = memory_kib(target.pid)["VmHWM"]
    sent, status = 0, None
    start = time.monotonic()
    chunk = b"x" * (1 << 20)
    with socket.create_connection(("127.0.0.1", target.port), timeout=5) as s:
        s.sendall(b"POST /api/v2/alerts HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
                  + f"Content-Length: {size}\r\n\r\n".encode())
        s.setblocking(False)
        answer = b""
        while sent < size and time.monotonic() - start < 60:
            try:
                answer += s.recv(4096)
                if answer.startswith(b"HTTP/"):
                    break
            except BlockingIOError:
                pass
            except OSError:
                break
            try:
                sent += s.send(chunk[:min(len(chunk), size - sent)])
            except BlockingIOError:
                time.sleep(0.001)
            except OSError:
                break
        s.setblocking(True)
        s.settimeout(5)
        try:
            while b"\r\n" not in answer:
                more = s.recv(4096)
                if not more:
                    break
                answer += more
        except OSError:
            pass
        if answer.startswith(b"HTTP/"):
            status = int(answer.split()[1])
    return {"status": status, "mib_sent_before_answer": round(sent / 2**20, 1),
            "seconds": round(time.monotonic() - start, 2),
            "peak_rss_growth_mib": round((memory_kib(target.pid)["VmHWM"] - before) / 1024, 1)}


def run(targets, args):
    results = {}
    for t in targets:
        r = results[t.name] = {}
        r["baseline"] = probe_summary(probes(t.port, args.probes))
        r["slow-8"] = attack_slow(t, 8, args.probes)
        r["idle-200"] = attack_idle(t, 200, args.probes)
        r["idle-2000"] = attack_idle(t, 2000, args.probes)
        r["drip"] = attack_drip(t, args.drip_max)
        r["unauth-300MB"] = attack_unauthenticated_body(t, 300 * 2**20)
        time.sleep(1.0)
        r["after"] = probe_summary(probes(t.port, args.probes))
    return results


def print_table(results):
    names = list(results)
    print(f"{'attack':<14} " + " | ".join(f"{n:<44}" for n in names))
    for attack in next(iter(results.values())):
        cells = []
        for n in names:
            r = results[n][attack]
            if "answered" in r:
                cell = (f"{r['answered']}/{r['probes']} probes answered, p50 {r['p50_ms']} ms, "
                        f"max {r['max_ms']} ms")
            elif "status" in r:
                cell = (f"{r['status']} after {r['mib_sent_before_answer']} MiB, RSS "
                        f"+{r['peak_rss_growth_mib']} MiB")
            elif r.get("closed_after_s") is not None:
                cell = f"closed after {r['closed_after_s']} s"
            else:
                cell = f"still open after {r['held_at_least_s']} s"
            cells.append(f"{cell:<44}")
        print(f"{attack:<14} " + " | ".join(cells))


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--herald-bin", default=os.environ.get("HERALD_BIN"))
    p.add_argument("--mhd-bin", required=True)
    p.add_argument("--probes", type=int, default=40)
    p.add_argument("--drip-max", type=float, default=30.0)
    p.add_argument("--json", action="store_true")
    p.add_argument("--keep-tmp", action="store_true")
    args = p.parse_args(argv)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 8192)), hard))
    workdir = tempfile.mkdtemp(prefix="herald-bench-front-")
    targets = []
    try:
        targets.append(start_herald(args.herald_bin, workdir))
        targets.append(start_mhd(args.mhd_bin, workdir))
        results = run(targets, args)
        out = {"machine": machine_info(), "results": results}
        if args.json:
            json.dump(out, sys.stdout, indent=2)
            print()
        else:
            print(f"machine: {out['machine']}")
            print_table(results)
    finally:
        for t in targets:
            t.close()
        if not args.keep_tmp:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
