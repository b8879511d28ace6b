from odoo.tests import HttpCase, tagged

from .common_credit import RandevuCreditCase
from .refund_common import RandevuPosRefundCase


@tagged("post_install", "-at_install")
class TestPosRefundCreditTour(HttpCase, RandevuPosRefundCase, RandevuCreditCase):
    """The front desk at the till (Chromium): checks Chloé's visit out in cash, refunds
    the cut (reason, Mara's PIN) and presses Refund to Account Credit: the top-up is
    added at 28, the refund totals 0, no money leaves the till and her card is credited."""

    def test_refund_credit_tour(self):
        self.card.points = 5
        self.open_session()
        self.start_tour(f"/pos/ui?config_id={self.config.id}", "randevu_pos_refund_credit_tour", login="pos_desk")
        refund = self.cut_appt.randevu_pos_order_id
        self.assertEqual((refund.state, refund.amount_total), ("paid", 0))
        self.assertFalse(refund.payment_ids, "no money leaves the till")
        self.assertEqual(refund.randevu_refund_approved_by_id, self.boss)
        topup = refund.lines.filtered(lambda line: line.product_id == self.topup)
        self.assertEqual(topup.price_subtotal_incl, 28)
        self.assertEqual(self.card.points, 5 + 28, "the money is on her account credit")
        self.assertEqual(self.cut_appt.payment_state, "not_paid")
