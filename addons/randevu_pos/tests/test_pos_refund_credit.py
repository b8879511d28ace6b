from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_credit import RandevuCreditCase
from .refund_common import RandevuPosRefundCase


@tagged("post_install", "-at_install")
class TestPosRefundToCredit(RandevuPosRefundCase, RandevuCreditCase):
    """A refund (reason and approval as any refund) paying the money back onto the
    customer's account credit: the till adds the eWallet's top-up at the refunded
    amount, so no money leaves the till; the liability is credited, the revenue
    reversed, the performer's commission clawed back by the refund line."""

    def setUp(self):
        super().setUp()
        self.freeze_noon()
        self.session = self.open_session()
        self.order = self.checkout(self.session, self.cut_appt, self.blow_appt)
        self.cut_line = self.order.lines.filtered(lambda line: line.randevu_appointment_id == self.cut_appt)
        self.card.points = 5

    def credit_refund(self, **extra):
        data = self.refund_data(self.session, self.order, self.cut_line, reason="not_performed", **extra)
        index = len(data["lines"])
        data["lines"].append(
            (
                0,
                0,
                {
                    "product_id": self.topup.id,
                    "qty": 1,
                    "price_unit": 28,
                    "price_subtotal": 28,
                    "price_subtotal_incl": 28,
                    "tax_ids": [(6, 0, [])],
                    "pack_lot_ids": [],
                    "uuid": f"{data['uuid']}-{index}",
                },
            )
        )
        data.update(amount_total=0, amount_paid=0, payment_ids=[])
        return data

    def test_refund_to_account_credit(self):
        data = self.credit_refund(pin="4321")
        self.sync(data)
        refund = self.order_of(data)
        self.assertEqual((refund.state, refund.amount_total), ("paid", 0))
        self.assertFalse(refund.payment_ids, "no money leaves the till")
        self.assertEqual(refund.randevu_refund_approved_by_id, self.boss)
        self.assertEqual(self.card.points, 5 + 28, "the money is on the customer's account credit")
        history = self.card.history_ids
        self.assertEqual((history.issued, history.used, history.order_id), (28, 0, refund.id))
        self.assertEqual(history.description, f"Refunded to account credit: {refund.name} — Service not performed")
        refund_line = refund.lines.filtered("refunded_orderline_id")
        self.assertEqual(refund_line.randevu_employee_id, self.anna, "the commission is clawed back from it")
        self.assertEqual(self.cut_appt.payment_state, "not_paid")
        # The till's confirmation of the top-up (its new points) adds nothing.
        refund.with_user(self.desk).confirm_coupon_programs(
            {str(self.card.id): {"points": 28, "program_id": self.ewallet.id, "coupon_id": self.card.id}}
        )
        self.assertEqual(self.card.points, 33)

        self.session.action_pos_session_closing_control()
        self.assertEqual(self.session.state, "closed")
        moves = self.session._get_related_account_moves()
        for move in moves:
            self.assertAlmostEqual(sum(move.line_ids.mapped("balance")), 0, 2, f"{move.name} balances")
        lines = moves.line_ids
        credit_account = self.env["loyalty.program"]._randevu_credit_account(self.branch)
        liability = lines.filtered(lambda line: line.account_id == credit_account)
        self.assertAlmostEqual(-sum(liability.mapped("balance")), 28, 2, "the liability is credited by the refund")
        revenue = lines.filtered(lambda line: line.account_id.account_type in ("income", "income_other"))
        self.assertAlmostEqual(-sum(revenue.mapped("balance")), 20, 2, "the cut's revenue is reversed")
        self.assertEqual(
            sum(self.session.order_ids.payment_ids.mapped("amount")), 48, "the visit's cash only: none paid back"
        )

    def test_refund_to_credit_needs_approval_and_customer(self):
        points = self.card.points
        with self.assertRaisesRegex(UserError, "manager"), self.env.cr.savepoint():
            self.sync(self.credit_refund())
        data = self.credit_refund(pin="4321")
        data["partner_id"] = False
        with self.assertRaisesRegex(UserError, "choose the customer"), self.env.cr.savepoint():
            self.sync(data)
        self.assertFalse(self.order_of(data))
        self.assertEqual(self.card.points, points)
        self.assertEqual(self.cut_appt.payment_state, "paid")
