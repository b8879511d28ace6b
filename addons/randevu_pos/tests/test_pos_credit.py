from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_credit import RandevuCreditCase


@tagged("post_install", "-at_install")
class TestPosCredit(RandevuCreditCase):
    """Account credit (pos_loyalty's eWallet) at the till: the money is a liability
    ("Customer credit"), not revenue; a customer may go below zero only down to their
    credit limit, and the till's sync refuses anything further with nothing saved."""

    def setUp(self):
        super().setUp()
        self.freeze_noon()
        self.session = self.open_session()

    def test_setup_books_credit_as_liability(self):
        account = self.env["loyalty.program"]._randevu_credit_account(self.branch)
        self.assertEqual(account.account_type, "liability_current")
        for product in (self.topup, self.credit_reward.discount_line_product_id, self.gift_product):
            for company in (self.branch, self.branch.parent_id):
                with self.subTest(product=product.name, company=company.name):
                    accounts = product.with_company(company)._get_product_accounts()
                    self.assertEqual(accounts["income"], account)
                    self.assertFalse(product.taxes_id, "prepaid money bears no tax")
        promo_product = self.welcome.reward_ids.discount_line_product_id.with_company(self.branch)
        self.assertNotEqual(promo_product._get_product_accounts()["income"], account, "a discount is not credit")

    def test_topup_then_pay_journal_entries(self):
        # A top-up of 100 at the till, in cash.
        topup = self.order_data(self.session, [(self.topup, 100, {})])
        self.sync(topup)
        self.confirm_points(self.order_of(topup), self.card, 100)
        self.assertEqual(self.card.points, 100)
        # The visit (28 + 20) and a shampoo (12): 40 from the credit, 20 in cash.
        reward = self.reward_line(self.credit_reward, self.card, 40)
        visit = self.order_data(
            self.session, self.checkout_lines(self.cut_appt, self.blow_appt, extra=[(self.shampoo, 12, {}), reward])
        )
        self.assertEqual(visit["amount_total"], 20)
        self.sync(visit)
        order = self.order_of(visit)
        self.confirm_points(order, self.card, -40, [reward[2]["reward_identifier_code"]])
        self.assertEqual(self.card.points, 60)
        self.assertEqual((self.cut_appt | self.blow_appt).mapped("payment_state"), ["paid", "paid"])
        history = self.card.history_ids
        self.assertEqual(sorted(history.mapped("issued")), [0, 100])
        self.assertEqual(sorted(history.mapped("used")), [0, 40])
        self.assertEqual(self.customer.with_user(self.desk).randevu_credit_balance, 60)

        self.session.action_pos_session_closing_control()
        self.assertEqual(self.session.state, "closed")
        moves = self.session._get_related_account_moves()
        self.assertTrue(moves)
        self.assertTrue(all(move.state == "posted" for move in moves))
        lines = moves.line_ids
        for move in moves:
            self.assertAlmostEqual(sum(move.line_ids.mapped("balance")), 0, 2, f"{move.name} balances")
        credit_account = self.env["loyalty.program"]._randevu_credit_account(self.branch)
        credit = lines.filtered(lambda line: line.account_id == credit_account)
        self.assertAlmostEqual(sum(credit.mapped("credit")), 100, 2, "the top-up credits the liability")
        self.assertAlmostEqual(sum(credit.mapped("debit")), 40, 2, "paying from credit debits it")
        self.assertAlmostEqual(-sum(credit.mapped("balance")), self.card.points, 2, "liability = what is owed")
        revenue = lines.filtered(lambda line: line.account_id.account_type in ("income", "income_other"))
        self.assertAlmostEqual(-sum(revenue.mapped("balance")), 28 + 20 + 12, 2, "revenue only on what was sold")
        self.assertAlmostEqual(sum(self.session.order_ids.payment_ids.mapped("amount")), 100 + 20, 2, "cash taken")

    def test_negative_limit(self):
        self.customer.randevu_credit_limit = 30  # as the admin
        self.card.points = 10
        # 35 from a balance of 10: -25, within the limit of 30.
        validate = self.env["pos.order"].with_user(self.desk).validate_coupon_programs
        self.assertTrue(validate({str(self.card.id): -35}, [])["successful"])
        reward = self.reward_line(self.credit_reward, self.card, 35)
        data = self.order_data(self.session, self.checkout_lines(self.cut_appt, extra=[reward]))
        self.sync(data)
        self.confirm_points(self.order_of(data), self.card, -35)
        self.assertEqual(self.card.points, -25)
        self.assertEqual(self.cut_appt.payment_state, "paid")
        # 10 more would be -35: refused, at validation and at the sync, with nothing saved.
        answer = validate({str(self.card.id): -10}, [])
        self.assertFalse(answer["successful"])
        self.assertIn("credit limit", answer["payload"]["message"])
        reward = self.reward_line(self.credit_reward, self.card, 10)
        data = self.order_data(self.session, self.checkout_lines(self.blow_appt, extra=[reward]))
        with self.assertRaisesRegex(UserError, "beyond the credit limit"), self.env.cr.savepoint():
            self.sync(data)
        self.assertFalse(self.order_of(data))
        self.assertEqual(self.blow_appt.payment_state, "not_paid")
        self.assertEqual(self.card.points, -25)

    def test_points_cost_never_below_the_money(self):
        # A line taking 30 from a balance of 20 while claiming to cost 1 point is refused.
        self.card.points = 20
        reward = self.reward_line(self.credit_reward, self.card, 30, points=1)
        data = self.order_data(self.session, self.checkout_lines(self.cut_appt, extra=[reward]))
        with self.assertRaisesRegex(UserError, "credit limit"), self.env.cr.savepoint():
            self.sync(data)
        self.assertFalse(self.order_of(data))

    def test_no_limit_no_negative(self):
        self.card.points = 5
        validate = self.env["pos.order"].with_user(self.desk).validate_coupon_programs
        self.assertFalse(validate({str(self.card.id): -6}, [])["successful"])
        reward = self.reward_line(self.credit_reward, self.card, 6)
        data = self.order_data(self.session, self.checkout_lines(self.cut_appt, extra=[reward]))
        with self.assertRaisesRegex(UserError, "credit limit"), self.env.cr.savepoint():
            self.sync(data)
        self.assertFalse(self.order_of(data))
        self.assertEqual(self.cut_appt.payment_state, "not_paid")
