import html
import re
from urllib.parse import parse_qs, urlsplit

from odoo import http
from odoo.tests import tagged

from odoo.addons.randevu_booking.models.randevu_online_booking import format_start
from odoo.addons.randevu_calendar.models.randevu_booking_service import terms_token

from .common import RandevuBookingCase


def shown_prices(text):
    """The prices the booking pages show (data-price of .o_randevu_price), as floats."""
    return [float(value) for value in re.findall(r'class="[^"]*o_randevu_price"[^>]*data-price="([\d.]+)"', text)]


@tagged("post_install", "-at_install")
class TestPricesShown(RandevuBookingCase):
    """Anna has her own price and duration for the haircut (55, 45 min), Bruno the
    service's (40, 30 min): every step shows what will be charged, taken from the
    booking service, and the appointment booked costs what was shown."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.haircut.randevu_staff_line_ids.filtered(lambda line: line.employee_id == cls.anna).write(
            {"price": 55, "duration": 0.75}
        )

    def test_staff_step_shows_each_price_and_anyone_from_the_lowest(self):
        response = self.url_open(self.url(self.haircut))
        self.assertEqual(response.status_code, 200)
        text = html.unescape(response.text)
        anyone, anna = text.split('data-staff-name="Anna"', 1)
        self.assertIn('data-price-from="1"', anyone.split("o_randevu_anyone", 1)[1], "anyone: from the lowest")
        self.assertEqual(shown_prices(anyone)[-1], 40.0)
        self.assertEqual(shown_prices(anna)[0], 55.0)
        self.assertIn("45 min", anna.split('data-staff-name="Bruno"')[0])

    def test_time_step_says_from_then_each_time_its_price(self):
        response = self.url_open(f"{self.url(self.haircut, 'time')}?day={self.day.isoformat()}")
        text = html.unescape(response.text)
        self.assertIn("o_randevu_price_hint", text)
        self.assertEqual(shown_prices(text)[0], 40.0)
        data = self.url_open(f"{self.url(self.haircut, 'slots')}?day={self.day.isoformat()}").json()
        booking = self.env["randevu.booking.service"]
        for slot_values, slot in zip(
            data["slots"], booking._day_slots(self.branch, self.haircut, None, self.day), strict=True
        ):
            price = self.haircut._randevu_duration_price(self.env["hr.employee"].browse(slot["employee_id"]))[1]
            self.assertEqual(slot_values["price"], price, slot_values["time"])
            self.assertIn(f'data-price="{price}"', data["html"])

    def test_chosen_staff_time_step_is_exact(self):
        response = self.url_open(f"{self.url(self.haircut, 'time')}?staff={self.anna.id}&day={self.day.isoformat()}")
        text = html.unescape(response.text)
        self.assertNotIn("data-price-from", text)
        self.assertEqual(shown_prices(text), [55.0])
        self.assertIn("45 min", text)

    def test_details_price_is_the_appointments(self):
        start = format_start(self.local(self.day, 10))
        details = self.url_open(f"{self.url(self.haircut, 'details')}?staff={self.anna.id}&start={start}")
        self.assertEqual(details.status_code, 200)
        text = html.unescape(details.text)
        self.assertEqual(shown_prices(text), [55.0])
        token = re.search(r'name="terms" value="([^"]+)"', text)[1]
        self.assertEqual(token, terms_token(0.75, 55, self.branch.currency_id))
        response = self.post_booking(staff=str(self.anna.id), terms=token)
        self.assertEqual(response.status_code, 303, response.text[:2000])
        appointment = self.Appointment.search([("partner_id.phone", "=", "+33698765401")])
        self.assertRecordValues(appointment, [{"employee_id": self.anna.id, "price": 55.0, "duration": 0.75}])
        confirmation = html.unescape(self.url_open(response.headers["Location"]).text)
        self.assertEqual(shown_prices(confirmation), [55.0], "the confirmation shows the price booked")
        self.assertIn("45 min", confirmation)
        # The appointment page (its token) too.
        page = self.url_open(f"/my/appointments/{appointment.id}?access_token={appointment.access_token}")
        self.assertEqual(shown_prices(html.unescape(page.text)), [55.0])

    def test_details_of_anyone_is_the_staff_the_engine_gives(self):
        """Anna is away at 15:00: with "anyone" the details show Bruno's price."""
        self.book(self.local(self.day, 15), staff=self.anna)
        start = format_start(self.local(self.day, 15))
        text = html.unescape(self.url_open(f"{self.url(self.haircut, 'details')}?start={start}").text)
        self.assertEqual(shown_prices(text), [40.0])
        self.assertNotIn("data-price-from", text)


