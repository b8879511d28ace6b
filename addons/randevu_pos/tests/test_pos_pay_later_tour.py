from odoo.tests import HttpCase, tagged

from .test_pos_pay_later import RandevuPosPayLaterCase


@tagged("post_install", "-at_install")
class TestPosPayLaterTour(HttpCase, RandevuPosPayLaterCase):
    """The front desk leaves Chloé's visit on her account at the till (Chromium); closing
    puts it on her receivable, which Settle Due then pays."""

    def test_pay_later_tour(self):
        session = self.open_session()
        self.start_tour(f"/pos/ui?config_id={self.config.id}", "randevu_pos_pay_later_tour", login="pos_desk")
        order = self.cut_appt.randevu_pos_order_id
        self.assertEqual(order.payment_ids.payment_method_id, self.on_account)
        self.assertEqual((self.cut_appt | self.blow_appt).mapped("payment_state"), ["paid", "paid"])
        self.close(session)
        self.assertEqual(self.receivable_balance(), 48)
        self.settle()
        self.assertEqual(self.receivable_balance(), 0)
