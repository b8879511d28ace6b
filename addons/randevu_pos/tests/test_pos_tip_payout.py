from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .refund_common import RandevuPosRefundCase

MANAGER = "base.group_user,randevu_calendar.group_randevu_manager"


@tagged("post_install", "-at_install")
class TestPosTipPayout(RandevuPosRefundCase):
    """Pay Out Tips: each staff member's tips of a closed session, paid from a cash
    journal by one entry each (Tips Payable debited), reconciled with the session's Tips
    Payable item, and never paid twice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.config.iface_tipproduct = True
        cls.tip = cls.config.tip_product_id
        cls.manager = cls.make_user("tips_mgr", MANAGER, cls.branch, companies=cls.branch | cls.branch.parent_id)

    def setUp(self):
        super().setUp()
        self.freeze_noon()
        session = self.open_session()
        self.sync(self.order_data(session, self.checkout_lines(self.cut_appt, extra=[(self.tip, 5, {})])))
        self.sync(
            self.order_data(
                session,
                self.checkout_lines(self.blow_appt, extra=[(self.tip, 3, {"randevu_employee_id": self.bruno.id})]),
            )
        )
        unassigned = self.order_data(
            session,
            [(self.shampoo, 12, {"randevu_employee_id": self.anna.id}), (self.shampoo, 12, {}), (self.tip, 2, {})],
        )
        unassigned["lines"][1][2]["randevu_employee_id"] = self.bruno.id
        self.sync(unassigned)
        session.action_pos_session_closing_control()
        self.session = session
        self.tips_account = self.tip.with_company(self.branch).property_account_income_id

    def wizard(self, user=None):
        return (
            self.env["randevu.tip.payout.wizard"]
            .with_user(user or self.manager)
            .with_company(self.branch)
            .create(
                {
                    "company_id": self.branch.id,
                    "date_from": self.today,
                    "date_to": self.today,
                    "journal_id": self.cash_journal.id,
                }
            )
        )

    def test_pay_out_once(self):
        wizard = self.wizard()
        self.assertEqual(
            [(line.employee_id, line.amount) for line in wizard.line_ids], [(self.anna, 5), (self.bruno, 3)]
        )
        stale = self.wizard()  # opened at the same time
        self.assertEqual(len(stale.line_ids), 2)
        action = wizard.action_pay_out()
        moves = self.env["account.move"].browse(action["domain"][0][2])
        self.assertEqual(len(moves), 2)
        for move in moves:
            self.assertEqual(move.state, "posted")
            self.assertAlmostEqual(sum(move.line_ids.mapped("balance")), 0, 2)
        anna_move = moves.filtered(lambda move: move.line_ids.partner_id == self.anna.work_contact_id)
        debit = anna_move.line_ids.filtered(lambda line: line.account_id == self.tips_account)
        credit = anna_move.line_ids - debit
        self.assertEqual((debit.debit, credit.credit, credit.account_id), (5, 5, self.cash_journal.default_account_id))
        self.assertTrue(debit.reconciled, "reconciled with the session's Tips Payable item")
        session_item = self.session.move_id.line_ids.filtered(lambda line: line.account_id == self.tips_account)
        self.assertEqual((session_item.credit, session_item.amount_residual), (10, -2), "the unassigned 2 left")
        balance = sum(
            self.env["account.move.line"].search([("account_id", "=", self.tips_account.id)]).mapped("balance")
        )
        self.assertEqual(balance, -2, "Tips Payable holds only what is not paid out")
        tip_lines = self.session.order_ids.lines.filtered("randevu_is_tip")
        self.assertEqual(
            {line.randevu_employee_id.name: line.randevu_tip_payout_move_id for line in tip_lines},
            {"Anna": anna_move, "Bruno": moves - anna_move, False: self.env["account.move"]},
        )
        # Paying again: nothing left to pay, and a payout opened before is refused.
        self.assertFalse(self.wizard().line_ids)
        with self.assertRaisesRegex(UserError, "no tips to pay out"), self.env.cr.savepoint():
            self.wizard().action_pay_out()
        with self.assertRaisesRegex(UserError, "paid out or changed meanwhile"), self.env.cr.savepoint():
            stale.action_pay_out()
        self.assertEqual(self.env["account.move"].search_count([("ref", "=like", "Tips Anna,%")]), 1, "paid once")

    def test_who_pays_out(self):
        accountant = self.make_user("tips_acc", "base.group_user,account.group_account_invoice", self.branch)
        self.assertEqual(len(self.wizard(accountant).line_ids), 2)
        for user in (self.desk, self.boss):
            with self.subTest(user=user.login), self.assertRaises(AccessError), self.env.cr.savepoint():
                self.wizard(user)
        tip_line = self.session.order_ids.lines.filtered("randevu_is_tip")[:1]
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            tip_line.with_user(self.boss).write({"randevu_tip_payout_move_id": self.session.move_id.id})
