"""Local stand-ins for the services herald notifies, for the reliability suite.

Each checks every request as the real service documents it (docs/compatibility.md "Slack",
"PagerDuty Events API v2", "Email"; the same rules as the C++ fakes tests/notifiers/fake_slack.h
and tests/notifiers/fake_pagerduty.h), records what it accepted with the wall time it arrived, and
can misbehave on demand:

  SlackApi      Slack's Web API in bot mode (chat.postMessage, chat.update): a bearer token,
                JSON, one channel; thread replies and updates need an existing parent. Each
                herald instance is its own workspace, chosen by the first path segment of
                `app_url` (http://127.0.0.1:port/<workspace>/api/chat.postMessage).
  PagerDutyApi  Events API v2 (POST /<workspace>/v2/enqueue): 202 for a valid event, 400 with
                PagerDuty's errors for an invalid one.
  SmtpServer    tests/fakes/smtp_server.py (aiosmtpd) in a child process; stop() closes its port
                and start() opens the same port again.
  BlackHole     accepts connections and never answers, until recover(): then it closes those it
                holds (or leaves them to the client's timeout) and answers 200 like a webhook.
  OutageProxy   a TCP proxy in front of a peer (Prometheus); cut() makes it accept and drop every
                connection, mend() forwards again. The peer itself keeps running.

`policy(workspace, what, body)` may return a forced answer (status, body, headers) instead of
the real one; `on_request(workspace, integration, kind)` runs after an accepted request is
recorded and before it is answered (a test's hook into the moment between a delivery and herald
learning of it; kind: Slack's post, update or reply, PagerDuty's event_action).
"""

import http.server as http_server
import json
import os
import re
import socket
import threading
import time

from reliability import harness  # tests/integration/harness.py, on its path

PYTHON_WITH_AIOSMTPD = "/usr/bin/python3"  # Debian's, which has python3-aiosmtpd


class _Server:
    """A threading HTTP server on 127.0.0.1 port 0 whose handler calls `handle(handler)`."""

    def __init__(self, handle):
        class Handler(http_server.BaseHTTPRequestHandler):
            def do_POST(self):
                handle(self)

            def log_message(self, *args):
                pass

        self.server = http_server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _answer(handler, status, body, headers=()):
    data = body if isinstance(body, bytes) else body.encode()
    try:
        handler.send_response(status)
        for name, value in headers:
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
    except OSError:
        pass  # the client is gone (killed while we held its answer)


def _read_body(handler):
    return handler.rfile.read(int(handler.headers.get("Content-Length", "0")))


# --- Slack -----------------------------------------------------------------------------------

def slack_units(s):
    """Characters as Slack's limits count them: UTF-16 code units."""
    return len(s.encode("utf-16-le")) // 2


def _only_keys(o, keys):
    return all(k in keys for k in o)


def _optional_string(o, key, limit):
    return key not in o or (isinstance(o[key], str) and slack_units(o[key]) <= limit)


def _valid_text(t, limit, plain_only=False):
    if not isinstance(t, dict) or not isinstance(t.get("text"), str) or not t["text"]:
        return False
    if slack_units(t["text"]) > limit:
        return False
    if t.get("type") == "plain_text":
        return _only_keys(t, ("type", "text", "emoji")) and isinstance(t.get("emoji", True), bool)
    if t.get("type") == "mrkdwn" and not plain_only:
        return _only_keys(t, ("type", "text", "verbatim")) and isinstance(t.get("verbatim", True),
                                                                          bool)
    return False


def _valid_button(b, action_ids):
    if not isinstance(b, dict) or b.get("type") != "button":
        return False
    if not _only_keys(b, ("type", "text", "action_id", "url", "value", "style", "confirm",
                          "accessibility_label")):
        return False
    if not _valid_text(b.get("text"), 75, plain_only=True):
        return False
    if not (_optional_string(b, "action_id", 255) and _optional_string(b, "value", 2000)
            and _optional_string(b, "url", 3000)):
        return False
    if "action_id" in b:
        if b["action_id"] in action_ids:
            return False
        action_ids.add(b["action_id"])
    if "url" in b and not b["url"].startswith(("https://", "http://")):
        return False
    return b.get("style", "primary") in ("primary", "danger")


