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

    def test_second_till_sees_the_first_spend(self):
        # Two orders spending the same 10: the first sync takes them (the card's row
        # locked, in the order's transaction), so the second is refused at its sync,
        # before pos_loyalty's confirmation of the first came.
        self.card.points = 10
        first = self.order_data(
            self.session,
            self.checkout_lines(self.cut_appt, extra=[self.reward_line(self.credit_reward, self.card, 10)]),
        )
        self.sync(first)
        self.assertEqual(self.card.points, 0, "taken at the sync")
        history = self.card.history_ids
        self.assertEqual((history.used, history.order_id), (10, self.order_of(first).id))
        second = self.order_data(
            self.session,
            self.checkout_lines(self.blow_appt, extra=[self.reward_line(self.credit_reward, self.card, 10)]),
        )
        with self.assertRaisesRegex(UserError, "beyond the credit limit"), self.env.cr.savepoint():
            self.sync(second)
        self.assertFalse(self.order_of(second))
        # pos_loyalty's confirmation and history of the first take nothing more.
        reward = self.order_of(first).lines.filtered("is_reward_line")
        self.confirm_points(self.order_of(first), self.card, -10, reward.mapped("reward_identifier_code"))
        self.assertEqual(self.card.points, 0)
        self.assertEqual(len(self.card.history_ids), 1)
        # A second sync of the same order takes nothing either.
        self.sync(first)
        self.assertEqual(self.card.points, 0)

    def test_topup_and_payment_in_one_order(self):
        # A balance of 0 without credit limit: a top-up of 50 and 30 paid from the same
        # eWallet in one order is within the balance (the top-up counts).
        self.card.points = 0
        reward = self.reward_line(self.credit_reward, self.card, 30)
        data = self.order_data(self.session, self.checkout_lines(self.cut_appt, extra=[(self.topup, 50, {}), reward]))
        self.assertEqual(data["amount_total"], 48)
        self.sync(data)
        order = self.order_of(data)
        self.assertEqual(self.card.points, 20)
        self.assertEqual((self.card.history_ids.issued, self.card.history_ids.used), (50, 30))
        # What the till sends next (the net change, +20): nothing counted twice.
        self.confirm_points(order, self.card, 20, [reward[2]["reward_identifier_code"]])
        self.assertEqual(self.card.points, 20)
        self.assertEqual(len(self.card.history_ids), 1)
        # A top-up of 10 does not allow paying 40.
        reward = self.reward_line(self.credit_reward, self.card, 40)
        data = self.order_data(self.session, self.checkout_lines(self.blow_appt, extra=[(self.topup, 10, {}), reward]))
        with self.assertRaisesRegex(UserError, "beyond the credit limit"), self.env.cr.savepoint():
            self.sync(data)
        self.assertFalse(self.order_of(data))
        self.assertEqual(self.card.points, 20)

    def test_topup_creates_the_card(self):
        # A customer without an eWallet card tops up: the card is made at the sync, and
        # the till's new card (a negative id) is that one.
        self.card.unlink()
        data = self.order_data(self.session, [(self.topup, 70, {})])
        self.sync(data)
        order = self.order_of(data)
        card = self.env["loyalty.card"].search(
            [("program_id", "=", self.ewallet.id), ("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(card.points, 70)
        result = order.with_user(self.desk).confirm_coupon_programs(
            {"-1": {"points": 70, "program_id": self.ewallet.id, "coupon_id": -1, "barcode": False, "line_codes": []}}
        )
        self.assertEqual([update["id"] for update in result["coupon_updates"]], card.ids)
        self.assertEqual(
            self.env["loyalty.card"].search_count(
                [("program_id", "=", self.ewallet.id), ("partner_id", "=", self.customer.id)]
            ),
            1,
        )
        self.assertEqual(card.points, 70)

    def test_confirmation_checks_the_limit(self):
        # A confirmation spending beyond the limit (an order synced before the sync took
        # eWallet money, or a till sending more than its lines) is refused.
        self.customer.randevu_credit_limit = 5
        self.card.points = 10
        data = {str(self.card.id): {"points": -16, "program_id": self.ewallet.id, "coupon_id": self.card.id}}
        with self.assertRaisesRegex(UserError, "beyond the credit limit"), self.env.cr.savepoint():
            self.env["pos.order"].with_user(self.desk).confirm_coupon_programs(data)
        self.assertEqual(self.card.points, 10)
        data[str(self.card.id)]["points"] = -15
        self.env["pos.order"].with_user(self.desk).confirm_coupon_programs(data)
        self.assertEqual(self.card.points, -5)
