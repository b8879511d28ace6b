from psycopg2.errors import CheckViolation

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.randevu_account.tests.common import RandevuPaymentFixtures

from .common import RandevuPosCase


class RandevuPosDepositCase(RandevuPaymentFixtures, RandevuPosCase):
    """RandevuPosCase's till with a Deposit method (online deposits) next to cash, the
    branch taking deposits online (randevu_account's test provider)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls._make_test_provider(cls.branch)
        cls.deposit_method = cls.env["pos.payment.method"].create(
            {
                "name": "Deposit",
                "company_id": cls.branch.id,
                "split_transactions": True,
                "randevu_deposit": True,
            }
        )
        cls.config.payment_method_ids |= cls.deposit_method

    def sync(self, data, user=None):
        return self.env["pos.order"].with_user(user or self.desk).sync_from_ui([data])

    def order_of(self, data):
        return self.env["pos.order"].search([("uuid", "=", data["uuid"])])

    def paid_with(self, data, *payments):
        """`data` paid with (method, amount) pairs instead of cash only."""
        data["payment_ids"] = [
            (0, 0, {"amount": amount, "name": fields.Datetime.now(), "payment_method_id": method.id})
            for method, amount in payments
        ]
        return data

    def assert_refused(self, data, message):
        orders = self.env["pos.order"].search_count([])
        with self.assertRaisesRegex(UserError, message), self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
            self.sync(data)
        self.assertEqual(self.env["pos.order"].search_count([]), orders, "nothing of the order is saved")

    def close(self, session):
        session.with_user(self.desk).action_pos_session_closing_control()
        self.assertEqual(session.state, "closed")
        return session.move_id

    def receivable_balance(self, partner=None):
        """The customer's receivable balance over every posted entry."""
        lines = self.env["account.move.line"].search(
            [
                ("partner_id", "=", (partner or self.customer).commercial_partner_id.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
            ]
        )
        return self.branch.currency_id.round(sum(lines.mapped("balance")))


@tagged("post_install", "-at_install")
class TestPosDeposit(RandevuPosDepositCase):
    """The deposit paid online is a payment of the order at the till: revenue once,
    on the sale; the customer owes nothing after checkout."""

    def setUp(self):
        super().setUp()
        self.freeze_noon()
        # Journal items of this test only (the demo's tills and invoices post revenue too).
        self.env.flush_all()
        self.env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM account_move_line")
        self.first_line_id = self.env.cr.fetchone()[0] + 1

    def test_deposit_and_cash_revenue_once_receivable_zero(self):
        transaction = self.pay_deposit(self.cut_appt, amount=10)
        self.assertEqual(self.cut_appt.payment_state, "deposit")
        deposit_line = self.cut_appt._randevu_deposit_move_lines()
        self.assertEqual(self.receivable_balance(), -10, "the deposit is the customer's credit until checkout")
        session = self.open_session()
        rows = {row["id"]: row for row in self.config.with_user(self.desk).randevu_pos_appointments()}
        self.assertEqual((rows[self.cut_appt.id]["deposit"], rows[self.blow_appt.id]["deposit"]), (10, 0))
        data = self.order_data(session, self.checkout_lines(self.cut_appt, self.blow_appt))
        self.sync(self.paid_with(data, (self.deposit_method, 10), (self.cash, 38)))
        order = self.order_of(data)
        self.assertEqual((order.state, order.amount_total, order.amount_paid), ("paid", 48, 48))
        self.assertEqual((self.cut_appt | self.blow_appt).mapped("payment_state"), ["paid", "paid"])
        self.assertFalse(deposit_line.reconciled, "deducted at closing")
        move = self.close(session)
        self.assertEqual(move.state, "posted")
        entries = move | transaction.payment_id.move_id | session.statement_line_ids.move_id
        for entry in entries:
            self.assertTrue(entry.currency_id.is_zero(sum(entry.line_ids.mapped("balance"))), entry.name)
        revenue = self.env["account.move.line"].search(
            [
                ("id", ">=", self.first_line_id),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "in", ("income", "income_other")),
            ]
        )
        self.assertEqual(-sum(revenue.mapped("balance")), 48, "the sale is revenue, once; the deposit is not")
        self.assertEqual(revenue.move_id, move)
        self.assertTrue(deposit_line.reconciled)
        deposit_item = move.line_ids.filtered(lambda line: line.partner_id == self.customer and line.debit == 10)
        self.assertTrue(deposit_item.reconciled)
        self.assertEqual(deposit_item.matched_credit_ids.credit_move_id, deposit_line)
        self.assertEqual(self.receivable_balance(), 0, "the customer owes nothing after checkout")
        self.assertFalse(self.cut_appt._randevu_deposit_move_lines(), "never deducted twice")

    def test_deposit_covering_the_whole_order(self):
        self.pay_deposit(self.cut_appt, amount=28)
        session = self.open_session()
        data = self.order_data(session, self.checkout_lines(self.cut_appt))
        self.sync(self.paid_with(data, (self.deposit_method, 28)))
        self.close(session)
        self.assertEqual(self.receivable_balance(), 0)
        self.assertFalse(self.cut_appt._randevu_deposit_move_lines())

    def test_deposit_never_more_than_left(self):
        self.pay_deposit(self.cut_appt, amount=10)
        session = self.open_session()
        data = self.order_data(session, self.checkout_lines(self.cut_appt, self.blow_appt))
        self.assert_refused(
            self.paid_with(data, (self.deposit_method, 15), (self.cash, 33)),
            r"pays \D*15\.00 with online deposits.*left to deduct are \D*10\.00",
        )
        self.assertEqual(self.cut_appt.payment_state, "deposit")
        walk_in = self.order_data(session, [(self.shampoo, 12, {})])
        self.assert_refused(self.paid_with(walk_in, (self.deposit_method, 12)), r"left to deduct are \D*0\.00")
        negative = self.order_data(session, self.checkout_lines(self.blow_appt))
        self.assert_refused(self.paid_with(negative, (self.deposit_method, -5), (self.cash, 25)), r"pays \D*5\.00")

    def test_deposit_deducted_by_an_invoice_cannot_be_used_again(self):
        self.pay_deposit(self.cut_appt, amount=10)
        invoice = self.create_invoice(self.cut_appt)
        invoice.action_post()
        self.assertEqual(invoice.amount_residual, 18, "the invoice deducted the deposit")
        session = self.open_session()
        rows = {row["id"]: row for row in self.config.with_user(self.desk).randevu_pos_appointments()}
        self.assertEqual(rows[self.cut_appt.id]["deposit"], 0)
        data = self.order_data(session, self.checkout_lines(self.cut_appt))
        self.assert_refused(self.paid_with(data, (self.deposit_method, 10), (self.cash, 18)), "left to deduct")

    def test_deposit_method_is_a_customer_account_without_journal(self):
        with self.assertRaises(CheckViolation), self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
            self.env["pos.payment.method"].create(
                {"name": "Loose deposit", "company_id": self.branch.id, "randevu_deposit": True}
            )
        self.assertEqual(self.deposit_method.type, "pay_later")
        self.assertIn("randevu_deposit", self.env["pos.payment.method"]._load_pos_data_fields(self.config.id))
        self.assertTrue(self.config.payment_method_ids.filtered("randevu_deposit"))
        self.assertEqual(self.config.payment_method_ids, self.cash | self.deposit_method)

    def test_todays_deposits_in_a_fixed_number_of_queries(self):
        def count():
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            rows = self.config.with_user(self.desk).randevu_pos_appointments()
            return self.env.cr.sql_log_count - before, rows

        self.pay_deposit(self.cut_appt, amount=10)
        self.pay_deposit(self.blow_appt, amount=5)
        count()  # Odoo's caches (groups, rules) warm
        few, rows = count()
        self.assertEqual([row["deposit"] for row in rows], [10, 5])
        customers = self.env["res.partner"].create([{"name": f"Client {index}"} for index in range(6)])
        for index, customer in enumerate(customers):
            appointment = self.book(
                self.local(12 + index // 2, 30 * (index % 2)),
                staff=self.anna if index % 2 else self.bruno,
                service=self.cut if index % 2 else self.blow_dry,
                hours_override=True,
                partner_id=customer.id,
            )
            self.pay_deposit(appointment, amount=index + 1)
        count()
        many, rows = count()
        self.assertEqual([row["deposit"] for row in rows], [10, 5, 1, 2, 3, 4, 5, 6])
        self.assertEqual(many, few, "queries do not grow with the deposits")

    def test_deposit_on_an_order_invoiced_at_the_till(self):
        transaction = self.pay_deposit(self.cut_appt, amount=10)
        deposit_line = self.cut_appt._randevu_deposit_move_lines()
        session = self.open_session()
        data = self.order_data(session, self.checkout_lines(self.cut_appt, self.blow_appt))
        data["to_invoice"] = True
        self.sync(self.paid_with(data, (self.deposit_method, 10), (self.cash, 38)))
        invoice = self.order_of(data).account_move
        self.assertEqual((invoice.state, invoice.amount_total), ("posted", 48))
        self.assertTrue(invoice.currency_id.is_zero(invoice.amount_residual), "the deposit paid the rest")
        self.assertTrue(deposit_line.reconciled)
        move = self.close(session)
        revenue = self.env["account.move.line"].search(
            [
                ("id", ">=", self.first_line_id),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "in", ("income", "income_other")),
            ]
        )
        self.assertEqual(-sum(revenue.mapped("balance")), 48, "revenue once, on the invoice")
        self.assertEqual(revenue.move_id, invoice)
        for entry in move | invoice | transaction.payment_id.move_id:
            self.assertTrue(entry.currency_id.is_zero(sum(entry.line_ids.mapped("balance"))), entry.name)
        self.assertEqual(self.receivable_balance(), 0)