def _valid_block(b, block_ids):
    if not isinstance(b, dict) or not isinstance(b.get("type"), str):
        return False
    if not _optional_string(b, "block_id", 255):
        return False
    if "block_id" in b:
        if b["block_id"] in block_ids:
            return False
        block_ids.add(b["block_id"])
    kind = b["type"]
    if kind == "header":
        return _only_keys(b, ("type", "block_id", "text")) and _valid_text(b.get("text"), 150, True)
    if kind == "section":
        if not _only_keys(b, ("type", "block_id", "text", "fields", "accessory")):
            return False
        if "text" not in b and "fields" not in b:
            return False
        if "text" in b and not _valid_text(b["text"], 3000):
            return False
        if "fields" in b:
            f = b["fields"]
            if not isinstance(f, list) or not f or len(f) > 10:
                return False
            if not all(_valid_text(t, 2000) for t in f):
                return False
        return True
    if kind == "actions":
        e = b.get("elements")
        if not _only_keys(b, ("type", "block_id", "elements")) or not isinstance(e, list):
            return False
        if not e or len(e) > 25:
            return False
        action_ids = set()
        return all(_valid_button(x, action_ids) for x in e)
    if kind == "context":
        e = b.get("elements")
        if not _only_keys(b, ("type", "block_id", "elements")) or not isinstance(e, list):
            return False
        return bool(e) and len(e) <= 10 and all(_valid_text(t, 3000) for t in e)
    if kind == "divider":
        return _only_keys(b, ("type", "block_id"))
    return False  # a type herald does not send is as good as unknown here


def _valid_blocks(blocks):
    if not isinstance(blocks, list) or len(blocks) > 50:
        return False
    block_ids = set()
    return all(_valid_block(b, block_ids) for b in blocks)


def slack_message_error(body):
    """"" when Slack accepts `body` as a message, else the error it answers."""
    if not isinstance(body, dict):
        return "invalid_payload"
    has_text = has_blocks = False
    if "text" in body:
        if not isinstance(body["text"], str):
            return "invalid_arguments"
        if slack_units(body["text"]) > 40000:
            return "msg_too_long"
        has_text = bool(body["text"])
    if "blocks" in body:
        if not _valid_blocks(body["blocks"]):
            return "invalid_blocks"
        has_blocks = bool(body["blocks"])
    if "attachments" in body:
        a = body["attachments"]
        if not isinstance(a, list) or len(a) > 100:
            return "invalid_attachments"
        for x in a:
            if not isinstance(x, dict) or not _optional_string(x, "color", 32):
                return "invalid_attachments"
            if "blocks" in x and not _valid_blocks(x["blocks"]):
                return "invalid_blocks"
    if not has_text and not has_blocks:
        return "no_text"
    return ""