@tagged("post_install", "-at_install")
class TestDepositShown(RandevuBookingCase):
    """The deposit and its rules are on the details page, before "Confirm booking"."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.deposit.list_price = 120
        cls.branch.write({"randevu_hold_minutes": 20, "randevu_cancel_cutoff": 24})
        cls.provider = cls._make_test_provider(cls.branch)

    def test_deposit_and_rules_before_confirming(self):
        start = format_start(self.local(self.day, 10))
        text = html.unescape(self.url_open(f"{self.url(self.deposit, 'details')}?start={start}").text)
        deposit = text.split("o_randevu_deposit", 1)[1].split("</div>", 1)[0]
        self.assertIn("50.00", deposit)
        self.assertIn("20 minutes", deposit)
        self.assertIn("24 hours", deposit)
        self.assertLess(text.index("o_randevu_deposit"), text.index("o_randevu_confirm"))
        # What is held is that deposit.
        response = self.post_booking(
            self.deposit, terms=terms_token(self.deposit.randevu_duration, 120, self.branch.currency_id)
        )
        self.assertEqual(response.status_code, 303, response.text[:2000])
        appointment = self.Appointment.browse(int(urlsplit(response.headers["Location"]).path.split("/")[3]))
        self.assertEqual(appointment.randevu_deposit_amount, 50.0)

    def test_percent_deposit_of_the_staff_price(self):
        self.deposit.write({"randevu_deposit_type": "percent", "randevu_deposit_value": 25})
        start = format_start(self.local(self.day, 10))
        text = html.unescape(self.url_open(f"{self.url(self.deposit, 'details')}?start={start}").text)
        self.assertIn("30.00", text.split("o_randevu_deposit", 1)[1].split("</div>", 1)[0])

    def test_no_deposit_no_block(self):
        start = format_start(self.local(self.day, 10))
        text = self.url_open(f"{self.url(self.haircut, 'details')}?start={start}").text
        self.assertNotIn("o_randevu_deposit", text)


@tagged("post_install", "-at_install")
class TestPortalReschedule(RandevuBookingCase):
    """A move asks first, then moves; the list reads as stacked rows on a phone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = cls.make_portal_customer("sells_customer", "+33611220098", name="Portal Pia")
        cls.appointment = cls._online_appointment(cls.local(cls.day, 10), cls.portal_user.partner_id)

    def test_picking_a_time_asks_before_moving(self):
        self.authenticate("sells_customer", "sells_customer")
        url = f"/my/appointments/{self.appointment.id}/reschedule"
        eleven = format_start(self.local(self.day, 11))
        page = self.url_open(f"{url}?day={self.day.isoformat()}").text
        self.assertIn(f'data-start="{eleven}"', page)
        self.assertNotIn("o_randevu_reschedule_confirm", page)
        asked = html.unescape(self.url_open(f"{url}?day={self.day.isoformat()}&start={eleven}").text)
        self.assertIn("Move your appointment?", asked)
        self.assertIn(f'name="start" value="{eleven}"', asked)
        self.assertIn("11:00", asked.split("o_randevu_reschedule_to", 1)[1][:200])
        self.assertEqual(self.appointment.start, self.local(self.day, 10), "nothing moved yet")
        response = self.url_open(url, data={"csrf_token": http.Request.csrf_token(self), "start": eleven})
        self.assertIn("Your appointment is moved.", response.text)
        self.assertEqual(self.appointment.start, self.local(self.day, 11))

    def test_junk_time_is_a_clean_400(self):
        self.authenticate("sells_customer", "sells_customer")
        response = self.url_open(f"/my/appointments/{self.appointment.id}/reschedule?start=junk")
        self.assertEqual(response.status_code, 400)
        self.assertNotIn("Traceback", response.text)
        self.assertNotIn("o_randevu_reschedule_confirm", response.text)

    def test_list_rows_are_stacked(self):
        self.authenticate("sells_customer", "sells_customer")
        text = html.unescape(self.url_open("/my/appointments").text)
        row = text.split("o_randevu_portal_row", 1)[1].split("</li>", 1)[0]
        for part in ("Haircut", "Anna", self.branch.name, "o_randevu_portal_state", "10:00"):
            self.assertIn(part, row)
        self.assertNotIn("<table", text.split("o_randevu_portal_upcoming", 1)[1].split("</ul>", 1)[0])


@tagged("post_install", "-at_install")
class TestPhoneFormatting(RandevuBookingCase):
    """Branch phones in their country's style, with an E.164 tel: link."""

    def test_national_style(self):
        self.assertEqual(self.branch._randevu_phone_display(), "01 42 00 00 00")
        self.assertEqual(self.branch._randevu_phone_href(), "tel:+33142000000")
        istanbul = self._make_branch("Moda", "Europe/Istanbul")
        istanbul.write({"country_id": self.env.ref("base.tr").id, "phone": "+902163456789"})
        self.assertEqual(istanbul._randevu_phone_display(), "(0216) 345 67 89")
        istanbul.phone = "+33142000000"  # another country's number: international
        self.assertEqual(istanbul._randevu_phone_display(), "+33 1 42 00 00 00")
        istanbul.phone = "call us"
        self.assertEqual(istanbul._randevu_phone_display(), "call us", "as typed when unreadable")

    def test_pages_show_it_formatted(self):
        appointment = self.book(self.local(self.day, 10))
        appointment._portal_ensure_token()
        text = self.url_open(f"/book/confirmation/{appointment.id}?access_token={appointment.access_token}").text
        self.assertIn('href="tel:+33142000000"', text)
        self.assertIn("01 42 00 00 00", text)
        footer = self.url_open("/").text.split("<footer", 1)[1]
        self.assertIn("01 42 00 00 00", footer, "the footer's branch phone")
        self.assertNotIn("+1 555-555-5556", footer, "no placeholder")
        self.assertNotIn("info@yourcompany.example.com", footer)


