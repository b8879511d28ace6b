"""The demo's outbox: catches every email and SMS the demo sends, so nothing reaches a
customer and nothing fails for want of a mail server or an SMS account.

`make run` starts it next to Odoo and points Odoo at it:

- an SMTP server on --smtp-port (Odoo's `smtp_server`/`smtp_port` options): each email
  is saved as `<dir>/<time>-email-<n>.eml`;
- an HTTP server on --http-port that answers Odoo's SMS API (the `sms.endpoint` system
  parameter; `POST /api/sms/3/send`, JSON-RPC, the format of sms/tools/sms_api.py) with
  "success" for every number: each text is saved as `<dir>/<time>-sms-<n>.txt`. Its home
  page (`GET /`) lists what was caught, newest first.

One line per message is printed (it shows in `make run`'s server log). Standard library
only; stops on SIGINT/SIGTERM.
"""

import argparse
import email
import email.policy
import html
import json
import signal
import socketserver
import sys
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class Outbox:
    """The folder of caught messages."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.lock = threading.Lock()
        self.count = 0

    def save(self, kind, suffix, data):
        with self.lock:
            self.count += 1
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            path = self.folder / f"{stamp}-{kind}-{self.count:04d}.{suffix}"
            path.write_bytes(data)
        return path

    def entries(self, limit=200):
        """[(kind, when, recipient, subject or text)], newest first."""
        result = []
        for path in sorted(self.folder.glob("*-*-*.*"), reverse=True)[:limit]:
            when = datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M:%S")
            if path.suffix == ".eml":
                message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
                result.append(("email", when, str(message["To"] or ""), str(message["Subject"] or "")))
            elif path.suffix == ".txt":
                number, _sep, text = path.read_text().partition("\n")
                result.append(("sms", when, number, text.strip()))
        return result


class SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for Python's smtplib: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    outbox = None

    def reply(self, line):
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        self.reply("220 randevu-demo-outbox ESMTP")
        recipients = []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                self.reply("250-randevu-demo-outbox")
                self.reply("250-8BITMIME")
                self.reply("250 SMTPUTF8")
            elif verb == "HELO":
                self.reply("250 randevu-demo-outbox")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.partition(":")[2].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while True:
                    data = self.rfile.readline()
                    if not data or data in (b".\r\n", b".\n"):
                        break
                    lines.append(data[1:] if data.startswith(b"..") else data)
                raw = b"".join(lines)
                self.outbox.save("email", "eml", raw)
                subject = email.message_from_bytes(raw, policy=email.policy.default)["Subject"]
                print(f"outbox: email to {', '.join(recipients)}: {subject}", flush=True)
                self.reply("250 OK: caught by the demo outbox")
            elif verb == "RSET":
                recipients = []
                self.reply("250 OK")
            elif verb == "NOOP":
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class SMTPServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True
    daemon_threads = True


class HTTPHandler(BaseHTTPRequestHandler):
    """Odoo's SMS API (IAP) and a page listing the caught messages."""

    outbox = None

    def log_message(self, format, *args):
        pass  # one line per caught message is enough

    def send_body(self, status, content_type, body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        try:
            payload = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            self.send_body(400, "text/plain", b"not JSON")
            return
        if not self.path.startswith("/api/sms/") or not self.path.endswith("/send"):
            self.send_body(404, "text/plain", b"unknown endpoint")
            return
        results = []
        for message in (payload.get("params") or {}).get("messages") or []:
            for number in message.get("numbers") or []:
                self.outbox.save("sms", "txt", f"{number['number']}\n{message['content']}\n".encode())
                print(f"outbox: SMS to {number['number']}: {message['content'][:60]}", flush=True)
                results.append({"uuid": number["uuid"], "state": "success", "credit": 0})
        body = json.dumps({"jsonrpc": "2.0", "id": payload.get("id"), "result": results}).encode()
        self.send_body(200, "application/json", body)

    def do_GET(self):
        rows = "".join(
            f"<tr><td>{kind}</td><td>{html.escape(when)}</td><td>{html.escape(to)}</td><td>{html.escape(what)}</td></tr>"
            for kind, when, to, what in self.outbox.entries()
        )
        page = (
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Randevu demo outbox</title>"
            "<style>body{font-family:sans-serif;margin:2em}td,th{padding:4px 8px;border-bottom:1px solid #ddd;"
            "text-align:left;vertical-align:top}</style></head><body>"
            "<h1>Demo outbox</h1><p>Demo: messages are not sent. Every email and SMS of the demo is caught "
            f"here (files in <code>{html.escape(str(self.outbox.folder))}</code>).</p>"
            "<table><tr><th>Channel</th><th>Caught</th><th>To</th><th>Subject / text</th></tr>"
            f"{rows or '<tr><td colspan=4>Nothing yet.</td></tr>'}</table></body></html>"
        )
        self.send_body(200, "text/html; charset=utf-8", page.encode())


def serve(folder, smtp_port, http_port, host="127.0.0.1"):
    """Start both servers in threads; returns them (call .shutdown() to stop)."""
    outbox = Outbox(folder)
    smtp_handler = type("BoundSMTPHandler", (SMTPHandler,), {"outbox": outbox})
    http_handler = type("BoundHTTPHandler", (HTTPHandler,), {"outbox": outbox})
    smtp = SMTPServer((host, smtp_port), smtp_handler)
    web = ThreadingHTTPServer((host, http_port), http_handler)
    web.daemon_threads = True
    for server in (smtp, web):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    return smtp, web


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", required=True, help="folder of the caught messages")
    parser.add_argument("--smtp-port", type=int, required=True)
    parser.add_argument("--http-port", type=int, required=True)
    args = parser.parse_args()
    try:
        servers = serve(args.dir, args.smtp_port, args.http_port)
    except OSError as error:
        print(f"outbox: cannot listen ({error}); set RANDEVU_OUTBOX_PORT to a free port", file=sys.stderr)
        return 1
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.is_set():
        time.sleep(0.5)
    for server in servers:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
