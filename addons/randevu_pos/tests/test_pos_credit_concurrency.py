import random
import threading
import time

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.service.model import MAX_TRIES_ON_CONCURRENCY_FAILURE, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tests import tagged
from odoo.tools import mute_logger

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

    def _spend(self, index, barrier, outcomes, points):
        """One till's confirmation of `points` spent from the card, on its own connection:
        it reads the card first (its snapshot), waits for the other, then spends and
        commits a moment later; retried on serialization failures as Odoo's request
        loop does, on a new snapshot."""
        card_id = self.ids["card"]
        data = {card_id: {"points": -points, "program_id": self.ids["program"], "coupon_id": card_id, "line_codes": []}}
        for attempt in range(MAX_TRIES_ON_CONCURRENCY_FAILURE):
            try:
                with self.committed_env() as env:
                    env["loyalty.card"].browse(card_id).points  # noqa: B018 (the snapshot is taken here)
                    if not attempt:
                        barrier.wait(30)
                    env["pos.order"].confirm_coupon_programs(data)
                    env.flush_all()
                    time.sleep(0.3)  # the other runs into it before it commits
                outcomes[index] = ("ok", attempt)
                return
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                time.sleep(random.uniform(0.0, 0.3))
            except UserError as error:
                outcomes[index] = ("refused", str(error))
                return
            except Exception as error:  # reported by the assertion, not lost in the thread
                outcomes[index] = ("error", repr(error))
                return
        outcomes[index] = ("gave up", None)

    def test_two_tills_one_ewallet(self):
        # A balance of 10 and a credit limit of 5: 12 may be spent once (-2), not twice (-14).
        barrier = threading.Barrier(2)
        outcomes = {}
        threads = [threading.Thread(target=self._spend, args=(index, barrier, outcomes, 12)) for index in range(2)]
        with mute_logger("odoo.sql_db"):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(90)
        self.assertEqual(sorted(outcome[0] for outcome in outcomes.values()), ["ok", "refused"], outcomes)
        refused = next(outcome for outcome in outcomes.values() if outcome[0] == "refused")
        self.assertIn("beyond the credit limit", refused[1])
        with self.committed_env() as env:
            self.assertEqual(env["loyalty.card"].browse(self.ids["card"]).points, -2)
