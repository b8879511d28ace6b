from odoo import fields, models


class RandevuReminderRule(models.Model):
    _inherit = "randevu.reminder.rule"

    channel = fields.Selection(selection_add=[("whatsapp", "WhatsApp")], ondelete={"whatsapp": "set default"})
