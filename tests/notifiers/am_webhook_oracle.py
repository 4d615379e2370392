#!/usr/bin/env python3
"""Regenerates tests/notifiers/golden/<case>.json from the real Alertmanager (Debian's
prometheus-alertmanager 0.25): the exact bytes its webhook integration POSTs for each
golden/<case>.case.json, so herald's render_webhook is compared with Alertmanager, not with a
reading of its source.

Each case gets a route `alertname=~"<first alert's alertname>"` to a webhook receiver named as the
case says, pointing at a local sink. `resolve_all` cases first send the alerts firing, then
resolved at that time, and keep the all-resolved notification. The group key Alertmanager used is
written back into the case file (herald's router computes it; render_webhook only prints it).
Usage: tests/notifiers/am_webhook_oracle.py   (needs prometheus-alertmanager on PATH)
"""
import http.server
import json
import os
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

GOLDEN = pathlib.Path(__file__).resolve().parent / "golden"
AM = shutil.which("prometheus-alertmanager") or shutil.which("alertmanager")
EXTERNAL_URL = "http://herald:9095"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink(http.server.ThreadingHTTPServer):
    def __init__(self):
        self.bodies = {}
        self.lock = threading.Lock()

        sink = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with sink.lock:
                    sink.bodies.setdefault(self.path.strip("/"), []).append(body)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)


def go_regex_quote(s):
    return re.sub(r"([\\.+*?()|\[\]{}^$])", r"\\\1", s)


def am_config(cases, sink_port):
    routes, receivers = [], [{"name": "default"}]
    for name, case in cases.items():
        alertname = go_regex_quote(case["alerts"][0]["labels"]["alertname"])
        routes.append({"matchers": [f"alertname=~{json.dumps(alertname)}"],
                       "receiver": case["receiver"], "group_by": case["group_by"]})
        hook = {"url": f"http://127.0.0.1:{sink_port}/{name}", "send_resolved": True}
        if case["max_alerts"]:
            hook["max_alerts"] = case["max_alerts"]
        receivers.append({"name": case["receiver"], "webhook_configs": [hook]})
    return {"route": {"receiver": "default", "group_wait": "1s", "group_interval": "1s",
                      "repeat_interval": "1h", "routes": routes},
            "receivers": receivers}


def post_alerts(port, alerts):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v2/alerts",
                                 data=json.dumps(alerts).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=5).read()


def wait_for(sink, name, count, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        with sink.lock:
            if len(sink.bodies.get(name, [])) >= count:
                return sink.bodies[name][count - 1]
        time.sleep(0.05)
    sys.exit(f"no notification #{count} for case {name}")


def main():
    if not AM:
        sys.exit("prometheus-alertmanager not found")
    cases = {p.name[:-len(".case.json")]: json.loads(p.read_text(encoding="utf-8"))
             for p in sorted(GOLDEN.glob("*.case.json"))}
    sink = Sink()
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as tmp:
        cfg = pathlib.Path(tmp) / "am.yml"
        cfg.write_text(json.dumps(am_config(cases, sink.server_address[1])))  # JSON is YAML
        port = free_port()
        am = subprocess.Popen([AM, f"--config.file={cfg}", f"--storage.path={tmp}/data",
                               f"--web.listen-address=127.0.0.1:{port}",
                               "--cluster.listen-address=", f"--web.external-url={EXTERNAL_URL}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/-/ready", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)
            for name, case in cases.items():
                post_alerts(port, case["alerts"])
            for name, case in cases.items():
                body = wait_for(sink, name, 1)
                if "resolve_all" in case:
                    post_alerts(port, [dict(a, endsAt=case["resolve_all"]) for a in case["alerts"]])
                    body = wait_for(sink, name, 2)
                (GOLDEN / f"{name}.json").write_bytes(body)
                case["group_key"] = json.loads(body)["groupKey"]
                case["external_url"] = EXTERNAL_URL
                (GOLDEN / f"{name}.case.json").write_text(
                    json.dumps(case, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
                print(f"{name}: {len(body)} bytes")
        finally:
            am.terminate()
            am.wait(timeout=10)
    sink.shutdown()


if __name__ == "__main__":
    main()
