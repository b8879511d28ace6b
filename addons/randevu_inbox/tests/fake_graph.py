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
from urllib.parse import parse_qs, urlencode, urlparse

try:
    from .fake_server import FakeServer
except ImportError:
    # Loaded by its path (the demo's loader in models/res_company_demo.py, which does not
    # import the tests package), or run as a script (below): fake_server.py by its path too.
    import importlib.util
    from pathlib import Path

    _spec = importlib.util.spec_from_file_location(
        "randevu_inbox_fake_server", Path(__file__).with_name("fake_server.py")
    )
    _module = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_module)
    FakeServer = _module.FakeServer


class FakeGraph(FakeServer):
    methods = ("GET", "POST")

    def __init__(self, port=0):
        super().__init__(port)
        # self.requests: (path, headers, json body, or the raw bytes of a multipart body)
        self.errors = []  # errors to answer, one per request, before answering normally
        self.media = {}  # WhatsApp media id -> (content, mimetype)
        self.files = {}  # path -> (content, mimetype): Instagram's CDN
        self.profiles = {}  # IGSID -> {"name", "username"}
        self.templates = {}  # WhatsApp Business Account id -> [template dicts, as Meta lists them]
        # Called with (path, body) for each POST once recorded, before it is answered (a
        # slow answer, a test's own doing at the moment Meta has the request).
        self.on_post = None
        self._count = 0

    def handle(self, method, path, headers, raw):
        if method == "GET":
            return self._get(path, headers)
        return self._post(path, headers, raw)

    def _get(self, full_path, headers):
        path = urlparse(full_path).path
        with self._lock:
            self.requests.append((full_path, dict(headers), None))
        match = re.fullmatch(r"/v[\d.]+/([^/]+)/message_templates", path)
        if match and match.group(1) in self.templates:
            return 200, self._templates_page(match.group(1), path, full_path)
        if path in self.files:
            content, mimetype = self.files[path]
            return 200, content, mimetype
        match = re.fullmatch(r"/media/([^/]+)", path)
        if match and match.group(1) in self.media:
            if headers.get("Authorization", "").startswith("Bearer "):
                content, mimetype = self.media[match.group(1)]
                return 200, content, mimetype
            return 401, {"error": {"message": "No token", "code": 190}}
        match = re.fullmatch(r"/v[\d.]+/([^/]+)", path)
        if match and match.group(1) in self.media:
            content, mimetype = self.media[match.group(1)]
            return 200, {
                "messaging_product": "whatsapp",
                "url": f"{self.url}/media/{match.group(1)}",
                "mime_type": mimetype,
                "file_size": len(content),
                "id": match.group(1),
            }
        template = match and self._template(match.group(1))
        if template:
            return 200, template
        if match and match.group(1) in self.profiles:
            return 200, dict(self.profiles[match.group(1)], id=match.group(1))
        return 404, {"error": {"message": "Unknown path", "code": 100}}

    def _post(self, path, headers, raw):
        if (headers.get("Content-Type") or "").startswith("multipart/form-data"):
            body = raw
        else:
            body = json.loads(raw or b"{}")
        with self._lock:
            self.requests.append((path, dict(headers), body))
            error = self.errors.pop(0) if self.errors else None
            self._count += 1
            number = self._count
        if self.on_post:
            self.on_post(path, body)
        if error:
            return 400, {"error": dict({"type": "OAuthException", "fbtrace_id": "A1"}, **error)}
        if path.endswith("/media") and isinstance(body, bytes):
            return 200, {"id": f"media.fake{number}"}
        if not path.endswith("/messages"):
            return 404, {"error": {"message": "Unknown path", "code": 100}}
        if "recipient" in body:
            return 200, {"recipient_id": body["recipient"].get("id"), "message_id": f"mid.fake{number}"}
        return 200, {
            "messaging_product": "whatsapp",
            "contacts": [{"input": body.get("to"), "wa_id": body.get("to")}],
            "messages": [{"id": f"wamid.fake{number}"}],
        }

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
