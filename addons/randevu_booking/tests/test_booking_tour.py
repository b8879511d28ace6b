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
        booking = self.env["randevu.booking.service"]
        first_days, _next_day = booking._bookable_days(self.branch, self.haircut)
        self.assertGreater(self.branch._randevu_local_day(appointment.start), first_days[-1], "a later date")


@tagged("post_install", "-at_install")
class TestDepositTour(RandevuBookingCase):
    """In Chromium at 360 px, as a visitor: a service with a deposit, held while the
    deposit is paid with Odoo's demo provider through the real payment form, then the
    confirmation. Needs payment_demo (installed next to us by scripts/run_tests.py)."""

    browser_size = "360x740"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.deposit.list_price = 120
        cls.providers = cls.env["res.company"]._randevu_setup_demo_payment_provider(cls.branch.ids)

    def test_demo_provider_set_up_in_test_mode_per_branch(self):
        if not self.providers:
            self.skipTest("payment_demo is not installed")
        self.assertRecordValues(
            self.providers, [{"code": "demo", "state": "test", "is_published": True, "company_id": self.branch.id}]
        )
        again = self.env["res.company"]._randevu_setup_demo_payment_provider(self.branch.ids)
        self.assertEqual(again, self.providers, "idempotent")
        # The demo data did the same for both demo branches (make run).
        for xmlid in ("randevu_calendar.randevu_branch_kadikoy", "randevu_calendar.randevu_branch_paris"):
            branch = self.env.ref(xmlid, raise_if_not_found=False)
            if branch:
                provider = self.env["payment.provider"].search([("code", "=", "demo"), ("company_id", "=", branch.id)])
                self.assertRecordValues(provider, [{"state": "test", "is_published": True}])
                self.assertIn(provider, self.env["payment.provider"]._get_compatible_providers(branch.id, 1, 50.0))

    def test_guest_pays_the_deposit_with_the_demo_form(self):
        if not self.providers:
            self.skipTest("payment_demo is not installed")
        self.start_tour(f"/book/{self.branch.id}?category={self.hair.id}", "randevu_booking_deposit_tour", login=None)
        appointment = self.Appointment.search([("partner_id.phone", "=", "+33655443377")])
        self.assertEqual(len(appointment), 1)
        self.assertRecordValues(
            appointment,
            [
                {
                    "service_id": self.deposit.id,
                    "state": "confirmed",
                    "payment_state": "deposit",
                    "randevu_deposit_amount": 50,
                    "randevu_deposit_paid": 50,
                    "randevu_hold_until": False,
                }
            ],
        )
        transactions = appointment.randevu_transaction_ids
        self.assertEqual(len(transactions), 1)
        self.assertRecordValues(transactions, [{"state": "done", "amount": 50, "provider_id": self.providers.id}])
        confirmations = appointment.randevu_message_ids.filtered(lambda msg: msg.kind == "confirmation")
        self.assertEqual(len(confirmations), 1, "one confirmation, once paid")
