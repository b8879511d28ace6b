from odoo import fields, models

from .randevu_appointment import use_coupon


class RandevuAttendee(models.Model):
    """A seat in a group class booked with a discount code (Odoo loyalty): as an
    appointment's, its program, coupon, code and the amount taken off the session's
    price (what the till charges for the seat)."""

    _inherit = "randevu.attendee"

    randevu_loyalty_program_id = fields.Many2one(
        "loyalty.program", string="Discount Program", readonly=True, groups="base.group_user", index="btree_not_null"
    )
    randevu_loyalty_card_id = fields.Many2one(
        "loyalty.card", string="Coupon", readonly=True, groups="base.group_user", index="btree_not_null"
    )
    randevu_discount_code = fields.Char("Discount Code", readonly=True, groups="base.group_user")
    randevu_currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    # The customer's own discount: she sees it with her seat.
    randevu_discount_amount = fields.Monetary("Discount", readonly=True, currency_field="randevu_currency_id")

    def _randevu_price(self):
        return max(super()._randevu_price() - self.randevu_discount_amount, 0.0)

    def _randevu_apply_discount(self, found, code):
        """Record the discount `found` (loyalty.program._randevu_code_discount) of the
        `code` typed on this seat and use the coupon's points (once, whoever races)."""
        self.ensure_one()
        if found["card"]:
            use_coupon(self, found["card"], found["reward"])
        self.write(
            {
                "randevu_discount_amount": found["amount"],
                "randevu_loyalty_program_id": found["program"].id,
                "randevu_loyalty_card_id": found["card"].id,
                "randevu_discount_code": code.strip(),
            }
        )
