from collections import defaultdict

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import float_compare, format_amount


class PosOrder(models.Model):
    """Account credit (pos_loyalty's eWallet) at the till: a customer may pay beyond
    their balance down to their credit limit (`res.partner.randevu_credit_limit`), never
    further. Kept apart from pos_order.py: this is the eWallet's concern only."""

    _inherit = "pos.order"

    def validate_coupon_programs(self, point_changes, new_codes):
        # Called by the till before it syncs a paid order: same rule, friendlier answer.
        changes = {int(card_id): points for card_id, points in point_changes.items()}
        cards = self.env["loyalty.card"].browse(list(changes)).exists()
        problems = self._randevu_credit_problems({card: -changes[card.id] for card in cards if changes[card.id] < 0})
        if problems:
            return {
                "successful": False,
                "payload": {"message": "\n".join(problems), "updated_points": {c.id: c.points for c in cards}},
            }
        # pos_loyalty refuses any card going below zero: an eWallet may go down to -limit.
        for card in cards:
            limit = card.program_id.program_type == "ewallet" and card.partner_id.randevu_credit_limit
            if limit and changes[card.id] < 0:
                changes[card.id] = min(changes[card.id] + limit, 0)
        return super().validate_coupon_programs(changes, new_codes)

    def _process_saved_order(self, draft):
        # In sync_from_ui's transaction: refusing here saves nothing of the order.
        result = super()._process_saved_order(draft)
        if not draft and self.state in ("paid", "done", "invoiced"):
            self._randevu_check_credit_limit()
        return result

    def _randevu_check_credit_limit(self):
        """Refuse the paid orders `self` if their eWallet payments would take a
        customer's balance below minus their credit limit."""
        spent = defaultdict(float)
        for line in self.lines.filtered(lambda line: line.is_reward_line and line.coupon_id):
            if line.coupon_id.program_id.program_type == "ewallet":
                # The points the till says the line costs, never less than the money it takes.
                per_point = line.reward_id.discount or 1.0
                spent[line.coupon_id] += max(line.points_cost, -line.price_subtotal_incl / per_point)
        if not spent:
            return
        # Points already taken for this order (confirm_coupon_programs ran) are in the balance.
        confirmed = self.env["loyalty.history"].search(
            [
                ("order_model", "=", self._name),
                ("order_id", "in", self.ids),
                ("card_id", "in", [card.id for card in spent]),
            ]
        )
        problems = self._randevu_credit_problems(
            {card: cost for card, cost in spent.items() if card not in confirmed.card_id}
        )
        if problems:
            raise UserError(self.env._("The order cannot be paid:\n%(problems)s", problems="\n".join(problems)))

    def _randevu_credit_problems(self, costs):
        """Messages for the eWallet cards of `costs` ({card: points spent}) that would
        go below minus their customer's credit limit."""
        problems = []
        for card, cost in costs.items():
            if card.program_id.program_type != "ewallet":
                continue
            limit = card.partner_id.randevu_credit_limit
            rounding = card.currency_id.rounding or 0.01
            if float_compare(card.points - cost, -limit, precision_rounding=rounding) < 0:
                problems.append(
                    self.env._(
                        "%(customer)s's account credit is %(balance)s: paying %(amount)s would go beyond "
                        "the credit limit of %(limit)s.",
                        customer=card.partner_id.display_name or card.code,
                        balance=format_amount(self.env, card.points, card.currency_id),
                        amount=format_amount(self.env, cost, card.currency_id),
                        limit=format_amount(self.env, limit, card.currency_id),
                    )
                )
        return problems
