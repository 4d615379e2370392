#!/usr/bin/python3
"""A real SMTP server on 127.0.0.1 for herald's email tests (Debian's python3-aiosmtpd).

Prints the bound port on the first line of stdout once it accepts connections, then serves until
killed. Each accepted message is stored in --dir as NNN.eml (the raw bytes) and NNN.json (the
envelope plus the message as Python's `email` package parses it: decoded headers and MIME parts),
so tests assert on an independent MIME parser's reading.

Failures on demand, chosen by the first recipient's local part:
  fail451@…  → 451 at the end of DATA (a transient failure)
  fail550@…  → 550 at the end of DATA (a permanent one)
  echo550@…  → 550 whose text echoes the authenticated login and password (a hostile server)

Run it with /usr/bin/python3 (the Debian interpreter that has aiosmtpd).
"""

import argparse
import asyncio
import email
import email.policy
import json
import os
import ssl
import subprocess
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def make_certificate(directory):
    """A self-signed certificate for 127.0.0.1 (cert.pem, key.pem in `directory`), made once."""
    cert = os.path.join(directory, "cert.pem")
    key = os.path.join(directory, "key.pem")
    if not os.path.exists(cert):
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1", "-days", "1", "-keyout", key, "-out", cert],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def parse(raw):
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    defects = [str(d) for d in msg.defects]
    parts = []
    for part in (msg.iter_parts() if msg.is_multipart() else [msg]):
        defects += [str(d) for d in part.defects]
        parts.append({
            "content_type": part.get_content_type(),
            "charset": part.get_content_charset(),
            "transfer_encoding": part.get("Content-Transfer-Encoding", ""),
            "content": part.get_content(),
        })
    return {
        "headers": [[name, str(value)] for name, value in msg.items()],
        "content_type": msg.get_content_type(),
        "parts": parts,
        "defects": defects,
    }


class Handler:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        first = envelope.rcpt_tos[0].split("@")[0] if envelope.rcpt_tos else ""
        if first == "fail451":
            return "451 4.3.0 Try again later"
        if first == "fail550":
            return "550 5.7.1 Message rejected"
        if first == "echo550":
            login = getattr(session, "herald_login", ("", ""))
            return "550 5.7.1 Rejected for %s with password %s" % login
        self.count += 1
        base = os.path.join(self.directory, "%03d" % self.count)
        raw = envelope.original_content or envelope.content
        with open(base + ".eml", "wb") as f:
            f.write(raw)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "login": getattr(session, "herald_login", (None,))[0] if session.authenticated else None,
            "tls": server.transport.get_extra_info("sslcontext") is not None,
            "helo": session.host_name,
        }
        record.update(parse(raw))
        with open(base + ".json.tmp", "w") as f:
            json.dump(record, f, ensure_ascii=False, indent=1)
        os.rename(base + ".json.tmp", base + ".json")
        return "250 2.0.0 OK"


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        session.herald_login = (auth_data.login.decode(), auth_data.password.decode())
        ok = auth_data.login.decode() == user and auth_data.password.decode() == password
        return AuthResult(success=ok, handled=False)
    return check


async def serve(args):
    context = make_certificate(args.tls_dir) if (args.starttls or args.implicit_tls) else None
    options = {"hostname": "herald-test-smtp"}
    if args.starttls:
        options.update(tls_context=context, require_starttls=True)
    if args.auth:
        user, _, password = args.auth.partition(":")
        options.update(authenticator=authenticator(user, password), auth_required=True,
                       auth_require_tls=not args.implicit_tls)
    handler = Handler(args.dir)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, **options), host="127.0.0.1",
                                      port=args.port, ssl=context if args.implicit_tls else None)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True, help="where received messages are stored")
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument("--starttls", action="store_true", help="offer (and require) STARTTLS")
    parser.add_argument("--implicit-tls", action="store_true", help="TLS from the first byte")
    parser.add_argument("--tls-dir", help="where the self-signed cert.pem/key.pem are made")
    parser.add_argument("--auth", help="USER:PASSWORD to require (AUTH PLAIN/LOGIN)")
    args = parser.parse_args()
    if (args.starttls or args.implicit_tls) and not args.tls_dir:
        parser.error("--starttls and --implicit-tls need --tls-dir")
    asyncio.run(serve(args))


if __name__ == "__main__":
    sys.exit(main())
