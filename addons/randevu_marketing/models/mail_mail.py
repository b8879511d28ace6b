from odoo import fields, models


class MailMail(models.Model):
    _inherit = "mail.mail"

    failure_type = fields.Selection(selection_add=[("mail_frequency_cap", "Frequency Cap Reached")])
