from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.whatsapp_api import WhatsAppApiError


class RandevuSendDocument(models.TransientModel):
    """Send the customer of an appointment documents before it (a consent form, aftercare
    instructions): on WhatsApp as document messages through the adapter, only within 24 h
    of the customer's last WhatsApp message (WhatsApp's rule for anything but templates),
    else by email."""

    _name = "randevu.send.document"
    _description = "Send Documents to the Customer"

    appointment_id = fields.Many2one("randevu.appointment", required=True, readonly=True, ondelete="cascade")
    partner_id = fields.Many2one(related="appointment_id.partner_id", string="Customer")
    attachment_ids = fields.Many2many("ir.attachment", string="Documents", required=True)
    body = fields.Text(string="Message")
    channel = fields.Selection([("whatsapp", "WhatsApp"), ("email", "Email")], required=True, default="whatsapp")
    conversation_id = fields.Many2one("randevu.conversation", compute="_compute_conversation_id")
    whatsapp_note = fields.Char(string="WhatsApp Note", compute="_compute_conversation_id")

    @api.depends("appointment_id")
    def _compute_conversation_id(self):
        for wizard in self:
            conversation = wizard._randevu_conversation()
            wizard.conversation_id = conversation
            wizard.whatsapp_note = wizard._randevu_whatsapp_refusal(conversation)

    def _randevu_conversation(self):
        appointment = self.appointment_id
        if not appointment.partner_id:
            return self.env["randevu.conversation"]
        return self.env["randevu.conversation"].search(
            [
                ("partner_id", "=", appointment.partner_id.id),
                ("company_id", "=", appointment.company_id.id),
                ("channel", "=", "whatsapp"),
            ],
            order="last_customer_message_at desc",
            limit=1,
        )

    def _randevu_whatsapp_refusal(self, conversation):
        """Why the documents cannot go on WhatsApp now, or False."""
        if not conversation:
            return self.env._("The customer has never written to this branch on WhatsApp: send it by email.")
        if not conversation._randevu_in_window():
            return self.env._(
                "The customer last wrote on WhatsApp more than 24 hours ago: WhatsApp accepts only approved "
                "templates, not files, until they write again. Send it by email."
            )
        return False

    def action_send(self):
        self.ensure_one()
        if not self.attachment_ids:
            raise UserError(self.env._("Choose at least one document to send."))
        # Files uploaded in the wizard are kept on the appointment.
        self.attachment_ids.filtered(lambda file: file.res_model == self._name and not file.res_id).write(
            {"res_model": "randevu.appointment", "res_id": self.appointment_id.id}
        )
        if self.channel == "whatsapp":
            self._randevu_send_whatsapp()
        else:
            self._randevu_send_email()
        return {"type": "ir.actions.act_window_close"}

    def _randevu_send_whatsapp(self):
        conversation = self._randevu_conversation()
        refusal = self._randevu_whatsapp_refusal(conversation)
        if refusal:
            raise UserError(refusal)
        api = conversation._randevu_api()
        caption = (self.body or "").strip()
        for index, attachment in enumerate(self.attachment_ids):
            try:
                api.send_document(
                    conversation.phone,
                    attachment.raw,
                    attachment.mimetype or "application/octet-stream",
                    attachment.name,
                    caption if index == 0 else "",
                )
            except WhatsAppApiError as error:
                raise UserError(
                    self.env._("WhatsApp refused the document %(name)s: %(reason)s", name=attachment.name, reason=error)
                ) from error
        names = ", ".join(self.attachment_ids.mapped("name"))
        text = self.env._("Sent on WhatsApp: %(names)s", names=names) + (f"\n{caption}" if caption else "")
        conversation._randevu_log_outbound(text)
        self.appointment_id._message_log(body=Markup("<br/>").join(text.split("\n")))

    def _randevu_send_email(self):
        partner = self.appointment_id.partner_id
        if not partner.email:
            raise UserError(self.env._("The customer has no email address."))
        self.appointment_id.message_post(
            body=Markup("<br/>").join((self.body or self.env._("Documents for your appointment.")).split("\n")),
            subject=self.env._("Documents for your appointment"),
            partner_ids=partner.ids,
            attachment_ids=self.attachment_ids.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