class SlackApi:
    """Slack's Web API, one workspace per first path segment. The bot token of workspace `ws`
    is token(ws); the one channel is CHANNEL (ID CHANNEL_ID). Each request waits `latency`
    seconds before it is answered, as a real round trip to Slack does."""

    CHANNEL = "#alerts"
    CHANNEL_ID = "C0123"

    def __init__(self, latency=0.0, policy=None, on_request=None):
        self.latency = latency
        self.policy = policy
        self.on_request = on_request
        self.lock = threading.Lock()
        self.messages = {}  # ws -> [message dict]: ts, channel, thread_ts, body, history, t
        self.calls = []     # every request: ws, method, arrived, answered, status, error, body
        self._next_ts = 0
        self._http = _Server(self._handle)
        self.url = self._http.url

    @staticmethod
    def token(ws):
        return f"xoxb-{ws}-0000-reliability"

    def app_url(self, ws):
        return f"{self.url}/{ws}/api/chat.postMessage"

    def _handle(self, h):
        arrived = time.time()
        body = _read_body(h)
        m = re.fullmatch(r"/([\w-]+)/api/(chat\.postMessage|chat\.update)", h.path)
        if not m:
            return _answer(h, 404, "no_service")
        ws, method = m.groups()
        forced = self.policy(ws, method, body) if self.policy else None
        if forced is None:
            with self.lock:
                status, answer = 200, self._web_api(ws, method, h, body, arrived)
            headers = [("Content-Type", "application/json; charset=utf-8")]
            payload = json.dumps(answer)
        else:
            status, payload, headers = forced
            answer = {}
        call = {"ws": ws, "method": method, "arrived": arrived, "status": status,
                "error": answer.get("error", "" if status == 200 else f"http {status}"),
                "body": body}
        if self.on_request and status == 200 and answer.get("ok"):
            kind = "update" if method == "chat.update" else (
                "reply" if _json(body).get("thread_ts") else "post")
            self.on_request(ws, "slack", kind)
        if self.latency:
            time.sleep(self.latency)
        call["answered"] = time.time()
        with self.lock:
            self.calls.append(call)
        _answer(h, status, payload, headers)

    # REQUIRES: self.lock held.
    def _web_api(self, ws, method, h, raw, arrived):
        auth = h.headers.get("Authorization", "")
        if not auth:
            return {"ok": False, "error": "not_authed"}
        if auth != "Bearer " + self.token(ws):
            return {"ok": False, "error": "invalid_auth"}
        if h.headers.get("Content-Type") not in ("application/json",
                                                 "application/json; charset=utf-8"):
            return {"ok": False, "error": "invalid_form_data"}
        try:
            body = json.loads(raw)
        except ValueError:
            return {"ok": False, "error": "invalid_json"}
        if not isinstance(body, dict):
            return {"ok": False, "error": "json_not_object"}
        error = slack_message_error(body)
        if error:
            return {"ok": False, "error": error}
        channel = body.get("channel", "")
        messages = self.messages.setdefault(ws, [])
        if method == "chat.update":
            if channel != self.CHANNEL_ID:
                return {"ok": False, "error": "channel_not_found"}
            parent = next((p for p in messages if p["ts"] == body.get("ts")), None)
            if parent is None:
                return {"ok": False, "error": "message_not_found"}
            parent["body"] = {k: v for k, v in body.items() if k != "ts"}
            parent["history"].append((arrived, parent["body"]))
            return {"ok": True, "channel": self.CHANNEL_ID, "ts": parent["ts"],
                    "text": body.get("text", "")}
        if channel not in (self.CHANNEL, self.CHANNEL_ID):
            return {"ok": False, "error": "channel_not_found"}
        thread_ts = body.get("thread_ts", "")
        if thread_ts:
            parent = next((p for p in messages if p["ts"] == thread_ts), None)
            if parent is None or parent["thread_ts"]:
                return {"ok": False, "error": "thread_not_found"}
        self._next_ts += 1
        ts = f"1716900000.{self._next_ts:06d}"
        messages.append({"ts": ts, "channel": self.CHANNEL_ID, "thread_ts": thread_ts,
                         "body": body, "history": [(arrived, body)], "t": arrived})
        return {"ok": True, "channel": self.CHANNEL_ID, "ts": ts, "message": {"ts": ts}}

    def workspace(self, ws):
        """(messages, calls) of workspace `ws`, copied."""
        with self.lock:
            return ([dict(m, history=list(m["history"])) for m in self.messages.get(ws, [])],
                    [c for c in self.calls if c["ws"] == ws])

    def close(self):
        self._http.close()


def _json(raw):
    try:
        doc = json.loads(raw)
        return doc if isinstance(doc, dict) else {}
    except ValueError:
        return {}


# --- PagerDuty -------------------------------------------------------------------------------

