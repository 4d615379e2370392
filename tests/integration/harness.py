"""Integration harness: runs herald's demo exporter and a real Prometheus on 127.0.0.1.

Reusable building blocks (Python 3 stdlib only) for tests that drive real peers:
  free_port()                  a free TCP port on 127.0.0.1
  wait_until(fn, ...)          poll with a deadline (never fixed sleeps for synchronisation)
  DemoExporter                 `herald demo-exporter` on port 0, plus its incident control API
  Prometheus                   a real `prometheus` scraping given targets every 1s, rules loaded,
                               optionally sending alerts to Alertmanager API v2 receivers;
                               restart() brings it back on the same port with the same TSDB
  WebhookSink                  a webhook receiver on 127.0.0.1 recording Alertmanager-style
                               notifications (receiver, group key, firing/resolved fingerprints)
  Herald                       `herald run` on port 0 against a datasource, its SQLite file in
                               the test's dir, its JSON log (alert transitions) and its API
                               (alerts, rules, history, runtimeinfo, reload, /metrics);
                               kill() + start() crash and restart it
  make_test_sized_rules(src, dst)  a copy of a shipped rule file whose windows/`for`s are seconds
  IntegrationTestCase          unittest base: temp dir, processes stopped by addCleanup, their
                               logs printed when a test fails

Environment: HERALD_BIN (path to the herald binary), HERALD_SOURCE_DIR (repo root; defaults to
two folders above this file), PROMETHEUS_BIN and PROMTOOL_BIN (default: on PATH).
"""

import calendar
import errno
import http.server as http_server
import json
import os
import re
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

SOURCE_DIR = os.environ.get(
    "HERALD_SOURCE_DIR",
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
POLL_INTERVAL = 0.5
DEFAULT_DEADLINE = 90.0  # generous: a shared 2-core machine can be slow


def herald_bin():
    path = os.environ.get("HERALD_BIN")
    if not path or not os.access(path, os.X_OK):
        raise unittest.SkipTest("HERALD_BIN is not set to an executable herald binary")
    return path


def prometheus_bin():
    path = os.environ.get("PROMETHEUS_BIN") or shutil.which("prometheus")
    if not path:
        raise unittest.SkipTest("prometheus is not installed")
    return path


def promtool_bin():
    path = os.environ.get("PROMTOOL_BIN") or shutil.which("promtool")
    if not path:
        raise unittest.SkipTest("promtool is not installed")
    return path


def free_port():
    """A port that was free a moment ago. Callers that race for it retry (see Prometheus)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(fn, timeout=DEFAULT_DEADLINE, interval=POLL_INTERVAL, what="condition"):
    """Calls fn() every `interval` s until it returns a truthy value, which is returned.

    Exceptions from fn count as "not yet" (the peer may still be starting). On timeout raises
    AssertionError naming `what` and the last value or exception seen."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            value = fn()
            if value:
                return value
            last = value
        except (OSError, ValueError, urllib.error.URLError) as e:
            last = e
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}; last: {last!r}")
        time.sleep(interval)


