from odoo import fields, models


class LoyaltyProgram(models.Model):
    """The campaign of a program's codes, for the till: the same field as
    randevu_booking_marketing's (which shows it on the program's form), defined here too
    so that the till reads it on a database without the website (Odoo keeps one field
    defined by two addons while either is installed)."""

    _inherit = "loyalty.program"

    randevu_campaign_id = fields.Many2one(
        "utm.campaign",
        string="Campaign",
        ondelete="set null",
        help="A booking made with a code of this program is counted for this campaign.",
    )
