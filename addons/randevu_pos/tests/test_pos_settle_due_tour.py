from odoo.tests import HttpCase, tagged

from .test_pos_settle_due import RandevuPosSettleDueCase


@tagged("post_install", "-at_install")
class TestPosSettleDueTour(HttpCase, RandevuPosSettleDueCase):
    """Chloé left her visit (48) on her account in an earlier session; the front desk
    sees it in the customer list, settles 20 in cash at the till (Chromium); closing
    leaves her owing 28, the cash holding 20 and no revenue."""

    def test_settle_due_tour(self):
        session = self.open_session()
        self.leave_on_account(session)
        self.close(session)
        session = self.open_session()
        self.start_tour(f"/pos/ui?config_id={self.config.id}", "randevu_pos_settle_due_tour", login="pos_desk")
        order = session.order_ids
        self.assertEqual(len(order), 1)
        self.assertFalse(order.lines)
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(
            sorted((payment.payment_method_id.name, payment.amount) for payment in order.payment_ids),
            [("Cash", 20), ("Customer Account", -20)],
        )
        move = self.close(session)
        self.assertFalse(move.line_ids.filtered(lambda line: line.account_id.account_type == "income"))
        self.assertEqual(self.cash_balance(), 20)
        self.assertEqual(self.receivable_balance(), 28)
        self.assertEqual(self.due(), 28)