def http(method, url, data=None, timeout=5.0):
    """Returns (status, body text). HTTP error statuses are returned, not raised."""
    body = None
    if data is not None:
        body = data if isinstance(data, bytes) else urllib.parse.urlencode(data).encode()
    elif method in ("POST", "PUT"):
        body = b""  # an explicit empty body: Content-Length: 0
    req = urllib.request.Request(url, data=body, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def get_json(url, timeout=5.0):
    status, body = http("GET", url, timeout=timeout)
    if status != 200:
        raise ValueError(f"GET {url}: HTTP {status}: {body.strip()}")
    return json.loads(body)


def post_json(url, payload, timeout=10.0):
    """POSTs `payload` as application/json; returns (status, body text), errors included."""
    req = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


class WebhookSink:
    """A webhook receiver on 127.0.0.1: records (path, payload, monotonic arrival time).
    `before_reply(path, payload)`, if given, runs after a notification is recorded and before
    the 200 answer (a test's hook between a delivery and herald learning of it)."""

    def __init__(self, before_reply=None):
        self.lock = threading.Lock()
        self.received = []
        sink = self

        class Handler(http_server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                payload = json.loads(body)
                with sink.lock:
                    sink.received.append((self.path, payload, time.monotonic()))
                if before_reply:
                    before_reply(self.path, payload)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http_server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def notifications(self, prefix):
        """[(tuple, arrival)] of the notifications under /<prefix>/, in arrival order."""
        with self.lock:
            items = [(p, b, t) for p, b, t in self.received if p.startswith(f"/{prefix}/")]
        out = []
        for _, body, t in items:
            firing = tuple(sorted(a["fingerprint"] for a in body["alerts"] if a["status"] == "firing"))
            resolved = tuple(sorted(a["fingerprint"] for a in body["alerts"]
                                    if a["status"] == "resolved"))
            out.append(((body["receiver"], body["groupKey"], firing, resolved), t))
        return out

    def close(self):
        self.server.shutdown()
        self.server.server_close()



class ManagedProcess:
    """A child process whose stdout/stderr go to a log file; stop() is idempotent."""

    def __init__(self, name, args, log_path, capture_stdout=False):
        self.name = name
        self.args = args
        self.log_path = log_path
        self._log = open(log_path, "ab")
        self._drainer = None
        self.proc = subprocess.Popen(
            args,
            stdout=subprocess.PIPE if capture_stdout else self._log,
            stderr=self._log,
            stdin=subprocess.DEVNULL)

    def read_line(self, pattern, timeout):
        """Reads stdout until a line matches `pattern`; returns the match. Then the rest of
        stdout is copied to the log in the background so the child never blocks on a full pipe."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        buf = b""
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        try:
            while True:
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    self._log.write(line + b"\n")
                    self._log.flush()
                    m = regex.search(line.decode(errors="replace"))
                    if m:
                        self._drainer = threading.Thread(target=self._drain, args=(buf,), daemon=True)
                        self._drainer.start()
                        return m
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{self.name}: no line matching {pattern!r} "
                                         f"within {timeout:.0f}s\n{self.log_tail()}")
                if sel.select(timeout=min(left, POLL_INTERVAL)):
                    chunk = os.read(self.proc.stdout.fileno(), 4096)
                    if not chunk:
                        self.proc.wait(timeout=5)
                        raise AssertionError(f"{self.name} exited ({self.proc.returncode}) "
                                             f"before printing {pattern!r}\n{self.log_tail()}")
                    buf += chunk
        finally:
            sel.close()

    def _drain(self, pending):
        self._log.write(pending)
        for chunk in iter(lambda: os.read(self.proc.stdout.fileno(), 4096), b""):
            self._log.write(chunk)
        self._log.flush()

    def close(self):
        """Stops the process and closes its files; the log file stays on disk."""
        self.stop()
        self._log.close()

    def running(self):
        return self.proc.poll() is None

    def stop(self, timeout=10.0):
        """SIGTERM, then SIGKILL after `timeout`. Returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self._drainer:
            self._drainer.join(timeout=5)  # reads to EOF, which the exit just delivered
        if self.proc.stdout and not (self._drainer and self._drainer.is_alive()):
            self.proc.stdout.close()
        if not self._log.closed:  # close() may already have run (e.g. a restarted peer)
            self._log.flush()
        return self.proc.returncode

    def log_tail(self, max_bytes=8000):
        if not self._log.closed:
            self._log.flush()
        with open(self.log_path, "rb") as f:
            data = f.read()
        text = data[-max_bytes:].decode(errors="replace")
        return f"----- {self.name} log ({self.log_path}) -----\n{text}\n----- end {self.name} -----"


class DemoExporter:
    """`herald demo-exporter` on a free port, and a client for its incident control API."""

    def __init__(self, workdir, seed=1, binary=None):
        self.process = ManagedProcess(
            "demo-exporter",
            [binary or herald_bin(), "demo-exporter", "--web.listen-address=127.0.0.1:0",
             f"--seed={seed}"],
            os.path.join(workdir, "demo-exporter.log"),
            capture_stdout=True)
        try:
            m = self.process.read_line(r"listening on http://([\d.]+):(\d+)", timeout=30)
        except BaseException:
            self.process.close()
            raise
        self.host, self.port = m.group(1), int(m.group(2))
        self.url = f"http://{self.host}:{self.port}"
        self.address = f"{self.host}:{self.port}"

    def metrics(self):
        status, body = http("GET", self.url + "/metrics")
        if status != 200:
            raise ValueError(f"/metrics: HTTP {status}")
        return body

    def start_incident(self, kind, model, **params):
        query = urllib.parse.urlencode({"model": model, **params})
        status, body = http("POST", f"{self.url}/-/incidents/{kind}?{query}")
        if status != 200:
            raise AssertionError(f"start {kind} on {model}: HTTP {status}: {body.strip()}")
        return json.loads(body)

    def clear_incident(self, kind, model):
        query = urllib.parse.urlencode({"model": model})
        status, body = http("DELETE", f"{self.url}/-/incidents/{kind}?{query}")
        if status != 200:
            raise AssertionError(f"clear {kind} on {model}: HTTP {status}: {body.strip()}")

    def clear_all(self):
        status, body = http("DELETE", f"{self.url}/-/incidents")
        if status != 200:
            raise AssertionError(f"clear all incidents: HTTP {status}: {body.strip()}")

    def incidents(self):
        return get_json(self.url + "/-/incidents")

    def stop(self):
        return self.process.stop()


class Prometheus:
    """A real Prometheus in `workdir`: temp TSDB, scrape and evaluation every 1s."""

    def __init__(self, workdir, targets, rule_files=(), interval="1s", attempts=3,
                 external_labels=None, alertmanagers=(), extra_args=()):
        self.workdir = workdir
        self.extra_args = list(extra_args)
        self.config_path = os.path.join(workdir, "prometheus.yml")
        with open(self.config_path, "w") as f:
            f.write(self._config(targets, rule_files, interval, external_labels, alertmanagers))
        for attempt in range(attempts):
            self.port = free_port()
            self.url = f"http://127.0.0.1:{self.port}"
            self.tsdb_path = os.path.join(workdir, f"tsdb-{attempt}")
            self._start()
            try:
                wait_until(self._ready, timeout=60, what="prometheus /-/ready")
                return
            except BaseException as e:
                if not isinstance(e, AssertionError):
                    self.process.close()
                    raise
                lost_race = "address already in use" in self.process.log_tail()
                self.process.close()
                if not lost_race or attempt + 1 == attempts:
                    raise AssertionError("prometheus did not become ready\n" +
                                         self.process.log_tail())

    def _start(self):
        self.process = ManagedProcess(
            "prometheus",
            [prometheus_bin(), f"--config.file={self.config_path}",
             f"--storage.tsdb.path={self.tsdb_path}",
             f"--web.listen-address=127.0.0.1:{self.port}", f"--web.external-url={self.url}",
             "--log.level=info"] + self.extra_args,
            os.path.join(self.workdir, "prometheus.log"))

    def restart(self):
        """Starts Prometheus again after stop(): same port, config and TSDB (its data continues).
        Returns the new ManagedProcess; the caller tracks it (IntegrationTestCase.track)."""
        if self.process.running():
            raise AssertionError("restart() needs a stopped prometheus")
        self.process.close()
        self._start()
        try:
            wait_until(self._ready, timeout=60, what="restarted prometheus /-/ready")
        except BaseException:
            self.process.close()
            raise
        return self.process

    @staticmethod
    def _config(targets, rule_files, interval, external_labels=None, alertmanagers=()):
        lines = ["global:", f"  scrape_interval: {interval}", f"  scrape_timeout: {interval}",
                 f"  evaluation_interval: {interval}"]
        if external_labels:
            lines += ["  external_labels:"]
            lines += [f"    {k}: {json.dumps(v)}" for k, v in sorted(external_labels.items())]
        lines += ["rule_files:"]
        lines += [f"  - {json.dumps(os.path.abspath(p))}" for p in rule_files] or ["  []"]
        lines += ["scrape_configs:", "  - job_name: demo", "    static_configs:",
                  "      - targets: [" + ", ".join(json.dumps(t) for t in targets) + "]"]
        if alertmanagers:  # "host:port" of Alertmanager API v2 receivers (herald, Alertmanager)
            lines += ["alerting:", "  alertmanagers:", "    - api_version: v2",
                      "      static_configs:",
                      "        - targets: [" + ", ".join(json.dumps(t) for t in alertmanagers) + "]"]
        return "\n".join(lines) + "\n"

    def _ready(self):
        if not self.process.running():
            raise AssertionError("prometheus exited\n" + self.process.log_tail())
        return http("GET", self.url + "/-/ready", timeout=2)[0] == 200

    def api(self, path, **params):
        return api_v1(self.url, path, **params)

    def query(self, expr, at=None):
        """Instant query (at `at`, unix seconds, when given); returns the result list (vector)
        or value (scalar)."""
        if at is None:
            return self.api("query", query=expr)["result"]
        return self.api("query", query=expr,
                        time=at if isinstance(at, str) else f"{at:.3f}")["result"]

    def alerts(self):
        """Active (pending and firing) alerts as in /api/v1/alerts."""
        return self.api("alerts")["alerts"]

    def rules(self):
        return self.api("rules")["groups"]

    def wait_scraped(self, job="demo", timeout=DEFAULT_DEADLINE):
        """Waits until every target of `job` has been scraped successfully."""
        return wait_until(
            lambda: (r := self.query(f'up{{job="{job}"}}')) and all(s["value"][1] == "1" for s in r),
            timeout=timeout, what=f"targets of job {job!r} up")

    def stop(self):
        return self.process.stop()


def api_v1(base_url, path, **params):
    """GET <base_url>/api/v1/<path> (Prometheus or herald) and return its `data`."""
    url = f"{base_url}/api/v1/{path}"
    if params:
        url += "?" + urllib.parse.urlencode(params, doseq=True)
    doc = get_json(url)
    if doc.get("status") != "success":
        raise ValueError(f"{path}: {doc}")
    return doc["data"]


def parse_rfc3339(text, ns=False):
    """RFC 3339 UTC time ("2024-01-02T03:04:05.678Z", as herald and Prometheus print eval times)
    → integer milliseconds since the epoch, truncated like Prometheus's timestamp.FromTime (or
    exact nanoseconds with ns=True)."""
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?Z", text)
    if not m:
        raise ValueError(f"not an RFC 3339 UTC time: {text!r}")
    secs = calendar.timegm(tuple(int(g) for g in m.groups()[:6]))
    nanos = secs * 1_000_000_000 + int((m.group(7) or "").ljust(9, "0"))
    return nanos if ns else nanos // 1_000_000


def ms_to_query_time(ms):
    """Integer ms → the exact `time=` parameter string of Prometheus's query API."""
    return f"{ms // 1000}.{ms % 1000:03d}"


class Herald:
    """`herald run` on 127.0.0.1 port 0 with a generated herald.yml, logging JSON to a file.

    `datasource_url` is the Prometheus it queries; `rule_files` are paths (absolute or relative
    to `workdir`). The listening port is read from the "herald started" log line, which herald
    logs once the stored state is restored and the HTTP server listens.

    State lives in the SQLite file `storage_path` (default `<workdir>/<name>.db`: never herald's
    own default, `herald.db` in the cwd). `config_path` (default `<workdir>/<name>.yml`) may be
    shared by several instances: it is written only when its content differs. `extra_args` are
    appended to the command line. kill() (SIGKILL) and start() restart the same instance: same
    config, database and log file (appended to), a new port. `extra_config` is appended to the
    generated herald.yml (e.g. route, receivers, inhibit_rules)."""

    def __init__(self, workdir, datasource_url, rule_files, evaluation_interval="1s",
                 unreachable_after="5s", external_url=None, external_labels=None,
                 name="herald", binary=None, storage_path=None, config_path=None, extra_args=(),
                 extra_config=""):
        self.workdir = workdir
        self.name = name
        self.binary = binary or herald_bin()
        self.config_path = config_path or os.path.join(workdir, f"{name}.yml")
        self.storage_path = storage_path or os.path.join(workdir, f"{name}.db")
        self.extra_args = list(extra_args)
        lines = ["global:", f"  evaluation_interval: {evaluation_interval}"]
        if external_url:
            lines.append(f"  external_url: {json.dumps(external_url)}")
        if external_labels:
            lines.append("  external_labels: " + json.dumps(external_labels, sort_keys=True))
        lines += ["datasources:",
                  f"  - {{name: prometheus, url: {json.dumps(datasource_url)}, "
                  f"unreachable_after: {unreachable_after}}}",
                  "rule_files: [" + ", ".join(json.dumps(p) for p in rule_files) + "]"]
        text = "\n".join(lines) + "\n" + extra_config
        if _read(self.config_path) != text:
            with open(self.config_path, "w") as f:
                f.write(text)
        self.log_path = os.path.join(workdir, f"{name}.log")
        self.process = None
        self.starts = 0
        self.start()

    def start(self, timeout=30):
        """Starts `herald run` (again, after kill() or stop()) and waits for its "herald started"
        line; sets port and url. Returns that log line."""
        if self.process is not None and self.process.running():
            raise AssertionError(f"{self.name} is already running")
        if self.process is not None:
            self.process.close()
        self._run_offset = os.path.getsize(self.log_path) if os.path.exists(self.log_path) else 0
        self.process = ManagedProcess(
            self.name,
            [self.binary, "run", f"--config.file={self.config_path}",
             f"--storage.path={self.storage_path}",
             "--web.listen-address=127.0.0.1:0", "--log.format=json"] + self.extra_args,
            self.log_path)
        self.spawned_at = time.monotonic()
        try:
            started = wait_until(lambda: self._started(), timeout=timeout, interval=0.02,
                                 what=f"{self.name} started")
        except BaseException:
            self.process.close()
            raise
        self.started_at = time.monotonic()
        self.starts += 1
        self.port = int(started["port"])
        self.url = f"http://127.0.0.1:{self.port}"
        return started

    def _started(self):
        for line in self.log(current_run=True):
            if line.get("msg") == "herald started":
                return line
        if not self.process.running():
            raise AssertionError(f"{self.name} exited ({self.process.proc.returncode})\n"
                                 + self.process.log_tail())
        return None

    def kill(self):
        """SIGKILL (a crash: no shutdown path runs); returns once the process is gone."""
        if self.process.running():
            self.process.proc.send_signal(signal.SIGKILL)
        self.process.proc.wait(timeout=30)
        self.process.close()

    def sighup(self):
        self.process.proc.send_signal(signal.SIGHUP)

    @property
    def pid(self):
        return self.process.proc.pid

    def log(self, current_run=False):
        """Every JSON line herald logged so far, over all its runs or (current_run) since the
        last start() (other lines, e.g. diagnostics, are skipped)."""
        out = []
        with open(self.log_path, "rb") as f:
            if current_run:
                f.seek(self._run_offset)
            for raw in f:
                try:
                    doc = json.loads(raw)
                except ValueError:
                    continue  # a partly written last line, or plain text
                if isinstance(doc, dict):
                    out.append(doc)
        return out

    def log_lines(self, msg, current_run=False):
        """The JSON log lines whose msg is `msg`, in order."""
        return [line for line in self.log(current_run) if line.get("msg") == msg]

    def transitions(self):
        """The "alert transition" log lines, in order: dicts with rule_group, alertname, labels
        (the label set as text), from, to, value (Go 'e' format) and at (the eval time)."""
        return self.log_lines("alert transition")

    def ready(self):
        return http("GET", self.url + "/-/ready", timeout=2)[0] == 200

    def wait_ready(self, timeout=DEFAULT_DEADLINE):
        def ready():
            if not self.process.running():
                raise AssertionError(f"{self.name} exited\n" + self.process.log_tail())
            return self.ready()
        return wait_until(ready, timeout=timeout, what=f"{self.name} /-/ready")

    def api(self, path, **params):
        return api_v1(self.url, path, **params)

    def alerts(self):
        return self.api("alerts")["alerts"]

    def rules(self):
        return self.api("rules")["groups"]

    def group(self, name):
        """The /api/v1/rules entry of group `name` (AssertionError when there is none)."""
        for g in self.rules():
            if g["name"] == name:
                return g
        raise AssertionError(f"{self.name}: no rule group {name!r} in /api/v1/rules")

    def history(self, **params):
        """GET /api/v1/alerts/history (fingerprint=… or alertname=…, since=…, limit=…): the
        transitions, oldest first."""
        return self.api("alerts/history", **params)["transitions"]

    def runtime_info(self):
        return self.api("status/runtimeinfo")

    def reload(self, timeout=30.0):
        """POST /-/reload; returns (HTTP status, body text)."""
        return http("POST", self.url + "/-/reload", timeout=timeout)

    def metrics(self):
        """/metrics parsed: {name: [(labels dict, value float)]}."""
        status, body = http("GET", self.url + "/metrics")
        if status != 200:
            raise ValueError(f"{self.name} /metrics: HTTP {status}")
        return parse_metrics(body)

    def metric(self, name, **labels):
        """The value of the one sample of `name` whose labels include `labels`."""
        samples = [v for lab, v in self.metrics().get(name, [])
                   if all(lab.get(k) == v2 for k, v2 in labels.items())]
        if len(samples) != 1:
            raise AssertionError(f"{self.name}: {len(samples)} samples of {name}{labels}")
        return samples[0]

    # ManagedProcess's interface, so IntegrationTestCase.track() follows restarts.
    def running(self):
        return self.process is not None and self.process.running()

    def log_tail(self, max_bytes=8000):
        return self.process.log_tail(max_bytes)

    def close(self):
        if self.process is not None:
            self.process.close()

    def stop(self):
        return self.process.stop()


def _read(path):
    """The text of `path`, or None when it does not exist."""
    try:
        with open(path) as f:
            return f.read()
    except FileNotFoundError:
        return None


_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$')
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_metrics(text):
    """Prometheus text format 0.0.4 → {name: [(labels dict, value float)]} (comments skipped)."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = _SAMPLE.match(line)
        if not m:
            continue
        labels = {k: re.sub(r'\\(.)', lambda e: {"n": "\n"}.get(e.group(1), e.group(1)), v)
                  for k, v in _LABEL.findall(m.group(2) or "")}
        out.setdefault(m.group(1), []).append((labels, float(m.group(3))))
    return out


# Shipped durations → test durations, so rules converge in seconds while keeping their shape:
# range windows still span many 1s scrapes, and `for`s stay longer than one evaluation.
TEST_WINDOWS = {"1m": "10s", "2m": "15s", "5m": "20s", "10m": "30s", "15m": "30s", "1h": "40s"}
TEST_FORS = {"30s": "2s", "1m": "2s", "2m": "4s", "5m": "5s", "10m": "6s", "15m": "8s"}


def fill_filesystem(directory):
    """Writes a ballast file until the filesystem holding `directory` has no byte left."""
    fd = os.open(os.path.join(directory, "ballast"), os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        for size in (1 << 20, 1 << 12, 1):
            chunk = b"\0" * size
            try:
                while True:
                    os.write(fd, chunk)
            except OSError as e:
                if e.errno != errno.ENOSPC:
                    raise
    finally:
        os.close(fd)


def make_test_sized_rules(src, dst, windows=None, fors=None):
    """Writes to `dst` a copy of rule file `src` with range windows `[5m]` and `for: 5m`
    shortened per `windows` / `fors`. Raises ValueError on a duration with no mapping, so a new
    shipped rule cannot silently run at production speed in a test."""
    windows = TEST_WINDOWS if windows is None else windows
    fors = TEST_FORS if fors is None else fors

    def sub(mapping, kind):
        def repl(m):
            if m.group(2) not in mapping:
                raise ValueError(f"{src}: no test-sized {kind} for {m.group(2)!r}")
            return m.group(1) + mapping[m.group(2)] + m.group(3)
        return repl

    with open(src) as f:
        text = f.read()
    text = re.sub(r"(\[)(\d[0-9smhdwy]*)(\])", sub(windows, "window"), text)
    text = re.sub(r"(\bfor:\s*)(\d[0-9smhdwy]*)(\s)", sub(fors, "for"), text)
    with open(dst, "w") as f:
        f.write(text)
    return dst


def start_alertmanager(test, config_text, name="alertmanager", cluster_args=()):
    """A real prometheus-alertmanager on a free 127.0.0.1 port, stopped with `test` (an
    IntegrationTestCase); returns its URL. Without `cluster_args` it runs alone
    (--cluster.listen-address=); with them, they are its --cluster.* flags. Skips the test when
    the binary is missing."""
    binary = os.environ.get("ALERTMANAGER_BIN") or shutil.which("prometheus-alertmanager")
    if not binary:
        raise unittest.SkipTest("prometheus-alertmanager is not installed")
    config = os.path.join(test.tmp, f"{name}.yml")
    with open(config, "w") as f:
        f.write(config_text)
    cluster = list(cluster_args) or ["--cluster.listen-address="]
    for _ in range(3):  # the free port may be taken between the probe and the bind
        port = free_port()
        proc = ManagedProcess(
            name,
            [binary, f"--config.file={config}",
             f"--storage.path={os.path.join(test.tmp, name + '-data')}",
             f"--web.listen-address=127.0.0.1:{port}", "--log.level=debug"] + cluster,
            os.path.join(test.tmp, f"{name}.log"))
        test.track(proc)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until(lambda: http("GET", url + "/-/ready")[0] == 200,
                       timeout=30, interval=0.1, what=f"{name} ready")
            return url
        except AssertionError:
            if proc.running():
                raise
    raise AssertionError(f"{name} did not start")


class IntegrationTestCase(unittest.TestCase):
    """Gives each test a temp dir, stops every started process (even on failure) and prints
    their logs when the test failed. Set HERALD_KEEP_TMP=1 to keep the temp dir."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix=f"herald-{self._testMethodName}-")
        self._processes = []
        self.addCleanup(self._cleanup_tmp)

    def start_exporter(self, seed=1):
        exporter = DemoExporter(self.tmp, seed=seed)
        self.track(exporter.process)
        return exporter

    def start_prometheus(self, targets, rule_files=(), **kwargs):
        prom = Prometheus(self.tmp, targets, rule_files, **kwargs)
        self.track(prom.process)
        return prom

    def restart_prometheus(self, prom):
        """prom.restart() (same port and TSDB), the new process tracked like the first."""
        self.track(prom.restart())
        return prom

    def start_herald(self, datasource_url, rule_files, **kwargs):
        herald = Herald(self.tmp, datasource_url, rule_files, **kwargs)
        self.track(herald)  # the Herald, not its process: kill() and start() replace that
        return herald

    def track(self, process):
        """Stops `process` when the test ends, and shows its log if the test failed. Anything
        with close() and log_tail() (a ManagedProcess, a Herald)."""
        self._processes.append(process)
        self.addCleanup(process.close)

    def _failed(self):
        # Each cleanup runs in a fresh "test part", so ask the result, not _outcome.success.
        result = getattr(getattr(self, "_outcome", None), "result", None)
        if result is None:
            return True  # unknown runner: err on the side of showing the logs
        return any(test is self for test, _ in result.failures + result.errors)

    def _cleanup_tmp(self):
        # Runs last (registered first): processes are already stopped.
        failed = self._failed()
        if failed:
            for p in self._processes:
                print("\n" + p.log_tail(), file=sys.stderr)
        if failed or os.environ.get("HERALD_KEEP_TMP"):
            print(f"\n(test files kept in {self.tmp})", file=sys.stderr)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)
