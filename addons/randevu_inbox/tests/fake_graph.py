"""A local fake of Meta's Graph API (WhatsApp Cloud API and Instagram messaging), speaking
its documented format:

- POST /v{version}/{phone_number_id}/messages answers {"messages": [{"id": "wamid..."}]};
  for Instagram (a body with "recipient") {"recipient_id", "message_id"};
- POST /v{version}/{phone_number_id}/media (multipart: file, type, messaging_product)
  answers {"id"};
- GET /v{version}/{media_id} answers {"url", "mime_type", "file_size", "id"} for a media of
  `media` (WhatsApp), whose url, GET /media/{media_id}, serves its bytes (so does any path
  of `files`, for Instagram's CDN URLs);
- GET /v{version}/{igsid}?fields=name,username answers a profile of `profiles`;
- GET /v{version}/{waba_id}/message_templates?limit=N[&after=cursor] answers the account's
  `templates` a page of N at a time: {"data": [...], "paging": {"cursors": {"before",
  "after"}, "next": url of the next page}} (no "next" on the last page); GET
  /v{version}/{template id} answers that template;
- errors answer {"error": {"message", "type", "code", "fbtrace_id"}} with an HTTP error."""

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse


class FakeGraph:
    def __init__(self, port=0):
        self.requests = []  # (path, headers, json body, or the raw bytes of a multipart body)
        self.errors = []  # errors to answer, one per request, before answering normally
        self.media = {}  # WhatsApp media id -> (content, mimetype)
        self.files = {}  # path -> (content, mimetype): Instagram's CDN
        self.profiles = {}  # IGSID -> {"name", "username"}
        self.templates = {}  # WhatsApp Business Account id -> [template dicts, as Meta lists them]
        # Called with (path, body) for each POST once recorded, before it is answered (a
        # slow answer, a test's own doing at the moment Meta has the request).
        self.on_post = None
        self._count = 0
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status, answer, content_type="application/json"):
                data = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                path = urlparse(self.path).path
                with fake._lock:
                    fake.requests.append((self.path, dict(self.headers), None))
                match = re.fullmatch(r"/v[\d.]+/([^/]+)/message_templates", path)
                if match and match.group(1) in fake.templates:
                    return self._answer(200, fake._templates_page(match.group(1), path, self.path))
                if path in fake.files:
                    content, mimetype = fake.files[path]
                    return self._answer(200, content, mimetype)
                match = re.fullmatch(r"/media/([^/]+)", path)
                if match and match.group(1) in fake.media:
                    if self.headers.get("Authorization", "").startswith("Bearer "):
                        content, mimetype = fake.media[match.group(1)]
                        return self._answer(200, content, mimetype)
                    return self._answer(401, {"error": {"message": "No token", "code": 190}})
                match = re.fullmatch(r"/v[\d.]+/([^/]+)", path)
                if match and match.group(1) in fake.media:
                    content, mimetype = fake.media[match.group(1)]
                    return self._answer(
                        200,
                        {
                            "messaging_product": "whatsapp",
                            "url": f"{fake.url}/media/{match.group(1)}",
                            "mime_type": mimetype,
                            "file_size": len(content),
                            "id": match.group(1),
                        },
                    )
                template = match and fake._template(match.group(1))
                if template:
                    return self._answer(200, template)
                if match and match.group(1) in fake.profiles:
                    return self._answer(200, dict(fake.profiles[match.group(1)], id=match.group(1)))
                return self._answer(404, {"error": {"message": "Unknown path", "code": 100}})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if (self.headers.get("Content-Type") or "").startswith("multipart/form-data"):
                    body = raw
                else:
                    body = json.loads(raw or b"{}")
                with fake._lock:
                    fake.requests.append((self.path, dict(self.headers), body))
                    error = fake.errors.pop(0) if fake.errors else None
                    fake._count += 1
                    number = fake._count
                if fake.on_post:
                    fake.on_post(self.path, body)
                if error:
                    status, answer = 400, {"error": dict({"type": "OAuthException", "fbtrace_id": "A1"}, **error)}
                elif self.path.endswith("/media") and isinstance(body, bytes):
                    status, answer = 200, {"id": f"media.fake{number}"}
                elif not self.path.endswith("/messages"):
                    status, answer = 404, {"error": {"message": "Unknown path", "code": 100}}
                elif "recipient" in body:
                    status = 200
                    answer = {"recipient_id": body["recipient"].get("id"), "message_id": f"mid.fake{number}"}
                else:
                    status = 200
                    answer = {
                        "messaging_product": "whatsapp",
                        "contacts": [{"input": body.get("to"), "wa_id": body.get("to")}],
                        "messages": [{"id": f"wamid.fake{number}"}],
                    }
                self._answer(status, answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _template(self, ident):
        """The template of id `ident` of any account (GET /v{version}/{template id}), or None."""
        for templates in self.templates.values():
            for template in templates:
                if template.get("id") == ident:
                    return template
        return None

    def _templates_page(self, account_id, path, full_path):
        query = {key: values[0] for key, values in parse_qs(urlparse(full_path).query).items()}
        size = int(query.get("limit") or 25)
        offset = int(query.get("after") or 0)
        templates = self.templates[account_id]
        page = {
            "data": templates[offset : offset + size],
            "paging": {"cursors": {"before": str(offset), "after": str(offset + size)}},
        }
        if offset + size < len(templates):
            page["paging"]["next"] = f"{self.url}{path}?{urlencode(dict(query, after=offset + size))}"
        return page

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def sent(self):
        """The JSON bodies posted to .../messages."""
        return [body for path, _headers, body in self.requests if path.endswith("/messages")]

    def uploads(self):
        """The raw multipart bodies posted to .../media."""
        return [body for path, _headers, body in self.requests if path.endswith("/media")]


if __name__ == "__main__":
    # The demo's WhatsApp accounts send to http://127.0.0.1:8765: run
    # `python addons/randevu_inbox/tests/fake_graph.py 8765` to have replies accepted.
    import sys
    import time

    server = FakeGraph(int(sys.argv[1]) if len(sys.argv) > 1 else 8765).start()
    sys.stdout.write(f"Fake Graph API on {server.url}\n")
    sys.stdout.flush()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()
