import json
import logging

from odoo import models

_logger = logging.getLogger(__name__)


class RandevuInboxEvent(models.Model):
    _inherit = "randevu.inbox.event"

    def _randevu_handle_filed(self):
        """A one-word marketing consent reply by SMS or WhatsApp ("EVET", "STOP"...) is
        handled here, once the message is filed: the consent changes, the chat notes it,
        the customer gets an acknowledgement, and the assistant does not also read it
        (as the "evet" confirming a booking, say). Any other message goes on as before."""
        if super()._randevu_handle_filed():
            return True
        if self.channel not in ("sms", "whatsapp") or not self.conversation_id:
            return False
        text = self._randevu_typed_text()
        if not text:
            return False
        try:
            with self.env.cr.savepoint():
                return self.conversation_id._randevu_consent_reply(text)
        except Exception:  # the message stays filed (for the assistant or a person) whatever happens here
            _logger.exception("Randevu inbox: consent reply of message %s failed", self.wa_message_id)
            return False

    def _randevu_typed_text(self):
        """What the customer typed: the text of an SMS, of a WhatsApp text message, or of a
        template's quick-reply button; never a tap on the assistant's own reply buttons or
        list rows (its "Evet" button confirms a booking, not a consent)."""
        self.ensure_one()
        message = json.loads(self.payload or "{}")
        if self.channel == "sms":
            return message.get("text") or ""
        if message.get("type") == "text":
            return (message.get("text") or {}).get("body") or ""
        if message.get("type") == "button":
            return (message.get("button") or {}).get("text") or ""
        return ""
