"""A local fake of Meta's Graph API (WhatsApp Cloud API), speaking its documented format:
POST /v{version}/{phone_number_id}/messages answers {"messages": [{"id": "wamid..."}]},
errors answer {"error": {"message", "type", "code", "fbtrace_id"}} with an HTTP error."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeGraph:
    def __init__(self):
        self.requests = []  # (path, headers, json body)
        self.errors = []  # errors to answer, one per request, before answering normally
        self._count = 0
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                with fake._lock:
                    fake.requests.append((self.path, dict(self.headers), body))
                    error = fake.errors.pop(0) if fake.errors else None
                    fake._count += 1
                    number = fake._count
                if error:
                    status, answer = 400, {"error": dict({"type": "OAuthException", "fbtrace_id": "A1"}, **error)}
                elif not self.path.endswith("/messages"):
                    status, answer = 404, {"error": {"message": "Unknown path", "code": 100}}
                else:
                    status = 200
                    answer = {
                        "messaging_product": "whatsapp",
                        "contacts": [{"input": body.get("to"), "wa_id": body.get("to")}],
                        "messages": [{"id": f"wamid.fake{number}"}],
                    }
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def sent(self):
        """The JSON bodies posted to .../messages."""
        return [body for path, _headers, body in self.requests if path.endswith("/messages")]
