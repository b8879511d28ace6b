from odoo import fields, models


class MailingTrace(models.Model):
    _inherit = "mailing.trace"

    trace_type = fields.Selection(selection_add=[("whatsapp", "WhatsApp")], ondelete={"whatsapp": "set default"})
    failure_type = fields.Selection(
        selection_add=[
            ("whatsapp_no_consent", "No WhatsApp Marketing Consent"),
            ("whatsapp_frequency_cap", "Frequency Cap Reached (WhatsApp)"),
            ("whatsapp_error", "Refused by WhatsApp"),
        ]
    )
    whatsapp_message_id = fields.Char(string="WhatsApp Message ID", readonly=True, index="btree_not_null")
