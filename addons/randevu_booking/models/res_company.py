from odoo import fields, models


class ResCompany(models.Model):
    """A branch opened to online booking on the website."""

    _inherit = "res.company"

    randevu_online_booking = fields.Boolean(
        string="Online Booking",
        help="Customers can book this branch on the website (/book), without an account.",
    )

    # ------------------------------------------------------------------ deposits (issue 5)
    randevu_hold_minutes = fields.Integer(
        string="Deposit Hold (minutes)",
        default=15,
        help="An online booking that asks for a deposit keeps its time this long while the customer pays; "
        "unpaid after that, it is cancelled and the time is free again.",
    )
    randevu_noshow_deposit = fields.Monetary(
        string="No-show Deposit",
        currency_field="currency_id",
        help="What a customer over the no-show limit pays when booking a service without a deposit of its own. "
        "0: the service's price.",
    )

    _sql_constraints = [
        ("randevu_hold_minutes_positive", "CHECK(randevu_hold_minutes > 0)", "A deposit hold lasts at least a minute."),
        ("randevu_noshow_deposit_positive", "CHECK(randevu_noshow_deposit >= 0)", "A deposit cannot be negative."),
    ]
