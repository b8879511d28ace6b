from odoo import fields, models
from odoo.exceptions import UserError


class RandevuAppointment(models.Model):
    """The discount code a booking was made with (Odoo loyalty): its program, the coupon
    used when the code was one, and the amount taken off the price (the deposit, computed
    on the price, follows)."""

    _inherit = "randevu.appointment"

    # The team's business, as the campaign: which program or coupon counted the booking.
    randevu_loyalty_program_id = fields.Many2one(
        "loyalty.program", string="Discount Program", readonly=True, groups="base.group_user", index="btree_not_null"
    )
    randevu_loyalty_card_id = fields.Many2one(
        "loyalty.card", string="Coupon", readonly=True, groups="base.group_user", index="btree_not_null"
    )
    randevu_discount_code = fields.Char("Discount Code", readonly=True, groups="base.group_user")
    # The customer's own discount: she sees it with her price.
    randevu_discount_amount = fields.Monetary("Discount", readonly=True)

    def _randevu_apply_code(self, code):
        """Take the discount of `code` off this appointment's price, record the program
        and coupon, attribute the appointment to the program's campaign, and use the
        coupon's points (a single-use coupon: used once, whoever races for it).

        :raise UserError: the code does not apply (see loyalty.program._randevu_code_discount)
        """
        self.ensure_one()
        Program = self.env["loyalty.program"]
        found = Program._randevu_code_discount(code, self.company_id, self.service_id, self.price)
        card, reward = found["card"], found["reward"]
        if card:
            # The coupon's row locked, then read again: a booking committed meanwhile with
            # the same coupon makes this one wait, then fail on its snapshot (retried by the
            # request loop, which then finds the coupon used).
            self.env.cr.execute("SELECT points FROM loyalty_card WHERE id = %s FOR UPDATE", [card.id])
            (points,) = self.env.cr.fetchone()
            if points < reward.required_points:
                raise UserError(self.env._("This discount code has already been used."))
            card.points = points - reward.required_points
            self.env["loyalty.history"].create(
                {
                    "card_id": card.id,
                    "description": self.env._("Booking %(name)s", name=self.display_name),
                    "used": reward.required_points,
                    "order_model": self._name,
                    "order_id": self.id,
                }
            )
        values = {
            "price": self.price - found["amount"],
            "randevu_discount_amount": found["amount"],
            "randevu_loyalty_program_id": found["program"].id,
            "randevu_loyalty_card_id": card.id,
            "randevu_discount_code": code.strip(),
        }
        if found["program"].randevu_campaign_id:
            values["campaign_id"] = found["program"].randevu_campaign_id.id
        self.write(values)
        return found
