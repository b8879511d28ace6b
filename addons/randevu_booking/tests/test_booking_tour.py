from odoo.tests import tagged

from .common import RandevuBookingCase


@tagged("post_install", "-at_install")
class TestBookingTour(RandevuBookingCase):
    """In Chromium at a phone's width (360 px), as a visitor without an account: branch,
    category, service, anyone, later dates, a day, a time, details, confirmation."""

    browser_size = "360x740"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._make_branch("Lyon", "Europe/Paris").randevu_online_booking = True  # the branch step is shown

    def test_guest_booking_at_phone_width(self):
        appointments, partners = self.counts()
        self.start_tour("/book", "randevu_booking_guest_tour", login=None)
        appointment = self.Appointment.search([("partner_id.phone", "=", "+33655443321")])
        self.assertEqual(len(appointment), 1)
        self.assertEqual(self.counts(), (appointments + 1, partners + 1))
        self.assertRecordValues(
            appointment,
            [
                {
                    "company_id": self.branch.id,
                    "service_id": self.haircut.id,
                    "source": "website",
                    "state": "booked",
                }
            ],
        )
        self.assertEqual(appointment.partner_id.name, "Tour Guest")
        self.assertEqual(appointment.partner_id.email, "tour.guest@example.com")
        self.assertIn(appointment.employee_id, self.anna | self.bruno)
        booking = self.env["randevu.online.booking"]
        first_days, _next_day = booking._bookable_days(self.branch, self.haircut)
        self.assertGreater(booking._local_day(self.branch, appointment.start), first_days[-1], "a later date")
