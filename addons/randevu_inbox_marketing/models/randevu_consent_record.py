from odoo import fields, models
from odoo.tools import plaintext2html


class RandevuConsentRecord(models.TransientModel):
    """The desk's *Record a consent* wizard, opened from a conversation: a consent the
    customer gave (or withdrew) in the chat, recorded with source *Chat* and noted there."""

    _inherit = "randevu.consent.record"

    source = fields.Selection(selection_add=[("chat", "Chat")], ondelete={"chat": "set default"})

    def action_record(self):
        result = super().action_record()
        conversation_id = self.env.context.get("randevu_conversation_id")
        if conversation_id:
            conversation = self.env["randevu.conversation"].browse(conversation_id).exists()
            conversation.check_access("write")
            channels = dict(self._fields["channel"]._description_selection(self.env))
            for wizard in self:
                values = {
                    "user": self.env.user.name,
                    "channel": channels[wizard.channel],
                    "address": wizard.address,
                    "text": wizard.text,
                }
                if wizard.state == "granted":
                    note = self.env._(
                        "%(user)s recorded the customer's consent to marketing messages by %(channel)s "
                        "(%(address)s), given in the chat: %(text)s",
                        **values,
                    )
                else:
                    note = self.env._(
                        "%(user)s recorded the customer's withdrawal of marketing messages by %(channel)s "
                        "(%(address)s), said in the chat: %(text)s",
                        **values,
                    )
                conversation._message_log(body=plaintext2html(note))
        return result
