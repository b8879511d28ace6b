from odoo import api, fields, models
from odoo.exceptions import UserError

# The loyalty programs whose codes give a discount on a booking: a code shared by many
# (promo_code, promotion with a code) or a coupon of its own (coupons, next order).
CODE_PROGRAM_TYPES = ("promo_code", "promotion", "coupons", "next_order_coupons")
COUPON_PROGRAM_TYPES = ("coupons", "next_order_coupons")
# The programs the website applies by themselves (no code typed) to a first visit.
AUTO_PROGRAM_TYPES = ("promotion",)


class LoyaltyProgram(models.Model):
    """A discount code or coupons program linked to a marketing campaign: a booking
    made with one of its codes is attributed to the campaign (utm). A program may be
    for first visits only (loyalty's rules have no condition on the customer)."""

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

    def _compute_total_order_count(self):
        """Loyalty's count of a program's uses (sale_loyalty's orders, pos_loyalty's
        till orders) with the bookings and class seats made with it (not cancelled): the
        program's *Limit Usage* counts the website's bookings, and the till (which
        reads this count) counts them too."""
        result = super()._compute_total_order_count()
        counts = self._randevu_booking_counts()
        for program in self:
            program.total_order_count += counts.get(program.id, 0)
        return result

    def _randevu_booking_counts(self):
        """{program id: its bookings and class seats not cancelled}, two queries."""
        ids = [program_id for program_id in self.ids if program_id]
        if not ids:
            return {}
        # Superuser: a usage count, whoever asks (the website's visitor, a cashier).
        groups = (
            self.env["randevu.appointment"]
            .sudo()
            ._read_group(
                [("randevu_loyalty_program_id", "in", ids), ("state", "!=", "cancelled")],
                ["randevu_loyalty_program_id"],
                ["__count"],
            )
        )
        counts = {program.id: count for program, count in groups}
        seats = (
            self.env["randevu.attendee"]
            .sudo()
            ._read_group(
                [("randevu_loyalty_program_id", "in", ids), ("state", "!=", "cancelled")],
                ["randevu_loyalty_program_id"],
                ["__count"],
            )
        )
        for program, count in seats:
            counts[program.id] = counts.get(program.id, 0) + count
        return counts

    def _randevu_usage_left(self, lock=False):
        """Whether this program may be used once more (loyalty's *Limit Usage*: at
        most *Max Usage* orders and bookings in all). `lock`: the program's row is
        written first, so that two bookings racing for its last use are one after the
        other: the second waits, then fails on its snapshot and is retried by the
        request loop, which counts the first."""
        self.ensure_one()
        if not self.limit_usage:
            return True
        if lock:
            # A write, not a FOR UPDATE: only a row another transaction updated makes a
            # repeatable-read transaction fail instead of counting on its old snapshot.
            self.env.cr.execute("UPDATE loyalty_program SET write_date = write_date WHERE id = %s", [self.id])
            self.invalidate_recordset(["total_order_count"])
        return self.total_order_count < self.max_usage

    def _randevu_limit_message(self):
        return self.env._("This discount code has already been used as many times as it can be.")

    @api.model
    def _randevu_code_discount(self, code, branch, service, price, partner=None, exclude=None):
        """The discount a booking of `service` at `price` at `branch` gets with `code`,
        checked today (the branch's day): an exact match on a program's code (trigger
        "with a code") or a coupon's code, of a program of the branch (or of every
        branch), running today, with a discount reward on the service; a coupon not
        expired and with its points left; a program for first visits only, for a
        `partner` who has never come nor booked (None: a new customer; `exclude`: her
        appointment the code is applied to).

        :return: {"program": loyalty.program, "card": loyalty.card (empty for a shared
            code), "reward": loyalty.reward, "amount": the discount, at most `price`}
        :raise UserError: the code is unknown (or of another branch), expired, used,
            does not apply to the service, or is for first visits: the message says which
        """
        code = (code or "").strip()
        unknown = self.env._("This discount code is not valid. Please check it or leave it empty.")
        if not code or len(code) > 100:
            raise UserError(unknown)
        card = self.env["loyalty.card"].search(
            [("code", "=", code), ("program_id.program_type", "in", COUPON_PROGRAM_TYPES)], limit=1
        )
        if card:
            program = card.program_id
        else:
            rule = self.env["loyalty.rule"].search(
                [
                    ("code", "=", code),
                    ("program_id.trigger", "=", "with_code"),
                    ("program_id.program_type", "in", CODE_PROGRAM_TYPES),
                ],
                limit=1,
            )
            program = rule.program_id
        # Another branch's code is as unknown as a typo: nothing says it exists elsewhere.
        if not program or not program.active or (program.company_id and program.company_id != branch):
            raise UserError(unknown)
        today = branch._randevu_local_today()
        expired = self.env._("This discount code has expired.")
        if not program._randevu_running(today):
            raise UserError(expired)
        if card and card.expiration_date and card.expiration_date < today:
            raise UserError(expired)
        if not program._randevu_usage_left():
            raise UserError(program._randevu_limit_message())
        rewards = program.reward_ids.filtered(lambda reward: reward.reward_type == "discount")
        if card:
            rewards = rewards.filtered(lambda reward: reward.required_points <= card.points)
            if program.reward_ids and not rewards:
                raise UserError(self.env._("This discount code has already been used."))
        if program.randevu_first_visit and partner and not partner._randevu_first_visit(exclude):
            raise UserError(
                self.env._(
                    "This discount code is for a first visit only, and we are glad to see you again: "
                    "please book without it."
                )
            )
        found = program._randevu_best_discount(rewards, branch, service, price)
        if not found:
            raise UserError(self.env._("This discount code does not apply to this service."))
        return dict(found, card=card)

    @api.model
    def _randevu_first_visit_offer(self, branch, service, price, partner=None):
        """The discount the website gives by itself to a first visit: the best of the
        first-visit promotions applied automatically (no code) of `branch` (or of every
        branch) running today with a discount reward on `service`, when `partner` has
        never come nor booked (None: a new customer). One query when there is none.

        :return: as _randevu_code_discount (an empty card), or None
        """
        programs = self.search(
            [
                ("randevu_first_visit", "=", True),
                ("trigger", "=", "auto"),
                ("program_type", "in", AUTO_PROGRAM_TYPES),
                ("company_id", "in", (False, branch.id)),
            ]
        )
        today = branch._randevu_local_today() if programs else None
        programs = programs.filtered(lambda program: program._randevu_running(today) and program._randevu_usage_left())
        if not programs or (partner and not partner._randevu_first_visit()):
            return None
        best = None
        for program in programs:
            rewards = program.reward_ids.filtered(lambda reward: reward.reward_type == "discount")
            found = program._randevu_best_discount(rewards, branch, service, price)
            if found and (not best or found["amount"] > best["amount"]):
                best = found
        return dict(best, card=self.env["loyalty.card"]) if best else None

    def _randevu_running(self, today):
        """Whether this program runs on `today` (its dates, both included)."""
        self.ensure_one()
        return not (self.date_from and self.date_from > today) and not (self.date_to and self.date_to < today)

    def _randevu_best_discount(self, rewards, branch, service, price):
        """Of this program's `rewards`, the discount (percentage or fixed amount per
        order, with its maximum, on the order or on products including `service`)
        taking the most off `price`: {"program", "reward", "amount"}, or None when
        none applies to the service."""
        self.ensure_one()
        product = service.product_variant_id
        rewards = rewards.filtered(
            lambda reward: (
                reward.discount_mode in ("percent", "per_order")
                and (reward.discount_applicability != "specific" or product in reward.all_discount_product_ids)
            )
        )
        if not rewards:
            return None
        currency = branch.currency_id
        today = branch._randevu_local_today()
        best, best_amount = rewards[0], -1.0
        for reward in rewards:
            if reward.discount_mode == "percent":
                amount = price * reward.discount / 100
            else:
                amount = reward.currency_id._convert(reward.discount, currency, branch, today)
            if reward.discount_max_amount:
                amount = min(amount, reward.currency_id._convert(reward.discount_max_amount, currency, branch, today))
            amount = currency.round(min(amount, price))
            if amount > best_amount:
                best, best_amount = reward, amount
        return {"program": self, "reward": best, "amount": best_amount}
