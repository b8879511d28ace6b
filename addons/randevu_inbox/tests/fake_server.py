"""The plumbing of our local fakes of third-party HTTP APIs (fake_graph, fake_llm,
fake_sms_gateway): a threaded HTTP server on a free port of 127.0.0.1 (or the port given),
started and stopped by the test, whose requests go to the fake's `handle`. Each fake speaks
its API's documented format in `handle` and records its requests in `requests` (under
`_lock`, as the server answers from several threads)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeServer:
    methods = ("GET", "POST", "PUT")  # the HTTP methods the API answers; others get a 501
    url_path = ""  # the API's base path, after the server's address in `url`

    def __init__(self, port=0):
        self.requests = []
        self.delay = 0  # seconds to wait before answering (to exceed the client's timeout)
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self):
                if self.command not in fake.methods:
                    self.send_error(501)
                    return
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                status, body, content_type = fake._answer(fake.handle(self.command, self.path, self.headers, raw))
                if fake.delay:
                    time.sleep(fake.delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up (timeout)

            do_GET = do_POST = do_PUT = _handle

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{self.url_path}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def handle(self, method, path, headers, raw):
        """The answer to a request (`path` with its query string, `raw` the body's bytes):
        (status, body) or (status, body, content type); a body that is not bytes is sent as JSON."""
        raise NotImplementedError

    @staticmethod
    def _answer(answer):
        status, body, content_type = answer if len(answer) == 3 else (*answer, "application/json")
        return status, body if isinstance(body, bytes) else json.dumps(body).encode(), content_type

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
