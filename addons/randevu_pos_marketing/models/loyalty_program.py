from odoo import api, fields, models


class LoyaltyProgram(models.Model):
    """The campaign of a program's codes and whether it is for first visits only, for
    the till: the same fields as randevu_booking_marketing's (which shows them on the
    program's form), defined here too so that the till reads them on a database without
    the website (Odoo keeps one field defined by two addons while either is installed)."""

    _inherit = "loyalty.program"

    randevu_campaign_id = fields.Many2one(
        "utm.campaign",
        string="Campaign",
        ondelete="set null",
        help="A booking made with a code of this program is counted for this campaign.",
    )
    randevu_first_visit = fields.Boolean(
        string="First Visit Only",
        help="Only for a customer who has never come (no visit done) and has no other booking to come, "
        "at any branch. A promotion applied automatically gives its discount to a first visit booked on "
        "the website without a code; with a code, the code is refused to a returning customer.",
    )

    @api.model
    def _load_pos_data_fields(self, config_id):
        return [*super()._load_pos_data_fields(config_id), "randevu_first_visit"]
