from odoo.fields import Command

from .common import RandevuPosCase


class RandevuCreditCase(RandevuPosCase):
    """RandevuPosCase plus pos_loyalty's programs as a salon sets them up, offered by
    every till of every branch (no company: loyalty.history's record rule is strict
    per company, so a parent company's programme could not be used by a branch's
    cashier): account credit (an eWallet topped up with "Credit Top-up"), a gift
    card programme and a 10% discount code TESTWELCOME10. Chloé has an eWallet card."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.topup = env["product.product"].create(
            {"name": "Credit Top-up", "type": "service", "list_price": 0, "available_in_pos": True}
        )
        cls.gift_product = env["product.product"].create(
            {"name": "Salon Gift Card", "type": "service", "list_price": 50, "available_in_pos": True}
        )
        discount = {"reward_type": "discount", "discount_mode": "per_point", "discount": 1}
        cls.ewallet = env["loyalty.program"].create(
            {
                "name": "Account Credit",
                "company_id": False,
                "currency_id": cls.branch.currency_id.id,
                "program_type": "ewallet",
                "portal_visible": True,  # the receipt shows the credit spent and left
                "trigger": "auto",
                "applies_on": "future",
                "rule_ids": [
                    Command.create(
                        {"reward_point_mode": "money", "reward_point_amount": 1, "product_ids": cls.topup.ids}
                    )
                ],
                "reward_ids": [
                    Command.create(
                        {**discount, "discount_applicability": "order", "required_points": 1, "description": "Credit"}
                    )
                ],
            }
        )
        cls.gift_program = env["loyalty.program"].create(
            {
                "name": "Salon Gift Cards",
                "company_id": False,
                "currency_id": cls.branch.currency_id.id,
                "program_type": "gift_card",
                # As loyalty's own gift card programme: the till prints and mails them.
                "mail_template_id": env.ref("loyalty.mail_template_gift_card").id,
                "pos_report_print_id": env.ref("loyalty.gift_card_program").pos_report_print_id.id,
                "trigger": "auto",
                "applies_on": "future",
                "rule_ids": [
                    Command.create(
                        {
                            "reward_point_mode": "money",
                            "reward_point_amount": 1,
                            "reward_point_split": True,
                            "product_ids": cls.gift_product.ids,
                        }
                    )
                ],
                "reward_ids": [Command.create({**discount, "discount_applicability": "order", "required_points": 1})],
            }
        )
        cls.welcome = env["loyalty.program"].create(
            {
                "name": "Welcome 10%",
                "company_id": False,
                "currency_id": cls.branch.currency_id.id,
                "program_type": "promo_code",
                "trigger": "with_code",
                "applies_on": "current",
                "rule_ids": [Command.create({"mode": "with_code", "code": "TESTWELCOME10"})],
                "reward_ids": [
                    Command.create(
                        {
                            "reward_type": "discount",
                            "discount_mode": "percent",
                            "discount": 10,
                            "discount_applicability": "order",
                        }
                    )
                ],
            }
        )
        cls.credit_reward = cls.ewallet.reward_ids
        cls.card = env["loyalty.card"].create({"program_id": cls.ewallet.id, "partner_id": cls.customer.id})

    def reward_line(self, reward, card, amount, points=None):
        """The line pos_loyalty adds for `reward` (paying `amount` from `card`)."""
        return (
            reward.discount_line_product_id,
            -amount,
            {
                "is_reward_line": True,
                "reward_id": reward.id,
                "coupon_id": card.id if card else False,
                "points_cost": amount if points is None else points,
                "reward_identifier_code": f"code-{reward.id}-{amount}",
            },
        )

    def confirm_points(self, order, card, points, line_codes=()):
        """What the till sends after the sync: the card's points won (or spent, negative)."""
        data = {
            card.id: {
                "points": points,
                "program_id": card.program_id.id,
                "coupon_id": card.id,
                "barcode": False,
                "line_codes": list(line_codes),
            }
        }
        order.with_user(self.desk).confirm_coupon_programs(data)
        order.with_user(self.desk).add_loyalty_history_lines(
            [{"card_id": str(card.id), "spent": max(-points, 0), "won": max(points, 0)}], []
        )

    def sync(self, data):
        return self.env["pos.order"].with_user(self.desk).sync_from_ui([data])

    def order_of(self, data):
        return self.env["pos.order"].search([("uuid", "=", data["uuid"])])
