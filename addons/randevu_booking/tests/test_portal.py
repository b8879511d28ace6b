from datetime import timedelta

from odoo.tests import tagged

from odoo.addons.randevu_booking.models.randevu_online_booking import format_start

from .common import RandevuBookingCase


@tagged("post_install", "-at_install")
class TestPortal(RandevuBookingCase):
    """/my/appointments: a portal customer's list, and each appointment's page, move,
    cancel and .ics for its customer or its access token, never anyone else's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = cls.make_portal_customer("booking_customer", "+33611220099")
        cls.paula = cls.portal_user.partner_id
        cls.upcoming = cls._online_appointment(cls.local(cls.day, 10), cls.paula)
        cls.past = cls._online_appointment(cls.local(cls.day - timedelta(days=14), 10), cls.paula)
        cls.others = cls._online_appointment(cls.local(cls.day, 15), cls.customer)
        cls.upcoming._portal_ensure_token()

    def page(self, appointment, suffix="", token=None, **params):
        if token:
            params["access_token"] = token
        query = "&".join(f"{key}={value}" for key, value in params.items())
        return f"/my/appointments/{appointment.id}{suffix}" + (f"?{query}" if query else "")

    def as_paula(self):
        self.authenticate("booking_customer", "booking_customer")

    # ------------------------------------------------------------------ list and access
    def test_list_shows_own_upcoming_and_past(self):
        self.as_paula()
        response = self.url_open("/my/appointments")
        self.assertEqual(response.status_code, 200)
        upcoming, past = response.text.split("o_randevu_portal_past")
        self.assertIn(self.page(self.upcoming), upcoming)
        self.assertIn(self.page(self.past), past)
        self.assertNotIn(self.page(self.others), response.text)
        self.assertIn("/my/appointments", self.url_open("/my").text, "a card on the portal home")

    def test_list_needs_login(self):
        response = self.url_open("/my/appointments", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])

    def test_page_for_the_customer_or_the_token_only(self):
        token = self.upcoming.access_token
        self.assertEqual(self.url_open(self.page(self.upcoming, token=token)).status_code, 200, "the token")
        for url in (
            self.page(self.upcoming),
            self.page(self.upcoming, token="wrong"),
            self.page(self.others, token=token),
            "/my/appointments/999999",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.url_open(url).status_code, 404)
        self.as_paula()
        response = self.url_open(self.page(self.upcoming))
        self.assertEqual(response.status_code, 200, "her own, without a token")
        self.assertIn("10:00 AM", response.text)
        self.assertEqual(self.url_open(self.page(self.others)).status_code, 404, "another customer's")

    def test_confirmation_links_to_the_page(self):
        token = self.upcoming.access_token
        response = self.url_open(f"/book/confirmation/{self.upcoming.id}?access_token={token}")
        self.assertIn(f'href="{self.page(self.upcoming, token=token)}"', response.text)
        self.assertIn(f'href="{self.page(self.upcoming, "/ics", token=token)}"', response.text)

    # ------------------------------------------------------------------ cancel
    def test_cancel_within_the_cutoff(self):
        token = self.upcoming.access_token
        response = self.url_open(self.page(self.upcoming, "/cancel", token=token))
        self.assertEqual(response.status_code, 200)
        self.assertIn("Yes, cancel it", response.text)
        response = self.post_form(self.page(self.upcoming, "/cancel", token=token))
        self.assertEqual(response.status_code, 200)
        self.assertIn("Your appointment is cancelled.", response.text)
        self.assertEqual(self.upcoming.state, "cancelled")
        self.assertEqual(self.upcoming.cancel_reason, "Cancelled online by the customer")

    def test_cancel_after_the_cutoff_names_the_phone(self):
        self.branch.randevu_cancel_cutoff = 24 * 30
        token = self.upcoming.access_token
        response = self.url_open(self.page(self.upcoming, "/cancel", token=token))
        self.assert_refused(response, 409, "It is too late to move or cancel this appointment online")
        response = self.post_form(self.page(self.upcoming, "/cancel", token=token))
        self.assert_refused(response, 409, "(720 hours before at the latest). Please call us at +33142000000.")
        self.assertEqual(self.upcoming.state, "booked")
        page = self.url_open(self.page(self.upcoming, token=token)).text
        self.assertIn("Please call us at +33142000000.", page)
        self.assertNotIn("o_randevu_move", page)

    def test_cancel_refused_without_csrf_token_or_access(self):
        token = self.upcoming.access_token
        response = self.post_form(self.page(self.upcoming, "/cancel", token=token), csrf_token=None)
        self.assert_refused(response, 400, "This page has expired. Please try again.")
        self.assertEqual(self.post_form(self.page(self.upcoming, "/cancel", token="wrong")).status_code, 404)
        self.as_paula()
        self.assertEqual(self.post_form(self.page(self.others, "/cancel")).status_code, 404)
        self.assertEqual((self.upcoming | self.others).mapped("state"), ["booked", "booked"])

    def test_cancel_twice(self):
        self.upcoming.action_cancel()
        response = self.post_form(self.page(self.upcoming, "/cancel", token=self.upcoming.access_token))
        self.assert_refused(response, 409, "This appointment can no longer be changed.")

    # ------------------------------------------------------------------ move
    def test_move_to_a_free_time(self):
        self.as_paula()
        url = self.page(self.upcoming, "/reschedule")
        response = self.url_open(f"{url}?day={self.day.isoformat()}")
        self.assertEqual(response.status_code, 200)
        eleven = format_start(self.local(self.day, 11))
        self.assertIn(f'data-start="{eleven}"', response.text)
        self.assertNotIn(f'data-start="{format_start(self.upcoming.start)}"', response.text, "its own time")
        response = self.post_form(url, start=eleven)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Your appointment is moved.", response.text)
        self.assertEqual(self.upcoming.start, self.local(self.day, 11))
        self.assertEqual(self.upcoming.employee_id, self.anna, "the same stylist when free")

    def test_move_a_little_later_over_its_own_time(self):
        """10:00 → 10:15 with the same stylist: her only appointment then is this one,
        so its own time counts as free (Bruno is away all morning)."""
        self.env["randevu.appointment"].create(
            {
                "company_id": self.branch.id,
                "employee_id": self.bruno.id,
                "start": self.local(self.day, 9),
                "duration": 4.0,
            }
        )
        self.as_paula()
        url = self.page(self.upcoming, "/reschedule")
        quarter_past = format_start(self.local(self.day, 10) + timedelta(minutes=15))
        response = self.url_open(f"{url}?day={self.day.isoformat()}")
        self.assertIn(f'data-start="{quarter_past}"', response.text)
        response = self.post_form(url, start=quarter_past)
        self.assertIn("Your appointment is moved.", response.text)
        self.assertEqual(self.upcoming.start, self.local(self.day, 10) + timedelta(minutes=15))
        self.assertEqual(self.upcoming.employee_id, self.anna)

    def test_move_to_a_taken_time(self):
        self._online_appointment(self.local(self.day, 11), self.customer, self.anna)
        self._online_appointment(self.local(self.day, 11), self.customer, self.bruno)
        token = self.upcoming.access_token
        response = self.post_form(
            self.page(self.upcoming, "/reschedule", token=token), start=format_start(self.local(self.day, 11))
        )
        self.assert_refused(response, 409, "Sorry, this time was just taken. Please pick another one.")
        self.assertEqual(self.upcoming.start, self.local(self.day, 10))

    def test_move_refused(self):
        token = self.upcoming.access_token
        url = self.page(self.upcoming, "/reschedule", token=token)
        past = format_start(self.local(self.day - timedelta(days=10), 11))
        for start, status, message in (
            (past, 409, "This time is in the past. Please pick another one."),
            (format_start(self.local(self.day, 7)), 409, "This time is not available. Please pick another one."),
            ("soon", 400, "Please pick a time."),
            (None, 400, "Please pick a time."),
        ):
            with self.subTest(start=start):
                self.assert_refused(self.post_form(url, start=start), status, message)
        response = self.post_form(url, start=format_start(self.local(self.day, 11)), csrf_token="")
        self.assert_refused(response, 400, "This page has expired. Please try again.")
        self.branch.randevu_cancel_cutoff = 24 * 30
        response = self.post_form(url, start=format_start(self.local(self.day, 11)))
        self.assert_refused(response, 409, "It is too late to move or cancel this appointment online")
        self.assertEqual(self.upcoming.start, self.local(self.day, 10))
        self.assertEqual(self.post_form(self.page(self.others, "/reschedule", token=token)).status_code, 404)

    # ------------------------------------------------------------------ add to calendar
    def test_ics(self):
        response = self.url_open(self.page(self.upcoming, "/ics", token=self.upcoming.access_token))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.headers["Content-Type"].startswith("text/calendar"))
        self.assertIn("attachment", response.headers["Content-Disposition"])
        text = response.text.replace("\r\n ", "")
        self.assertIn(f"DTSTART:{self.upcoming.start:%Y%m%dT%H%M%S}Z", text)
        self.assertIn(f"DTEND:{self.upcoming.stop:%Y%m%dT%H%M%S}Z", text)
        self.assertIn("SUMMARY:Haircut - Salon Paris", text)
        self.assertIn("With Anna", text)
        self.assertEqual(self.url_open(self.page(self.upcoming, "/ics", token="wrong")).status_code, 404)
