"""A local fake of a generic HTTP SMS gateway: records each request (method, path, headers,
raw body) and answers {"data": {"id": "sms-<n>"}} (200), or the next queued answer
(status, JSON body), or waits `delay` seconds first (to exceed the client's timeout)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeSmsGateway:
    def __init__(self):
        self.requests = []  # (method, path, headers, raw body)
        self.answers = []  # (status, body) to answer, one per request, before answering normally
        self.delay = 0
        self._count = 0
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                with fake._lock:
                    fake.requests.append((self.command, self.path, dict(self.headers), raw))
                    answer = fake.answers.pop(0) if fake.answers else None
                    fake._count += 1
                    number = fake._count
                if fake.delay:
                    time.sleep(fake.delay)
                status, body = answer or (200, {"data": {"id": f"sms-{number}"}, "status": "queued"})
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (timeout)

            do_POST = do_PUT = do_GET = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def reset(self):
        with self._lock:
            self.requests.clear()
            self.answers.clear()
            self.delay = 0
            self._count = 0

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def sent(self):
        """The JSON bodies of the texts posted."""
        return [json.loads(raw) for method, _path, _headers, raw in self.requests if method in ("POST", "PUT")]
