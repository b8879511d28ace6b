from odoo import fields, models


class MailingTrace(models.Model):
    _inherit = "mailing.trace"

    failure_type = fields.Selection(
        selection_add=[
            ("mail_frequency_cap", "Frequency Cap Reached"),
            ("sms_frequency_cap", "Frequency Cap Reached (SMS)"),
        ]
    )
