from odoo import api, fields, models
from odoo.exceptions import AccessError


class RandevuAttendee(models.Model):
    _name = "randevu.attendee"
    _inherit = ["randevu.attendee", "pos.load.mixin"]

    randevu_payment_state = fields.Selection(
        [("not_paid", "Not Paid"), ("paid", "Paid")],
        string="Seat Payment",
        default="not_paid",
        readonly=True,
        copy=False,
        help="Paid at the till: the seat's order is paid (a full refund makes it not paid again).",
    )
    randevu_pos_line_ids = fields.One2many(
        "pos.order.line",
        "randevu_attendee_id",
        string="POS Order Lines",
        readonly=True,
        groups="point_of_sale.group_pos_user",
    )

    def write(self, vals):
        # Paid is the till's server's word (the seat's order paid, or refunded), never a user's.
        if "randevu_payment_state" in vals and not self.env.su:
            raise AccessError(self.env._("A seat is marked paid by the till when its order is paid, not by hand."))
        return super().write(vals)

    @api.model
    def _load_pos_data_domain(self, data):
        # Nothing at start: the till reads the seats the cashier picks.
        return False

    @api.model
    def _load_pos_data_fields(self, config_id):
        return ["id", "state", "randevu_payment_state"]
