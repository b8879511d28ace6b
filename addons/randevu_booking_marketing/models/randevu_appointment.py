from odoo import api, fields, models
from odoo.exceptions import UserError


def use_coupon(record, card, reward):
    """Use `reward`'s points of the coupon `card` for `record` (an appointment or a class
    seat; a history line points at it): a single-use coupon is used once, whoever races
    for it.

    :raise UserError: its points were used meanwhile
    """
    env = record.env
    # The coupon's row locked, then read again: a booking committed meanwhile with the
    # same coupon makes this one wait, then fail on its snapshot (retried by the request
    # loop, which then finds the coupon used).
    env.cr.execute("SELECT points FROM loyalty_card WHERE id = %s FOR UPDATE", [card.id])
    (points,) = env.cr.fetchone()
    if points < reward.required_points:
        raise UserError(env._("This discount code has already been used."))
    card.points = points - reward.required_points
    env["loyalty.history"].create(
        {
            "card_id": card.id,
            "description": env._("Booking %(name)s", name=record.display_name),
            "used": reward.required_points,
            "order_model": record._name,
            "order_id": record.id,
        }
    )


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

    @api.depends("randevu_discount_amount")
    def _compute_randevu_deposit_amount(self):
        """randevu_account's rule, and a price discounted to nothing asks no deposit:
        "never more than the price" (the rule leaves a fixed deposit whole on a price
        of 0, a service given for free: not a discounted one)."""
        result = super()._compute_randevu_deposit_amount()
        for appointment in self:
            if appointment.randevu_discount_amount:
                price = max(appointment.price, 0.0)
                appointment.randevu_deposit_amount = min(appointment.randevu_deposit_amount, price)
        return result

    @api.model
    def _randevu_hold_values(self, branch, service, partner, staff=None, values=None):
        """A booking discounted to nothing (a 100 % code) is not held: there is no
        deposit to pay (see _compute_randevu_deposit_amount), it is confirmed at once."""
        values = values or {}
        if values.get("randevu_discount_amount") and branch.currency_id.is_zero(values.get("price", 1.0)):
            return {}
        return super()._randevu_hold_values(branch, service, partner, staff=staff, values=values)

    @api.model
    def _randevu_discount_values(self, found, price, code=None):
        """The values of an appointment at `price` given the discount `found` (see
        loyalty.program._randevu_code_discount), with the `code` typed (None for an
        offer applied without one): the price discounted, the program, the coupon, the
        code, and the program's campaign."""
        values = {
            "price": price - found["amount"],
            "randevu_discount_amount": found["amount"],
            "randevu_loyalty_program_id": found["program"].id,
            "randevu_loyalty_card_id": found["card"].id,
            "randevu_discount_code": code.strip() if code else False,
        }
        if found["program"].randevu_campaign_id:
            values["campaign_id"] = found["program"].randevu_campaign_id.id
        return values

    def _randevu_use_coupon(self, card, reward):
        """Use `reward`'s points of the coupon `card` for this appointment (see use_coupon).

        :raise UserError: its points were used meanwhile
        """
        self.ensure_one()
        use_coupon(self, card, reward)

    def _randevu_apply_code(self, code):
        """Take the discount of `code` off this appointment's price, record the program
        and coupon, attribute the appointment to the program's campaign, and use the
        coupon's points (a single-use coupon: used once, whoever races for it).

        :raise UserError: the code does not apply (see loyalty.program._randevu_code_discount)
        """
        self.ensure_one()
        Program = self.env["loyalty.program"]
        found = Program._randevu_code_discount(
            code, self.company_id, self.service_id, self.price, self.partner_id, exclude=self
        )
        if not found["program"]._randevu_usage_left(lock=True):
            raise UserError(found["program"]._randevu_limit_message())
        if found["card"]:
            self._randevu_use_coupon(found["card"], found["reward"])
        self.write(self._randevu_discount_values(found, self.price, code))
        return found

    def _randevu_invoice_lines_values(self):
        """An appointment booked with a discount code is invoiced as the accountant reads
        it: the service at its price before the discount, then the discount as a line of
        its own (the same product, so the same taxes and income account; the code in its
        label), the two adding up to the price the customer was given."""
        lines = super()._randevu_invoice_lines_values()
        discount = self.randevu_discount_amount
        if not discount or len(lines) != 1:
            return lines
        [line] = lines
        line["price_unit"] = self.price + discount
        # sudo: the program's name, for the label only (an automatic promotion has no code),
        # whoever of the team makes the invoice.
        label = self.randevu_discount_code or self.sudo().randevu_loyalty_program_id.name
        return [
            line,
            dict(
                line,
                name=self.env._("Discount code %(code)s", code=label) if label else self.env._("Discount"),
                price_unit=-discount,
            ),
        ]
