from odoo import fields, models


class RandevuMarketingAutomationSend(models.Model):
    _inherit = "randevu.marketing.automation.send"

    loyalty_card_id = fields.Many2one("loyalty.card", string="Coupon", readonly=True, ondelete="set null")
