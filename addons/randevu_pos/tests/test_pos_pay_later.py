from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_pos_deposit import RandevuPosDepositCase


class RandevuPosPayLaterCase(RandevuPosDepositCase):
    """The till also leaves visits on the customer's account (Odoo's pay later method,
    identifying the customer, no journal)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.on_account = cls.env["pos.payment.method"].create(
            {"name": "Customer Account", "company_id": cls.branch.id, "split_transactions": True}
        )
        cls.config.payment_method_ids |= cls.on_account
        cls.bank_journal = cls.provider.journal_id
        cls.accountant = cls.make_user(
            "pos_accountant",
            "base.group_user,account.group_account_invoice,account.group_account_readonly",
            cls.branch,
            # Odoo's payments read the chart of the branch's parent company.
            companies=cls.branch | cls.branch.parent_id,
        )

    def aging(self, partner=None):
        self.env["randevu.receivable.aging"].invalidate_model()  # a view: read afresh, as a new request would
        return self.env["randevu.receivable.aging"].search(
            [("partner_id", "=", (partner or self.customer).commercial_partner_id.id)]
        )

    def settle(self, amount=None, user=None):
        """Settle Due on the customer's form, as the accountant, in the branch."""
        partner = self.customer.with_user(user or self.accountant).with_company(self.branch)
        action = partner.action_randevu_settle_due()
        self.assertEqual(action["res_model"], "account.payment.register")
        wizard = (
            self.env["account.payment.register"]
            .with_user(user or self.accountant)
            .with_company(self.branch)
            .with_context(**action["context"])
            .create({"journal_id": self.bank_journal.id, **({} if amount is None else {"amount": amount})})
        )
        return wizard._create_payments()


@tagged("post_install", "-at_install")
class TestPosPayLater(RandevuPosPayLaterCase):
    """Pay later then settle: the visit is checked out (appointments paid and done), the
    customer owes it in Accounting (receivable), until Settle Due pays it."""

    def setUp(self):
        super().setUp()
        self.freeze_noon()

    def test_pay_later_then_settle(self):
        session = self.open_session()
        data = self.order_data(session, self.checkout_lines(self.cut_appt, self.blow_appt))
        self.sync(self.paid_with(data, (self.on_account, 48)))
        order = self.order_of(data)
        self.assertEqual(order.state, "paid")
        appointments = self.cut_appt | self.blow_appt
        self.assertEqual(appointments.mapped("payment_state"), ["paid", "paid"], "checked out: owed in Accounting")
        self.assertEqual(appointments.mapped("state"), ["done", "done"])
        move = self.close(session)
        self.assertTrue(move.currency_id.is_zero(sum(move.line_ids.mapped("balance"))))
        revenue = move.line_ids.filtered(lambda line: line.account_id.account_type == "income")
        self.assertEqual(-sum(revenue.mapped("balance")), 48)
        self.assertEqual(self.receivable_balance(), 48, "the visit is on the customer's account")
        self.assertRecordValues(
            self.aging(), [{"company_id": self.branch.id, "bucket": "0_30", "amount_residual": 48, "amount_0_30": 48}]
        )
        payments = self.settle(amount=20)
        self.assertEqual(payments.amount, 20)
        self.assertEqual(self.receivable_balance(), 28, "partly settled")
        self.assertEqual(self.aging().amount_residual, 28)
        self.settle()
        self.assertEqual(self.receivable_balance(), 0, "settled")
        due = move.line_ids.filtered(lambda line: line.partner_id == self.customer and line.debit)
        self.assertTrue(due.reconciled)
        self.assertFalse(self.aging())
        for entry in due.matched_credit_ids.credit_move_id.move_id:
            self.assertTrue(entry.currency_id.is_zero(sum(entry.line_ids.mapped("balance"))))
        with self.assertRaisesRegex(UserError, "owes nothing"):
            self.customer.with_user(self.accountant).with_company(self.branch).action_randevu_settle_due()

    def test_pay_later_needs_a_customer(self):
        session = self.open_session()
        data = self.order_data(session, [(self.shampoo, 12, {})])
        data["partner_id"] = False
        self.assert_refused(self.paid_with(data, (self.on_account, 12)), "choose the customer")

    def test_aging_buckets(self):
        """Items due 10, 45, 75 and 120 days ago fall in each bucket; credits (a deposit
        not used yet) lower what is due; another customer's items are theirs."""
        partner = self.customer.commercial_partner_id.with_company(self.branch)
        receivable = partner.property_account_receivable_id
        income = self.env["account.account"].search(
            [("account_type", "=", "income"), ("company_ids", "parent_of", self.branch.id)], limit=1
        )
        journal = self.env["account.journal"].search(
            [("type", "=", "general"), ("company_id", "parent_of", self.branch.id)], limit=1
        )
        today = fields.Date.context_today(self.env["res.company"])
        moves = self.env["account.move"].with_company(self.branch)
        for days, amount in ((10, 1), (45, 2), (75, 4), (120, 8)):
            date = today - timedelta(days=days)
            moves |= moves.create(
                {
                    "journal_id": journal.id,
                    "date": date,
                    "line_ids": [
                        (
                            0,
                            0,
                            {
                                "account_id": receivable.id,
                                "partner_id": partner.id,
                                "debit": amount,
                                "date_maturity": date,
                            },
                        ),
                        (0, 0, {"account_id": income.id, "credit": amount}),
                    ],
                }
            )
        moves.action_post()
        self.assertEqual(moves.company_id, self.branch)
        self.pay_deposit(self.cut_appt, amount=3)
        rows = self.aging()
        self.assertEqual(sorted(rows.mapped("bucket")), ["0_30", "0_30", "31_60", "61_90", "90_plus"])
        totals = rows.read_group(
            [("id", "in", rows.ids)],
            ["amount_0_30:sum", "amount_31_60:sum", "amount_61_90:sum", "amount_90_plus:sum"],
            [],
        )[0]
        self.assertEqual(
            (totals["amount_0_30"], totals["amount_31_60"], totals["amount_61_90"], totals["amount_90_plus"]),
            (1 - 3, 2, 4, 8),
        )
        self.assertFalse(self.aging(self.env["res.partner"].create({"name": "Nobody"})))
