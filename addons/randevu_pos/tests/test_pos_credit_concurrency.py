from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.randevu_calendar.tests.committed import CommittedCase


@tagged("post_install", "-at_install")
class TestConcurrentCreditSpends(CommittedCase):
    """Two tills spending the same customer's eWallet at the same moment, each on its own
    database connection, committing for real: the card's row lock makes them run one
    after the other, so only one spend that the credit limit allows goes through."""

    def setUp(self):
        super().setUp()
        with self.committed_env() as env:
            topup = env["product.product"].create({"name": f"Race top-up {self.tag}", "type": "service"})
            program = env["loyalty.program"].create(
                {
                    "name": f"Race credit {self.tag}",
                    "program_type": "ewallet",
                    "company_id": False,
                    "currency_id": env.company.currency_id.id,
                    "trigger": "auto",
                    "applies_on": "future",
                    "active": True,
                    "rule_ids": [
                        Command.create(
                            {"reward_point_mode": "money", "reward_point_amount": 1, "product_ids": topup.ids}
                        )
                    ],
                    "reward_ids": [
                        Command.create(
                            {
                                "reward_type": "discount",
                                "discount_mode": "per_point",
                                "discount": 1,
                                "discount_applicability": "order",
                                "required_points": 1,
                            }
                        )
                    ],
                }
            )
            partner = env["res.partner"].create({"name": f"Race customer {self.tag}", "randevu_credit_limit": 5})
            card = env["loyalty.card"].create({"program_id": program.id, "partner_id": partner.id, "points": 10})
            self.ids = {"program": program.id, "partner": partner.id, "card": card.id, "topup": topup.id}
        self.addCleanup(self._remove)

    def _remove(self):
        with self.committed_env() as env:
            env["loyalty.history"].search([("card_id", "=", self.ids["card"])]).unlink()
            env["loyalty.card"].browse(self.ids["card"]).unlink()
            program = env["loyalty.program"].browse(self.ids["program"])
            products = program.reward_ids.discount_line_product_id | env["product.product"].browse(self.ids["topup"])
            program.active = False
            program.unlink()
            products.active = False
            env["res.partner"].browse(self.ids["partner"]).active = False

    def test_two_tills_one_ewallet(self):
        # A balance of 10 and a credit limit of 5: 12 may be spent once (-2), not twice (-14).
        card_id = self.ids["card"]
        data = {card_id: {"points": -12, "program_id": self.ids["program"], "coupon_id": card_id, "line_codes": []}}

        def snapshot(env, index):
            env["loyalty.card"].browse(card_id).points  # noqa: B018 (the snapshot is taken here)

        def spend(env, index):
            env["pos.order"].confirm_coupon_programs(data)

        outcomes = self.run_at_once(snapshot, spend)
        self.assertEqual(sorted(outcome[0] for outcome in outcomes.values()), ["ok", "refused"], outcomes)
        refused = next(outcome for outcome in outcomes.values() if outcome[0] == "refused")
        self.assertIn("beyond the credit limit", refused[1])
        with self.committed_env() as env:
            self.assertEqual(env["loyalty.card"].browse(self.ids["card"]).points, -2)
