import hashlib
import hmac

from odoo import models
from odoo.http import request


class MailGatewayWhatsappService(models.AbstractModel):
    """OCA's WhatsApp webhook, extended: each inbound message is stored once (its WhatsApp
    id is unique in randevu.inbox.event) and understood and answered by the inbox worker,
    a cron triggered per message, so that the webhook answers at once; delivery statuses
    are recorded on the outbox rows (randevu.message) they are about."""

    _inherit = "mail.gateway.whatsapp"

    def _randevu_signature_ok(self, bot_data):
        """Whether the request's X-Hub-Signature-256 is the HMAC-SHA256 of its body with the
        gateway's secret (a gateway without a secret accepts nothing)."""
        signature = request.httprequest.headers.get("X-Hub-Signature-256") or ""
        secret = bot_data.get("webhook_secret")
        if not secret or not signature.startswith("sha256="):
            return False
        expected = hmac.new(secret.encode(), request.httprequest.get_data(), hashlib.sha256).hexdigest()
        return hmac.compare_digest(f"sha256={expected}", signature)

    def _receive_update(self, gateway, update):
        if not update:
            return
        Event = self.env["randevu.inbox.event"]
        stored = Event.browse()
        statuses = []
        for entry in update.get("entry") or []:
            for change in entry.get("changes") or []:
                if change.get("field") == "message_template_status_update":
                    self._randevu_template_status(gateway, change.get("value") or {})
                    continue
                if change.get("field") != "messages":
                    continue
                value = change.get("value") or {}
                names = {
                    contact.get("wa_id"): (contact.get("profile") or {}).get("name")
                    for contact in value.get("contacts") or []
                }
                for message in value.get("messages") or []:
                    stored |= Event._randevu_store(gateway, message, names.get(message.get("from")))
                statuses += value.get("statuses") or []
        if statuses:
            self._randevu_delivery_statuses(gateway, statuses)
            # OCA's own handling of failures of messages sent from its Discuss channels.
            super()._receive_update(
                gateway, {"entry": [{"changes": [{"field": "messages", "value": {"statuses": statuses}}]}]}
            )
        if stored:
            Event._randevu_trigger()

    def _randevu_delivery_statuses(self, gateway, statuses):
        """Meta's delivery `statuses` of messages the gateway sent ({"id": wamid, "status",
        "timestamp", "errors"}): recorded on the outbox rows they are about (other addons
        record them on what they sent: campaign traces...)."""
        self.env["randevu.message"]._randevu_whatsapp_statuses(statuses)

    def _randevu_template_status(self, gateway, value):
        """Meta's `message_template_status_update` webhook ({event: APPROVED, REJECTED,
        PAUSED..., message_template_id, reason}): the template's status follows at once
        (the daily sync catches up on anything missed)."""
        # sudo: the webhook's user updates the gateway's templates (configuration).
        template = (
            self.env["mail.whatsapp.template"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [("gateway_id", "=", gateway.id), ("template_uid", "=", str(value.get("message_template_id") or ""))],
                limit=1,
            )
        )
        state = (value.get("event") or "").lower()
        if template and state in {key for key, _label in template._fields["state"].selection}:
            template.state = state
        return template
