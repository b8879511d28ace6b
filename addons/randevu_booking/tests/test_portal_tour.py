from odoo.tests import tagged

from .common import RandevuBookingCase


@tagged("post_install", "-at_install")
class TestPortalTour(RandevuBookingCase):
    """In Chromium at a phone's width, as a portal customer: her appointments, the
    upcoming one, Move, another day, a time: moved."""

    browser_size = "360x740"

    def test_portal_reschedule(self):
        user = self.make_user("booking_tour_customer", "base.group_portal", self.env.ref("base.main_company"))
        appointment = self._online_appointment(self.local(self.day, 10), user.partner_id)
        booking = self.env["randevu.booking.service"]
        days, _next_day = booking._bookable_days(self.branch, self.haircut)
        self.start_tour("/my/appointments", "randevu_booking_portal_reschedule_tour", login=user.login)
        self.assertEqual(self.branch._randevu_local_day(appointment.start), days[2], "the third bookable day")
        self.assertEqual(appointment.state, "booked")
