from odoo.tests import HttpCase, tagged

from .refund_common import RandevuPosRefundCase


@tagged("post_install", "-at_install")
class TestPosRefundTour(HttpCase, RandevuPosRefundCase):
    """The front desk at the till (Chromium): checks Chloé's visit out in cash, then
    refunds the cut from the ticket screen, gives the reason, has Mara type her manager's
    PIN and pays the cut back in cash. The visit is paid with a tip for Bruno."""

    def test_refund_tour(self):
        self.config.iface_tipproduct = True
        self.open_session()
        self.start_tour(f"/pos/ui?config_id={self.config.id}", "randevu_pos_refund_tour", login="pos_desk")
        order = self.blow_appt.randevu_pos_order_id
        self.assertEqual(order.amount_total, 48 + 5)
        tip = order.lines.filtered("randevu_is_tip")
        self.assertEqual(
            (tip.price_subtotal_incl, tip.randevu_employee_id), (5, self.bruno), "the tip chosen for Bruno"
        )
        refund = self.cut_appt.randevu_pos_order_id
        self.assertEqual(refund.refunded_order_id, order)
        self.assertEqual(refund.amount_total, -28)
        self.assertEqual(
            (refund.randevu_refund_reason, refund.randevu_refund_approved_by_id), ("not_performed", self.boss)
        )
        self.assertEqual([(p.payment_method_id, p.amount) for p in refund.payment_ids], [(self.cash, -28)])
        self.assertEqual(
            (refund.lines.randevu_employee_id, refund.lines.randevu_appointment_id), (self.anna, self.cut_appt)
        )
        self.assertEqual((self.cut_appt.payment_state, self.cut_appt.state), ("not_paid", "done"))
        self.assertEqual((self.blow_appt.payment_state, self.blow_appt.state), ("paid", "done"))
