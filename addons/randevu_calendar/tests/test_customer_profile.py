from datetime import datetime

from odoo.tests import tagged

from .common import RandevuCase


@tagged("post_install", "-at_install")
class TestCustomerProfile(RandevuCase):
    def test_counts_last_visit_and_total_spent(self):
        # 2031 is in the future: active appointments also count as upcoming.
        first = self.book(datetime(2031, 1, 6, 8))
        second = self.book(datetime(2031, 1, 6, 9))
        no_show = self.book(datetime(2031, 1, 6, 10))
        cancelled = self.book(datetime(2031, 1, 6, 11))
        self.book(datetime(2031, 1, 6, 13))  # still booked: upcoming
        for appointment in first | second:
            appointment.action_done()
        first.price, second.price = 40, 55
        no_show.action_no_show()
        cancelled.action_cancel()
        other = self.env["res.partner"].create({"name": "Someone else"})
        self.book(datetime(2031, 1, 6, 8), staff=self.bruno, partner_id=other.id).action_done()

        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.randevu_visit_count, 2)
        self.assertEqual(self.customer.randevu_noshow_count, 1)
        self.assertEqual(self.customer.randevu_cancel_count, 1)
        self.assertEqual(self.customer.randevu_upcoming_count, 1, "only what is still to happen is upcoming")
        self.assertEqual(self.customer.randevu_last_visit, datetime(2031, 1, 6, 9))
        self.assertEqual(self.customer.randevu_total_spent, 95)
        self.assertEqual(other.randevu_visit_count, 1, "another customer's visits are not mixed in")

    def test_profile_smart_button_opens_own_appointments(self):
        mine = self.book(datetime(2031, 1, 6, 8))
        action = self.customer.action_randevu_appointments()
        self.assertEqual(self.env["randevu.appointment"].search(action["domain"]), mine)
