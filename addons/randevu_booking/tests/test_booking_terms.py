import html
import re
from urllib.parse import urlsplit

from odoo.tests import tagged

from odoo.addons.randevu_booking.models.randevu_online_booking import format_start
from odoo.addons.randevu_calendar.exceptions import TermsChanged

from .common import RandevuBookingCase


@tagged("post_install", "-at_install")
class TestBookingTerms(RandevuBookingCase):
    """What the customer is shown before confirming is what is booked and charged:
    a staff member's own duration and price (randevu.service.staff), with "anyone"
    too, where the engine's choice of staff member decides them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Anna: her own 45 minutes at 55; Bruno: the service's hour at 45. Anna comes
        # first on the list: "anyone" gives her a time when both are free.
        cls.womens = cls._make_service(
            "Women's haircut", 1.0, cls.anna | cls.bruno, list_price=45, categ_id=cls.hair.id
        )
        cls.womens.randevu_staff_line_ids.filtered(lambda line: line.employee_id == cls.anna).write(
            {"duration": 0.75, "price": 55}
        )
        cls.start = cls.local(cls.day, 10)

    def summary(self, response):
        """The duration and price of the details page's summary, as a visitor reads them."""
        found = re.search(r'class="[^"]*o_randevu_summary_terms[^"]*">(.*?)</p>', response.text, re.S)
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())

    def details(self, staff=""):
        return self.url_open(f"{self.url(self.womens, 'details')}?start={format_start(self.start)}&staff={staff}")

    def confirm(self, page, staff=""):
        """The details form of `page` sent as the browser sends it."""
        fields = dict(re.findall(r'<input type="hidden" name="(start|terms)" value="([^"]*)"', page.text))
        data = self.booking_data(
            service=self.womens, start=fields["start"], terms=fields["terms"], staff=staff, phone="06 98 76 54 31"
        )
        return self.url_open(self.url(self.womens, "confirm"), data=data, allow_redirects=False)

    def booked(self, response):
        self.assertEqual(response.status_code, 303, html.unescape(response.text)[:2000])
        location = urlsplit(response.headers["Location"])
        return self.Appointment.browse(int(location.path.rsplit("/", 1)[1]))

    def assert_shown(self, summary, appointment):
        booking = self.env["randevu.booking.service"]
        self.assertIn(booking._duration_label(appointment.duration), summary)
        self.assertIn(f"{appointment.price:.2f}", summary)

    def test_anyone_shows_and_books_the_staff_members_terms(self):
        page = self.details()
        summary = self.summary(page)
        self.assertIn("45 min", summary)
        self.assertIn("55.00", summary)
        self.assertNotIn("1 h", summary)
        appointment = self.booked(self.confirm(page))
        self.assertRecordValues(appointment, [{"employee_id": self.anna.id, "duration": 0.75, "price": 55}])
        self.assert_shown(summary, appointment)

    def test_chosen_staff_member_terms(self):
        for staff, duration, price in ((self.anna, 0.75, 55), (self.bruno, 1.0, 45)):
            with self.subTest(staff=staff.name):
                page = self.details(staff.id)
                summary = self.summary(page)
                appointment = self.booked(self.confirm(page, staff=str(staff.id)))
                self.assertRecordValues(appointment, [{"employee_id": staff.id, "duration": duration, "price": price}])
                self.assert_shown(summary, appointment)
                appointment.unlink()

    def test_service_list_gives_the_range(self):
        response = self.url_open(f"{self.url()}?category={self.hair.id}")
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.text)).split())
        self.assertRegex(text, r"Women's haircut From \S*\s?45\.00\S* 45 min to 1 h", "the lowest price, and the range")
        response = self.url_open(f"{self.url()}?category={self.hair.id}&staff={self.bruno.id}")
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.text)).split())
        self.assertNotIn("45 min to 1 h", text, "one staff member: their figures")

    def test_time_given_to_another_staff_member_meanwhile(self):
        """The page showed Anna's 45 minutes at 55; she is booked meanwhile and
        "anyone" now gives the time to Bruno: the confirmation shows his figures
        and books nothing until the customer confirms them."""
        page = self.details()
        self.assertIn("55.00", self.summary(page))
        self.book(self.local(self.day, 9, 30), staff=self.anna, service=self.haircut)  # Anna busy until 10:15
        before = self.counts()
        response = self.confirm(page)
        self.assert_refused(response, 409, "The duration or price of this time has changed")
        self.assertEqual(self.counts(), before, "nothing booked")
        summary = self.summary(response)
        self.assertIn("1 h", summary)
        self.assertIn("45.00", summary)
        appointment = self.booked(self.confirm(response))
        self.assertRecordValues(appointment, [{"employee_id": self.bruno.id, "duration": 1.0, "price": 45}])
        self.assert_shown(summary, appointment)

    def test_junk_or_missing_terms_book_nothing(self):
        before = self.counts()
        for terms in (None, "", "60/45.00", "45/1.00"):
            with self.subTest(terms=terms):
                data = self.booking_data(service=self.womens, terms=terms)
                response = self.url_open(self.url(self.womens, "confirm"), data=data, allow_redirects=False)
                self.assert_refused(response, 409, "The duration or price of this time has changed")
                self.assertIn('name="terms" value="45/55.00"', response.text, "Anna's, to confirm")
        self.assertEqual(self.counts(), before)

    def test_book_refuses_other_terms(self):
        """The last check, after the engine picked the staff member: all or nothing."""
        before = self.counts()
        booking = self.env["randevu.booking.service"]
        details = {"name": "Terms Guest", "phone": "+33698765432", "email": "", "note": ""}
        with self.assertRaises(TermsChanged):
            booking._book(self.branch, self.womens, None, self.start, details, terms="60/45.00")
        self.assertEqual(self.counts(), before, "neither the appointment nor its new customer")
        appointment = booking._book(self.branch, self.womens, None, self.start, details, terms="45/55.00")
        self.assertEqual(appointment.employee_id, self.anna)

    def test_deposit_on_the_price_booked(self):
        self.womens.write({"randevu_deposit_type": "percent", "randevu_deposit_value": 50})
        booking = self.env["randevu.booking.service"]
        details = {"name": "Terms Guest", "phone": "+33698765432", "email": "", "note": ""}
        appointment = booking._book(self.branch, self.womens, None, self.start, details, terms="45/55.00")
        self.assertEqual(appointment.randevu_deposit_amount, 27.5, "half of Anna's 55")
