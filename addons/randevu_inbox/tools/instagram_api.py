"""The one adapter between Randevu and Meta's Instagram messaging API (Instagram API with
Instagram Login, as OCA's mail_gateway_instagram uses it).

Every request Randevu makes for Instagram goes through InstagramApi, whose base URL is the
gateway's `randevu_graph_url` when set to something else than the WhatsApp default
(https://graph.instagram.com otherwise; a local fake server in tests). Documented formats:
POST /v{version}/{ig_account_id}/messages with {"recipient": {"id": IGSID}, "message": {...}}
answers {"recipient_id", "message_id"}; GET /v{version}/{IGSID}?fields=name,username answers
the profile; errors answer {"error": {"message", "type", "code", ...}}.
"""

from . import media
from .whatsapp_api import DEFAULT_GRAPH_URL, MetaGraphClient, WhatsAppApiError

INSTAGRAM_GRAPH_URL = "https://graph.instagram.com"


class InstagramApiError(WhatsAppApiError):
    """Meta refused an Instagram request (its message and code), or could not be reached."""


class InstagramApi(MetaGraphClient):
    error_class = InstagramApiError
    label = "Instagram"

    def __init__(self, gateway):
        base_url = gateway.randevu_graph_url or ""
        if not base_url or base_url.rstrip("/") == DEFAULT_GRAPH_URL:
            base_url = INSTAGRAM_GRAPH_URL
        self.base_url = base_url.rstrip("/")
        self.version = gateway.instagram_version or "26.0"
        self.account_id = gateway.instagram_account_id
        self.token = gateway.token

    def send_text(self, igsid, text):
        """A free-form text (only within 24 h of the customer's last message). Returns its mid."""
        data = self._request(
            "POST", f"{self.account_id}/messages", json={"recipient": {"id": igsid}, "message": {"text": text}}
        )
        if not data.get("message_id"):
            raise InstagramApiError(f"unexpected answer from Instagram: {data!r}")
        return data["message_id"]

    def profile_name(self, igsid):
        """The customer's name (else username) on Instagram, or None when Meta does not say."""
        try:
            data = self._request("GET", str(igsid), params={"fields": "name,username"})
        except InstagramApiError:
            return None
        return data.get("name") or data.get("username") or None

    def download(self, url, max_bytes):
        """An attachment's content and mimetype (its pre-signed CDN URL needs no token)."""
        return media.download(url, max_bytes)