def pagerduty_event_errors(content_type, raw):
    """Why PagerDuty would reject this request body; [] when it accepts it."""
    if content_type.split(";")[0].strip() != "application/json":
        return ["Content-Type must be application/json"]
    if len(raw) > 512 * 1024:
        return ["Event object is too large (max 512 KB)"]
    try:
        event = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return ["Event object is not valid JSON"]
    if not isinstance(event, dict):
        return ["Event object is not valid JSON"]
    errors = []

    def text(obj, key):
        v = obj.get(key)
        return v if isinstance(v, str) else ""

    key = text(event, "routing_key")
    if len(key) != 32 or not key.isalnum():
        errors.append("Length of 'routing_key' is incorrect (should be 32 characters)")
    action = text(event, "event_action")
    if action not in ("trigger", "acknowledge", "resolve"):
        errors.append("'event_action' is invalid (must be one of the following: 'trigger', "
                      "'acknowledge' or 'resolve')")
    if "dedup_key" in event and (not isinstance(event["dedup_key"], str)
                                 or len(event["dedup_key"]) > 255):
        errors.append("'dedup_key' is invalid (must be a string of at most 255 characters)")
    if action != "trigger":
        if action and not text(event, "dedup_key"):
            errors.append("'dedup_key' is missing or blank")
        return errors
    payload = event.get("payload")
    if not isinstance(payload, dict):
        return errors + ["'payload' is missing or blank"]
    summary = text(payload, "summary")
    if not summary:
        errors.append("'payload.summary' is missing or blank")
    if len(summary) > 1024:
        errors.append("'payload.summary' is too long (max 1024)")
    if not text(payload, "source"):
        errors.append("'payload.source' is missing or blank")
    if text(payload, "severity") not in ("critical", "error", "warning", "info"):
        errors.append("'payload.severity' is invalid (must be one of the following: 'critical', "
                      "'warning', 'error' or 'info')")
    if "timestamp" in payload and not isinstance(payload["timestamp"], str):
        errors.append("'payload.timestamp' is invalid")
    if "links" in event:
        links = event["links"]
        if not isinstance(links, list) or not all(isinstance(x, dict) and text(x, "href")
                                                  for x in links):
            errors.append("'links' is invalid")
    return errors


class PagerDutyApi:
    """Events API v2 at /<workspace>/v2/enqueue. routing_key(ws) is the key it expects there."""

    def __init__(self, policy=None, on_request=None):
        self.policy = policy
        self.on_request = on_request
        self.lock = threading.Lock()
        self.events = []    # accepted: ws, event, arrived
        self.requests = []  # every request: ws, arrived, status, body
        self._http = _Server(self._handle)
        self.url = self._http.url

    @staticmethod
    def routing_key(ws):
        return (ws + "0" * 32)[:32].replace("-", "0")

    def events_url(self, ws):
        return f"{self.url}/{ws}/v2/enqueue"

    def _handle(self, h):
        arrived = time.time()
        raw = _read_body(h)
        m = re.fullmatch(r"/([\w-]+)/v2/enqueue", h.path)
        if not m:
            return _answer(h, 404, "not found")
        ws = m.group(1)
        forced = self.policy(ws, "enqueue", raw) if self.policy else None
        if forced is not None:
            status, payload, headers = forced
        else:
            errors = pagerduty_event_errors(h.headers.get("Content-Type", ""), raw)
            event = _json(raw)
            if not errors and event.get("routing_key") != self.routing_key(ws):
                errors = ["Invalid routing key"]  # PagerDuty: 400 for an unknown integration
            headers = [("Content-Type", "application/json")]
            if errors:
                status = 400
                payload = json.dumps({"status": "invalid event",
                                      "message": "Event object is invalid", "errors": errors})
            else:
                status = 202
                payload = json.dumps({"status": "success", "message": "Event processed",
                                      "dedup_key": event.get("dedup_key", "")})
                with self.lock:
                    self.events.append({"ws": ws, "event": event, "arrived": arrived})
                if self.on_request:
                    self.on_request(ws, "pagerduty", event.get("event_action"))
        with self.lock:
            self.requests.append({"ws": ws, "arrived": arrived, "status": status, "body": raw,
                                  "answered": time.time()})
        _answer(h, status, payload, headers)

    def accepted(self, ws):
        with self.lock:
            return [e for e in self.events if e["ws"] == ws]

    def requests_of(self, ws):
        with self.lock:
            return [r for r in self.requests if r["ws"] == ws]

    def close(self):
        self._http.close()


# --- SMTP ------------------------------------------------------------------------------------

