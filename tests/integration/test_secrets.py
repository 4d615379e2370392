"""No secret ever leaves herald: not in its log, its errors, /api/v2/status, /metrics or the APIs.

herald gets one receiver per integration, each with a recognisable secret (a webhook URL path, a
Slack webhook path and bot token, a PagerDuty routing key, an SMTP password, a forwarder bearer
token). Every peer is a hostile local server that fails the request and echoes back everything it
received — URL, headers and body — in its error response, so a notifier that copies a response
into its error would leak. After every integration has failed several times (retried and
permanent), the secrets must appear nowhere herald shows.
"""

import json
import os
import socket
import threading
import time
import unittest
from http import server as http_server

import harness

SECRETS = {
    "webhook": "whk-path-s3cr3t-7f3a",
    "slack_hook": "slack-hook-s3cr3t-91bc",
    "slack_token": "xoxb-slack-token-s3cr3t-55d1",
    "pagerduty": "pdkey0s3cr3t0000000000000000abcd",  # 32 characters
    "smtp": "smtp-pass-s3cr3t-0e4f",
    "forwarder": "am-bearer-s3cr3t-c0de",
}


class EchoServer:
    """Answers every request with `status` and a body echoing the request line, headers and body."""

    def __init__(self, status):
        seen = self.requests = []

        class Handler(http_server.BaseHTTPRequestHandler):
            def _echo(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                seen.append(self.path)
                echo = f"{self.command} {self.path}\n{self.headers}\n".encode() + body
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(echo)))
                self.end_headers()
                self.wfile.write(echo)

            do_POST = do_GET = _echo

            def log_message(self, *args):
                pass

        self.server = http_server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class EchoSmtp:
    """An SMTP peer that rejects AUTH, echoing the credentials it was sent in the reply."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.attempts = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._session, args=(conn,), daemon=True).start()

    def _session(self, conn):
        f = conn.makefile("rwb")
        try:
            f.write(b"220 echo ESMTP\r\n")
            f.flush()
            for raw in f:
                line = raw.decode(errors="replace").strip()
                verb = line.split(" ")[0].upper()
                if verb in ("EHLO", "HELO"):
                    f.write(b"250-echo\r\n250 AUTH PLAIN LOGIN\r\n")
                elif verb == "AUTH":
                    self.attempts += 1
                    f.write(f"535 5.7.8 rejected: {line}\r\n".encode())
                elif verb == "QUIT":
                    f.write(b"221 bye\r\n")
                    f.flush()
                    return
                else:
                    f.write(f"554 5.5.1 no: {line}\r\n".encode())
                f.flush()
        except OSError:
            pass
        finally:
            conn.close()

    def close(self):
        self.sock.close()


def config(peer_5xx, peer_4xx, smtp_port, secret_dir):
    token_file = os.path.join(secret_dir, "am-token")
    with open(token_file, "w") as f:
        f.write(SECRETS["forwarder"] + "\n")
    return f"""\
route:
  receiver: all
  group_by: [alertname]
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: all
    webhook_configs: [{{url: "{peer_5xx}/hook/{SECRETS['webhook']}"}}]
    slack_configs:
      - {{api_url: "{peer_5xx}/services/T0/B0/{SECRETS['slack_hook']}"}}
      - {{app_token: "{SECRETS['slack_token']}", app_url: "{peer_4xx}/api/chat.postMessage",
         channel: "#oncall"}}
    pagerduty_configs: [{{routing_key: "{SECRETS['pagerduty']}", url: "{peer_4xx}/v2/enqueue"}}]
    email_configs:
      - {{to: oncall@example.com, from: herald@example.com, smarthost: "127.0.0.1:{smtp_port}",
         auth_username: herald, auth_password: "{SECRETS['smtp']}", require_tls: false}}
    alertmanager_configs:
      - urls: ["{peer_5xx}"]
        http_config: {{authorization: {{credentials_file: "{token_file}"}}}}
"""


class SecretsTest(harness.IntegrationTestCase):
    def test_no_secret_in_logs_errors_status_or_metrics(self):
        peer_5xx, peer_4xx, smtp = EchoServer(503), EchoServer(400), EchoSmtp()
        for p in (peer_5xx, peer_4xx, smtp):
            self.addCleanup(p.close)
        herald = self.start_herald(
            datasource_url="http://127.0.0.1:9", rule_files=[],
            extra_config=config(peer_5xx.url, peer_4xx.url, smtp.port, self.tmp))
        labels = {"alertname": "ModelNotLoaded", "model": "llama3-8b", "severity": "critical"}
        status, body = harness.post_json(herald.url + "/api/v2/alerts",
                                         [{"labels": labels, "annotations": {"summary": "x"}}])
        self.assertEqual(status, 200, body)

        def failures():
            lines = (herald.log_lines("notification failed; will retry")
                     + herald.log_lines("notification failed permanently"))
            return {(l.get("integration"), l.get("msg")) for l in lines}

        # Every integration has failed at least once (the 5xx ones retried: at least twice).
        expected = {"webhook", "slack", "pagerduty", "email", "alertmanager"}
        harness.wait_until(lambda: expected <= {i for i, _ in failures()}, timeout=60,
                           what="every integration to fail")
        harness.wait_until(lambda: len(peer_5xx.requests) >= 6 and smtp.attempts >= 1,
                           timeout=30, what="retries against the echoing peers")

        shown = {
            "log": open(herald.log_path, encoding="utf-8", errors="replace").read(),
            "/api/v2/status": harness.http("GET", herald.url + "/api/v2/status")[1],
            "/metrics": harness.http("GET", herald.url + "/metrics")[1],
            "/api/v2/alerts": harness.http("GET", herald.url + "/api/v2/alerts")[1],
            "/api/v1/status/runtimeinfo":
                harness.http("GET", herald.url + "/api/v1/status/runtimeinfo")[1],
        }
        for where, text in shown.items():
            for name, secret in SECRETS.items():
                self.assertNotIn(secret, text, f"the {name} secret appears in {where}")
        # The failures were reported, just without the secrets.
        self.assertIn("notification failed", shown["log"])
        original = json.loads(shown["/api/v2/status"])["config"]["original"]
        self.assertEqual(original.count("<secret>"), 5, original)  # the inline secrets, redacted


if __name__ == "__main__":
    unittest.main()
