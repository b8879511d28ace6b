from odoo.tests import HttpCase, tagged

from .commission_common import RandevuCommissionCase


@tagged("post_install", "-at_install")
class TestCommissionTour(HttpCase, RandevuCommissionCase):
    """A Randevu manager who is not an accountant (Chromium) opens January's commission
    period, computes it (131.00, Anna 122.00: the hand computation) and approves it."""

    def test_period_tour(self):
        self.make_user("com_tour_boss", "randevu_calendar.group_randevu_manager", self.branch)
        self.january_sales()
        period = self.make_period()
        self.start_tour(
            "/odoo/action-randevu_pos.randevu_commission_period_action",
            "randevu_commission_period_tour",
            login="com_tour_boss",
        )
        self.assertEqual(period.state, "approved")
        self.assertEqual(period.move_id.state, "posted")
        self.assertEqual(period.move_id.amount_total, 131.0)
