from odoo import api, fields, models
from odoo.exceptions import UserError

# The loyalty programs whose codes give a discount on a booking: a code shared by many
# (promo_code, promotion with a code) or a coupon of its own (coupons, next order).
CODE_PROGRAM_TYPES = ("promo_code", "promotion", "coupons", "next_order_coupons")
COUPON_PROGRAM_TYPES = ("coupons", "next_order_coupons")


class LoyaltyProgram(models.Model):
    """A discount code or coupons program linked to a marketing campaign: a booking
    made with one of its codes is attributed to the campaign (utm)."""

    _inherit = "loyalty.program"

    randevu_campaign_id = fields.Many2one(
        "utm.campaign",
        string="Campaign",
        ondelete="set null",
        help="A booking made with a code of this program is counted for this campaign.",
    )

    @api.model
    def _randevu_code_discount(self, code, branch, service, price):
        """The discount a booking of `service` at `price` at `branch` gets with `code`,
        checked today (the branch's day): an exact match on a program's code (trigger
        "with a code") or a coupon's code, of a program of the branch (or of every
        branch), running today, with a discount reward on the service; a coupon not
        expired and with its points left.

        :return: {"program": loyalty.program, "card": loyalty.card (empty for a shared
            code), "reward": loyalty.reward, "amount": the discount, at most `price`}
        :raise UserError: the code is unknown (or of another branch), expired, used, or
            does not apply to the service: the message says which
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
        if (program.date_from and program.date_from > today) or (program.date_to and program.date_to < today):
            raise UserError(expired)
        if card and card.expiration_date and card.expiration_date < today:
            raise UserError(expired)
        rewards = program.reward_ids.filtered(lambda reward: reward.reward_type == "discount")
        if card:
            rewards = rewards.filtered(lambda reward: reward.required_points <= card.points)
            if program.reward_ids and not rewards:
                raise UserError(self.env._("This discount code has already been used."))
        product = service.product_variant_id
        rewards = rewards.filtered(
            lambda reward: (
                reward.discount_mode in ("percent", "per_order")
                and (reward.discount_applicability != "specific" or product in reward.all_discount_product_ids)
            )
        )
        if not rewards:
            raise UserError(self.env._("This discount code does not apply to this service."))
        currency = branch.currency_id
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
        return {"program": program, "card": card, "reward": best, "amount": best_amount}
