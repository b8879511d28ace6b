import unittest
import uuid

from odoo import api, fields
from odoo.tests import tagged

from odoo.addons.randevu_calendar.tests.committed import CommittedCase


@tagged("post_install", "-at_install")
class TestSettleDueCommitted(CommittedCase):
    """Two tills of the demo Paris branch settle 20 of a customer's 30 at the same
    moment, each on its own connection, committing for real (retried on serialization
    failures as Odoo's request loop does): one settles, the other is refused; never
    more than is due. Needs the demo data (the Paris till)."""

    def setUp(self):
        super().setUp()
        with self.committed_env() as env:
            config = env["pos.config"].search([("name", "=", "Randevu Salon Paris Front Desk")], limit=1)
            reception = env.ref("randevu_calendar.randevu_user_reception", raise_if_not_found=False)
            if not config or not reception:
                raise unittest.SkipTest("needs the demo Paris till")
            branch = config.company_id
            customer = env["res.partner"].create({"name": f"Race Customer {self.tag}"})
            receivable = customer.with_company(branch).property_account_receivable_id
            income = env["account.account"].search(
                [("account_type", "=", "income"), ("company_ids", "parent_of", branch.id)], limit=1
            )
            journal = env["account.journal"].search(
                [("type", "=", "general"), ("company_id", "parent_of", branch.id)], limit=1
            )
            move = (
                env["account.move"]
                .with_company(branch)
                .create(
                    {
                        "journal_id": journal.id,
                        "line_ids": [
                            (0, 0, {"account_id": receivable.id, "partner_id": customer.id, "debit": 30}),
                            (0, 0, {"account_id": income.id, "credit": 30}),
                        ],
                    }
                )
            )
            move.action_post()
            # A cashier, not a POS manager (who may take more than is due).
            cashier = env["res.users"].create(
                {
                    "name": f"Race Cashier {self.tag}",
                    "login": f"race_cashier_{self.tag}",
                    "groups_id": [(6, 0, [env.ref("base.group_user").id, env.ref("point_of_sale.group_pos_user").id])],
                    "company_id": branch.id,
                    "company_ids": [(6, 0, branch.ids)],
                }
            )
            had_session = bool(config.current_session_id)
            config.with_user(reception).with_company(branch).open_ui()
            session = config.current_session_id
            methods = config.payment_method_ids
            self.cash = methods.filtered(lambda method: method.type == "cash")[:1].id
            self.on_account = methods.filtered(
                lambda method: method.type == "pay_later" and not method.randevu_deposit
            )[:1].id
            self.race = {
                "customer": customer.id,
                "move": move.id,
                "session": session.id,
                "reception": reception.id,
                "cashier": cashier.id,
                "branch": branch.id,
                "pricelist": config.pricelist_id.id,
            }
        self.addCleanup(self._cleanup, had_session)

    def _cleanup(self, had_session):
        with self.committed_env() as env:
            orders = env["pos.order"].search([("partner_id", "=", self.race["customer"])])
            env.cr.execute("DELETE FROM pos_payment WHERE pos_order_id = ANY(%s)", [orders.ids])
            env.cr.execute("DELETE FROM pos_order WHERE id = ANY(%s)", [orders.ids])
            if not had_session:
                env.cr.execute("DELETE FROM pos_session WHERE id = %s", [self.race["session"]])
            move = env["account.move"].browse(self.race["move"])
            move.button_draft()
            move.with_context(force_delete=True).unlink()
            env["res.partner"].browse(self.race["customer"]).unlink()
            cashier = env["res.users"].browse(self.race["cashier"])
            partner = cashier.partner_id
            cashier.unlink()
            partner.unlink()

    def _order(self, index):
        uuid_ = f"race-{self.tag}-{index}-{uuid.uuid4().hex[:6]}"
        now = fields.Datetime.to_string(fields.Datetime.now())
        return {
            "amount_paid": 0,
            "amount_return": 0,
            "amount_tax": 0,
            "amount_total": 0,
            "date_order": now,
            "fiscal_position_id": False,
            "pricelist_id": self.race["pricelist"],
            "name": f"Order {uuid_}",
            "last_order_preparation_change": "{}",
            "lines": [],
            "partner_id": self.race["customer"],
            "session_id": self.race["session"],
            "sequence_number": 100 + index,
            "payment_ids": [
                (0, 0, {"amount": 20, "name": now, "payment_method_id": self.cash}),
                (0, 0, {"amount": -20, "name": now, "payment_method_id": self.on_account}),
            ],
            "uuid": uuid_,
            "user_id": self.race["reception"],
            "to_invoice": False,
        }

    def test_two_tills_settle_at_most_the_due(self):
        def snapshot(env, index):
            env = api.Environment(env.cr, self.race["cashier"], {"allowed_company_ids": [self.race["branch"]]})
            env["res.partner"].search_count([])  # the snapshot is taken here
            return env

        def settle(env, index):
            env["pos.order"].sync_from_ui([self._order(index)])

        outcomes = self.run_at_once(
            snapshot, settle, done="settled", loggers=("odoo.sql_db", "odoo.addons.point_of_sale.models.pos_order")
        )
        kinds = sorted(outcome[0] for outcome in outcomes.values())
        self.assertEqual(kinds, ["refused", "settled"], outcomes)
        refused = next(outcome for outcome in outcomes.values() if outcome[0] == "refused")
        self.assertRegex(refused[1], r"owes \D*10\.00", "the second saw the first's settlement")
        with self.committed_env() as env:
            orders = env["pos.order"].search([("partner_id", "=", self.race["customer"])])
            self.assertEqual(len(orders), 1, "one settlement saved")
            partner = env["res.partner"].browse(self.race["customer"])
            branch = env["res.company"].browse(self.race["branch"])
            self.assertEqual(partner._randevu_pos_due(branch)[partner.id], 10)
