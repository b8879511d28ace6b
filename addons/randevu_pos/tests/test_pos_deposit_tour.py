from odoo.tests import HttpCase, tagged

from .test_pos_deposit import RandevuPosDepositCase


@tagged("post_install", "-at_install")
class TestPosDepositTour(HttpCase, RandevuPosDepositCase):
    """The front desk picks a visit whose cut's deposit (10) was paid online: the till
    pays that much with the Deposit method by itself, the cashier pays the rest in
    cash; closing deducts the deposit, the customer owes nothing."""

    def test_deposit_tour(self):
        self.pay_deposit(self.cut_appt, amount=10)
        session = self.open_session()
        self.start_tour(f"/pos/ui?config_id={self.config.id}", "randevu_pos_deposit_tour", login="pos_desk")
        order = self.cut_appt.randevu_pos_order_id
        self.assertEqual(order.amount_total, 48)
        self.assertEqual(
            sorted((payment.payment_method_id.name, payment.amount) for payment in order.payment_ids),
            [("Cash", 38), ("Deposit", 10)],
        )
        self.close(session)
        self.assertEqual(self.receivable_balance(), 0)
        self.assertFalse(self.cut_appt._randevu_deposit_move_lines())
