"""A local fake of a generic HTTP SMS gateway: records each request (method, path, headers,
raw body) and answers {"data": {"id": "sms-<n>"}} (200), or the next queued answer
(status, JSON body), or waits `delay` seconds first (to exceed the client's timeout)."""

import json

from .fake_server import FakeServer


class FakeSmsGateway(FakeServer):
    url_path = "/api/sms"

    def __init__(self):
        super().__init__()
        # self.requests: (method, path, headers, raw body)
        self.answers = []  # (status, body) to answer, one per request, before answering normally
        self._count = 0

    def handle(self, method, path, headers, raw):
        with self._lock:
            self.requests.append((method, path, dict(headers), raw))
            answer = self.answers.pop(0) if self.answers else None
            self._count += 1
            number = self._count
        return answer or (200, {"data": {"id": f"sms-{number}"}, "status": "queued"})

    def reset(self):
        with self._lock:
            self.requests.clear()
            self.answers.clear()
            self.delay = 0
            self._count = 0

    def sent(self):
        """The JSON bodies of the texts posted."""
        return [json.loads(raw) for method, _path, _headers, raw in self.requests if method in ("POST", "PUT")]
