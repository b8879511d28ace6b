from odoo import http
from odoo.tests import tagged

from .common import RandevuBookingCase

# Dates at Python's limits: any arithmetic on them (day bounds, the nearest free
# times, timezones) overflows.
FAR_DAY, FIRST_DAY = "9999-12-31", "0001-01-01"
FAR_START, FIRST_START = "9999-12-31T23:45", "0001-01-01T00:00"
PAST_DAY = "This day is in the past. Please pick another one."
PAST_TIME = "This time is in the past. Please pick another one."


@tagged("post_install", "-at_install")
class TestBookingDates(RandevuBookingCase):
    """Every day and time a visitor sends is bounded to today … the booking horizon
    before anything is computed from it, and answered with the usual message: never
    a server error, whichever route takes it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ahead = f"Online bookings open {cls.branch.randevu_horizon_days} days ahead."
        cls.far_day, cls.far_time = f"{ahead} Please pick an earlier day.", f"{ahead} Please pick an earlier time."

    def assert_json_error(self, response, message):
        self.assertEqual(response.status_code, 400, response.text[:500])
        self.assertEqual(response.json()["error"]["message"], message)

    def test_slots_json(self):
        url = self.url(self.haircut, "slots")
        self.assert_json_error(self.url_open(f"{url}?day={FAR_DAY}"), self.far_day)
        self.assert_json_error(self.url_open(f"{url}?day={FIRST_DAY}"), PAST_DAY)

    def test_days_json(self):
        url = self.url(self.haircut, "days")
        self.assert_json_error(self.url_open(f"{url}?from_day={FAR_DAY}"), self.far_day)
        self.assert_json_error(self.url_open(f"{url}?from_day={FIRST_DAY}&staff={self.anna.id}"), PAST_DAY)

    def test_time_page(self):
        for query, message in (
            (f"day={FAR_DAY}", self.far_day),
            (f"from_day={FIRST_DAY}", PAST_DAY),
            (f"day={FIRST_DAY}&from_day={FAR_DAY}", PAST_DAY),
        ):
            with self.subTest(query=query):
                response = self.url_open(f"{self.url(self.haircut, 'time')}?{query}")
                self.assert_refused(response, 400, message)
                self.assertIn("o_randevu_day", response.text, "the days from today, to pick from")

    def test_details_page(self):
        for start, message in ((FAR_START, self.far_time), (FIRST_START, PAST_TIME)):
            with self.subTest(start=start):
                response = self.url_open(f"{self.url(self.haircut, 'details')}?start={start}")
                self.assert_refused(response, 409, message)
                self.assertNotIn("o_randevu_details_form", response.text, "nothing to submit at that time")

    def test_confirm(self):
        before = self.counts()
        for start, message in ((FAR_START, self.far_time), (FIRST_START, PAST_TIME)):
            for staff in ("", str(self.anna.id)):
                with self.subTest(start=start, staff=staff):
                    self.assert_refused(self.post_booking(start=start, staff=staff), 409, message)
        self.assertEqual(self.counts(), before)

    def test_waitlist(self):
        url = self.url(self.haircut, "waitlist")
        for day, message in ((FAR_DAY, self.far_day), (FIRST_DAY, PAST_DAY)):
            with self.subTest(day=day):
                self.assert_refused(self.url_open(f"{url}?day={day}"), 400, message)
                data = {
                    "csrf_token": http.Request.csrf_token(self),
                    "day": day,
                    "staff": "",
                    "name": "Camille Guest",
                    "phone": "06 98 76 54 01",
                    "email": "",
                }
                self.assert_refused(self.url_open(url, data=data), 400, message)
        self.assertFalse(self.env["randevu.waitlist"].search_count([("company_id", "=", self.branch.id)]))

    def test_portal_reschedule(self):
        appointment = self.book(self.local(self.day, 10), source="website")
        appointment._portal_ensure_token()
        url = f"/my/appointments/{appointment.id}/reschedule?access_token={appointment.access_token}"
        for query, message in ((f"day={FAR_DAY}", self.far_day), (f"from_day={FIRST_DAY}", PAST_DAY)):
            with self.subTest(query=query):
                response = self.url_open(f"{url}&{query}")
                self.assert_refused(response, 400, message)
                self.assertIn("o_randevu_day", response.text, "the days from today, to pick from")
        for start, message in ((FAR_START, self.far_time), (FIRST_START, PAST_TIME)):
            with self.subTest(start=start):
                data = {"csrf_token": http.Request.csrf_token(self), "start": start}
                self.assert_refused(self.url_open(url, data=data), 409, message)
        self.assertEqual(appointment.start, self.local(self.day, 10), "not moved")