class SmtpServer:
    """tests/fakes/smtp_server.py on one port for its whole life: stop() closes the port (a mail
    server that is down), start() listens on the same port again. Messages are read back from
    its directory with the wall time each was stored."""

    def __init__(self, workdir, name="smtp"):
        self.workdir = workdir
        self.name = name
        self.dir = os.path.join(workdir, f"{name}-mail")
        os.makedirs(self.dir, exist_ok=True)
        self.port = 0
        self.process = None
        self.start()

    def start(self):
        if self.process is not None and self.process.running():
            raise AssertionError("the SMTP server is already running")
        if self.process is not None:
            self.process.close()
        script = os.path.join(harness.SOURCE_DIR, "tests", "fakes", "smtp_server.py")
        self.process = harness.ManagedProcess(
            self.name, [PYTHON_WITH_AIOSMTPD, script, "--dir", self.dir, f"--port={self.port}"],
            os.path.join(self.workdir, f"{self.name}.log"), capture_stdout=True)
        m = self.process.read_line(r"^(\d+)$", timeout=30)
        self.port = int(m.group(1))

    def stop(self):
        """Closes the port: connections are refused until start()."""
        self.process.stop()

    def running(self):
        return self.process is not None and self.process.running()

    def messages(self):
        """[(record, stored wall time)] in arrival order (record: smtp_server.py's JSON)."""
        out = []
        names = sorted((n for n in os.listdir(self.dir) if n.endswith(".json")),
                       key=lambda n: int(n.split(".")[0]))
        for n in names:
            path = os.path.join(self.dir, n)
            try:
                with open(path) as f:
                    out.append((json.load(f), os.stat(path).st_mtime))
            except (OSError, ValueError):
                continue
        return out

    def log_tail(self, max_bytes=8000):
        return self.process.log_tail(max_bytes)

    def close(self):
        if self.process is not None:
            self.process.close()


# --- a peer that never answers, and a proxy that can cut a peer off -----------------------------

class RawListener:
    """A listening socket on a free 127.0.0.1 port whose accept loop hands each connection to
    on_connection(conn), on the accept thread (it must not block)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.on_connection(conn)


class BlackHole(RawListener):
    """Accepts every connection and reads nothing, answers nothing, until recover(close_held):
    then it answers every request 200 (recording webhook payloads as WebhookSink does) and, with
    close_held, closes the connections it held so their clients see an error now rather than at
    their timeout."""

    def __init__(self):
        self.held = []
        self.accepted = 0
        self.recovered = False
        self.received = []  # (path, payload, arrived wall time)
        super().__init__()

    def on_connection(self, conn):
        with self.lock:
            self.accepted += 1
            if not self.recovered:
                self.held.append(conn)
                return
        threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        try:
            f = conn.makefile("rb")
            request = f.readline().split()
            length = 0
            for line in iter(f.readline, b"\r\n"):
                if not line:
                    return
                name, _, value = line.decode().partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            payload = json.loads(f.read(length))
            with self.lock:
                self.received.append((request[1].decode(), payload, time.time()))
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        except (OSError, ValueError, IndexError):
            pass
        finally:
            conn.close()

    def recover(self, close_held=True):
        with self.lock:
            self.recovered = True
            held, self.held = self.held, []
        if close_held:
            for conn in held:
                conn.close()
        else:
            with self.lock:
                self.held_after_recovery = held

    def close(self):
        self.sock.close()
        with self.lock:
            for conn in self.held + getattr(self, "held_after_recovery", []):
                conn.close()


class OutageProxy(RawListener):
    """127.0.0.1:<port> → `target` (host, port). cut(): every new connection is accepted and
    closed at once and those open are closed (the peer is unreachable); mend(): forwarding again."""

    def __init__(self, target):
        self.target = target
        self.down = False
        self.open = set()
        self.dropped = 0
        super().__init__()

    def on_connection(self, conn):
        with self.lock:
            down = self.down
            if down:
                self.dropped += 1
        if down:
            conn.close()
            return
        threading.Thread(target=self._forward, args=(conn,), daemon=True).start()

    def _forward(self, conn):
        try:
            upstream = socket.create_connection(self.target, timeout=10)
        except OSError:
            conn.close()
            return
        with self.lock:
            self.open.update((conn, upstream))

        def pump(src, dst):
            try:
                while chunk := src.recv(65536):
                    dst.sendall(chunk)
            except OSError:
                pass
            finally:
                for s in (src, dst):
                    try:
                        s.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                with self.lock:
                    self.open.discard(src)
                    self.open.discard(dst)

        threading.Thread(target=pump, args=(upstream, conn), daemon=True).start()
        pump(conn, upstream)
        conn.close()
        upstream.close()

    def cut(self):
        with self.lock:
            self.down = True
            live = list(self.open)
        for s in live:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def mend(self):
        with self.lock:
            self.down = False

    def close(self):
        self.cut()
        self.sock.close()
