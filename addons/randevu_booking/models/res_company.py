from odoo import fields, models


class ResCompany(models.Model):
    """A branch opened to online booking on the website."""

    _inherit = "res.company"

    randevu_online_booking = fields.Boolean(
        string="Online Booking",
        help="Customers can book this branch on the website (/book), without an account.",
    )