@tagged("post_install", "-at_install")
class TestWebsiteBlocks(RandevuBookingCase):
    """The live blocks of the home page render the branches, services, team and reviews."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.anna.write({"randevu_bio": "Twenty years of scissors.", "job_title": "Senior stylist"})
        cls.haircut.description_sale = "Wash, cut and style."

    def block(self, kind, **params):
        query = "&".join(f"{key}={value}" for key, value in params.items())
        return self.url_open(f"/randevu/block/{kind}" + (f"?{query}" if query else ""))

    def test_branches(self):
        text = html.unescape(self.block("branches").text)
        self.assertIn(self.branch.name, text)
        self.assertIn("1 rue du Test, 75001 Paris", text)
        self.assertIn("01 42 00 00 00", text)
        self.assertIn("openstreetmap.org/search?query=", text)
        self.assertIn(f'href="/book/{self.branch.id}"', text)
        self.assertIn("Opening hours", text)

    def test_services_with_the_booking_figures(self):
        text = html.unescape(self.block("services").text)
        self.assertIn("Haircut", text)
        self.assertIn("Wash, cut and style.", text)
        self.assertIn("30 min", text)
        self.assertIn('data-price="40.0"', text)
        self.assertNotIn("Backstage trim", text, "not bookable online")

    def test_team_with_bio_and_rating(self):
        done = self.book(self.local(self.day, 10), staff=self.anna)
        done.write({"state": "done"})
        done._randevu_apply_review(5, "Lovely cut")
        text = html.unescape(self.block("team").text)
        member = text.split('data-staff-name="Anna"', 1)[1].split('data-staff-name="Bruno"', 1)[0]
        self.assertIn("Twenty years of scissors.", member)
        self.assertIn("Senior stylist", member)
        self.assertIn('data-rating="5.0"', member)
        reviews = html.unescape(self.block("reviews").text)
        self.assertIn("Lovely cut", reviews)
        self.assertNotIn(done.partner_id.name, reviews, "first name and initial only")

    def test_footer_is_the_salons_and_light_on_the_booking_steps(self):
        home = self.url_open("/").text.split("<footer", 1)[1]
        self.assertIn("o_randevu_footer", home)
        self.assertNotIn("o_randevu_footer d-none", home, "the whole footer on other pages")
        self.assertIn(f'href="/book/{self.branch.id}"', home)
        step = self.url_open(self.url(self.haircut, "time")).text.split("<footer", 1)[1]
        self.assertIn("o_randevu_footer d-none d-md-block", step, "phones: the copyright line only")
        header = self.url_open("/").text.split("<header", 1)[1].split("</header>", 1)[0]
        self.assertIn("o_randevu_header_book", header)
        self.assertNotIn("555-555-5556", header)

    def test_unknown_block_is_not_found(self):
        self.assertEqual(self.block("secrets").status_code, 404)

    def test_language_of_the_page(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["website"].get_current_website().language_ids |= self.env.ref("base.lang_fr")
        response = self.block("services", lang="fr_FR")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("Traceback", response.text)


@tagged("post_install", "-at_install")
class TestHomeToBookingTour(RandevuBookingCase):
    """In Chromium at 360 px, as a visitor: the home page built from the salon's blocks,
    "Book now", the haircut, Anna (her own price, 55 for 45 min, not the service's 40),
    a time, the details, the confirmation; the price the tour read before confirming is
    the appointment's."""

    browser_size = "360x740"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.haircut.randevu_staff_line_ids.filtered(lambda line: line.employee_id == cls.anna).write(
            {"price": 55, "duration": 0.75}
        )
        website = cls.env["website"].get_current_website()
        home = website.with_context(website_id=website.id).viewref("website.homepage")
        home.with_context(website_id=website.id).arch_db = (
            '<t t-name="website.homepage"><t t-call="website.layout">'
            '<div id="wrap" class="oe_structure">'
            '<t t-call="randevu_booking.s_randevu_hero"/><t t-call="randevu_booking.s_randevu_services"/>'
            '<t t-call="randevu_booking.s_randevu_team"/><t t-call="randevu_booking.s_randevu_branches"/>'
            "</div></t></t>"
        )

    def test_home_to_booking_with_a_staff_price(self):
        self.start_tour("/", "randevu_booking_home_tour", login=None)
        appointment = self.Appointment.search([("partner_id.phone", "=", "+33655443388")])
        self.assertEqual(len(appointment), 1)
        self.assertRecordValues(appointment, [{"employee_id": self.anna.id, "price": 55.0, "duration": 0.75}])
        # What the tour read before confirming (the details page), kept on the partner's note.
        shown = parse_qs(urlsplit(appointment.customer_note or "").query).get("shown")
        self.assertEqual(shown and float(shown[0]), appointment.price, "shown before confirming = booked")
