from odoo import models


class MailGatewayInstagramService(models.AbstractModel):
    """OCA's Instagram webhook, extended as the WhatsApp one: each inbound message is stored
    once (its Instagram id, `mid`, is unique in randevu.inbox.event) and filed by the inbox
    worker, a cron triggered per message, so that the webhook answers at once; read receipts
    are recorded on the customer's conversation. OCA's own Discuss channels are not fed."""

    _inherit = "mail.gateway.instagram"

    def _receive_update(self, gateway, update):
        Event = self.env["randevu.inbox.event"]
        stored = Event.browse()
        payloads = update if isinstance(update, list) else [update]
        for payload in payloads:
            if not isinstance(payload, dict) or payload.get("object", "instagram") != "instagram":
                continue
            for entry in payload.get("entry") or []:
                if not isinstance(entry, dict):
                    continue
                # As OCA: only the account this gateway is for.
                if gateway.instagram_account_id and str(entry.get("id") or "") != str(gateway.instagram_account_id):
                    continue
                for item in entry.get("messaging") or []:
                    if not isinstance(item, dict):
                        continue
                    message = item.get("message") or {}
                    if message and not message.get("is_echo") and not message.get("is_deleted"):
                        stored |= Event._randevu_store_instagram(gateway, item)
                    elif item.get("read"):
                        self.env["randevu.conversation"]._randevu_instagram_read(gateway, item)
        if stored:
            Event._randevu_trigger()
