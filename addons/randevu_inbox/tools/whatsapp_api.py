"""The one adapter between Randevu and Meta's WhatsApp Cloud API (Graph API).

Every request Randevu makes to Meta goes through WhatsAppCloudApi, whose base URL is the
gateway's `randevu_graph_url` (https://graph.facebook.com, a local fake server in tests).
Documented formats: POST /v{version}/{phone_number_id}/messages answers
{"messages": [{"id": "wamid..."}]}; errors answer {"error": {"message", "type", "code", ...}}.
"""

from urllib.parse import urlsplit

import requests

from . import media

DEFAULT_GRAPH_URL = "https://graph.facebook.com"
TIMEOUT = 10
# Meta's limits on interactive messages (reply buttons and list messages).
MAX_BUTTONS = 3
BUTTON_TITLE = 20
REPLY_ID = 256
MAX_ROWS = 10
ROW_TITLE = 24
ROW_DESCRIPTION = 72
LIST_BUTTON = 20
SECTION_TITLE = 24
INTERACTIVE_BODY = 1024


def clip(text, limit):
    """`text` on one line, at most `limit` characters: cut with an ellipsis when longer."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def clip_body(text):
    """The body of an interactive message: its lines kept, at most 1,024 characters."""
    text = (text or "").strip()
    return text if len(text) <= INTERACTIVE_BODY else text[: INTERACTIVE_BODY - 1].rstrip() + "\u2026"


class WhatsAppApiError(Exception):
    """Meta refused a request (its error message and code), or could not be reached."""

    def __init__(self, message, code=None):
        super().__init__(f"{message} ({code})" if code else message)
        self.code = code


class MetaGraphClient:
    """Requests to one of Meta's Graph APIs with the gateway's token; errors raised as
    `error_class`, naming the platform (`label`)."""

    error_class = WhatsAppApiError
    label = "WhatsApp"

    def _request(self, method, path, **kwargs):
        return self._request_url(method, f"{self.base_url}/v{self.version}/{path}", **kwargs)

    def _request_url(self, method, url, **kwargs):
        try:
            response = requests.request(
                method, url, headers={"Authorization": f"Bearer {self.token}"}, timeout=TIMEOUT, **kwargs
            )
        except requests.RequestException as error:
            raise self.error_class(f"{self.label} could not be reached: {error}") from error
        try:
            data = response.json()
        except ValueError:
            data = {}
        if response.status_code >= 400 or "error" in data:
            error = data.get("error") or {}
            raise self.error_class(
                error.get("message") or f"HTTP {response.status_code}", error.get("code") or response.status_code
            )
        return data


class WhatsAppCloudApi(MetaGraphClient):
    def __init__(self, gateway):
        self.base_url = (gateway.randevu_graph_url or DEFAULT_GRAPH_URL).rstrip("/")
        self.version = gateway.whatsapp_version or "23.0"
        self.phone_number_id = gateway.whatsapp_from_phone
        self.token = gateway.token

    @staticmethod
    def recipient(phone):
        """A number as the Cloud API wants it: E.164 digits without '+'."""
        return (phone or "").lstrip("+")

    def send_text(self, phone, body):
        """A free-form text (only within 24 h of the customer's last message). Returns its wamid."""
        return self._send_message(
            {"to": self.recipient(phone), "type": "text", "text": {"preview_url": False, "body": body}}
        )

    def send_buttons(self, phone, body, buttons):
        """Reply buttons: `body` and at most 3 `buttons` (id, title), titles cut to 20
        characters and ids to 256 (Meta's limits). Returns its wamid."""
        interactive = {
            "type": "button",
            "body": {"text": clip_body(body)},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": str(ident)[:REPLY_ID], "title": clip(title, BUTTON_TITLE)}}
                    for ident, title in buttons[:MAX_BUTTONS]
                ]
            },
        }
        return self._send_message({"to": self.recipient(phone), "type": "interactive", "interactive": interactive})

    def send_list(self, phone, body, button, rows, section=None):
        """A list message: `body`, the `button` opening the list (cut to 20 characters) and
        at most 10 `rows` (id, title, description) in one section, titles cut to 24
        characters and descriptions to 72 (Meta's limits). Returns its wamid."""
        section_rows = []
        for ident, title, description in rows[:MAX_ROWS]:
            row = {"id": str(ident)[:REPLY_ID], "title": clip(title, ROW_TITLE)}
            if description:
                row["description"] = clip(description, ROW_DESCRIPTION)
            section_rows.append(row)
        section_data = {"rows": section_rows}
        if section:
            section_data["title"] = clip(section, SECTION_TITLE)
        interactive = {
            "type": "list",
            "body": {"text": clip_body(body)},
            "action": {"button": clip(button, LIST_BUTTON), "sections": [section_data]},
        }
        return self._send_message({"to": self.recipient(phone), "type": "interactive", "interactive": interactive})

    def send_template(self, phone, name, language, components):
        """An approved template with its variables (`components`, as mail.whatsapp.template
        prepares them). Returns its wamid."""
        template = {"name": name, "language": {"code": language}}
        if components:
            template["components"] = components
        return self._send_message({"to": self.recipient(phone), "type": "template", "template": template})

    def send_document(self, phone, content, mimetype, filename, caption=""):
        """A file (a consent form...): uploaded first (POST /{phone_number_id}/media, multipart,
        answering {"id"}), then sent as a document message (within the 24-hour window).
        Returns its wamid."""
        upload = self._post_files(
            f"{self.phone_number_id}/media",
            {"messaging_product": "whatsapp", "type": mimetype},
            {"file": (filename, content, mimetype)},
        )
        if not upload.get("id"):
            raise WhatsAppApiError(f"unexpected answer from WhatsApp: {upload!r}")
        document = {"id": upload["id"], "filename": filename}
        if caption:
            document["caption"] = caption
        return self._send_message({"to": self.recipient(phone), "type": "document", "document": document})

    def download_media(self, media_id, max_bytes):
        """A received photo or document: its URL asked first (GET /{media_id} answers
        {"url", "mime_type", "file_size"}), then downloaded with the token. Raises
        media.MediaRefused when too big, not an image or PDF, or unreachable."""
        info = self._request("GET", str(media_id))
        if not media.mimetype_allowed(info.get("mime_type")):
            raise media.MediaRefused(f"type {info.get('mime_type') or '?'}")
        if int(info.get("file_size") or 0) > max_bytes:
            raise media.MediaRefused(f"size {info.get('file_size')} bytes")
        if not info.get("url"):
            raise media.MediaRefused("no URL")
        return media.download(info["url"], max_bytes, headers={"Authorization": f"Bearer {self.token}"})

    def list_templates(self, account_id, page_size=100):
        """Every message template of the WhatsApp Business Account `account_id`:
        GET /v{version}/{waba id}/message_templates (documented fields: id, name, language,
        status, category, components), following `paging.next` page after page. The next
        pages are asked only of the same host as the first (the token goes with them)."""
        fields = "id,name,language,status,category,components"
        data = self._request("GET", f"{account_id}/message_templates", params={"fields": fields, "limit": page_size})
        templates = list(data.get("data") or [])
        host = urlsplit(self.base_url).netloc
        seen = set()
        while (data.get("paging") or {}).get("next"):
            url = data["paging"]["next"]
            if urlsplit(url).netloc != host or url in seen:
                raise WhatsAppApiError(f"unexpected next page from WhatsApp: {url}")
            seen.add(url)
            data = self._request_url("GET", url)
            templates += data.get("data") or []
        return templates

    def get_template(self, template_id):
        """One message template by its id (GET /v{version}/{template id}): the same fields
        as list_templates."""
        return self._request("GET", str(template_id), params={"fields": "id,name,language,status,category,components"})

    def _send_message(self, payload):
        data = self._post(
            f"{self.phone_number_id}/messages",
            dict(payload, messaging_product="whatsapp", recipient_type="individual"),
        )
        try:
            return data["messages"][0]["id"]
        except (KeyError, IndexError, TypeError) as error:
            raise WhatsAppApiError(f"unexpected answer from WhatsApp: {data!r}") from error

    def _post(self, path, payload):
        return self._request("POST", path, json=payload)

    def _post_files(self, path, data, files):
        return self._request("POST", path, data=data, files=files)
