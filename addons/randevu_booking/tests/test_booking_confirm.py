from datetime import timedelta
from unittest.mock import patch
from urllib.parse import parse_qs, urlsplit

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.randevu_booking.models.randevu_online_booking import format_start

from .common import RandevuBookingCase


@tagged("post_install", "-at_install")
class TestBookingConfirm(RandevuBookingCase):
    """POST /book/<branch>/<service>/confirm: a guest books; every bad request is
    answered with a clear message and writes neither an appointment nor a customer."""

    def confirmation(self, response):
        """(appointment, access token) of the confirmation the response redirects to."""
        self.assertEqual(response.status_code, 303, response.text[:2000])
        location = urlsplit(response.headers["Location"])
        self.assertTrue(location.path.startswith("/book/confirmation/"), location)
        appointment = self.Appointment.browse(int(location.path.rsplit("/", 1)[1]))
        return appointment, parse_qs(location.query)["access_token"][0]

    # ------------------------------------------------------------------ success
    def test_guest_books_and_sees_the_confirmation(self):
        appointments, partners = self.counts()
        response = self.post_booking(note="Sensitive scalp", email="Camille.Guest@Example.com")
        appointment, token = self.confirmation(response)
        self.assertEqual(self.counts(), (appointments + 1, partners + 1))
        self.assertRecordValues(
            appointment,
            [
                {
                    "company_id": self.branch.id,
                    "service_id": self.haircut.id,
                    "start": self.local(self.day, 10),
                    "source": "website",
                    "state": "booked",
                    "customer_note": "Sensitive scalp",
                }
            ],
        )
        self.assertIn(appointment.employee_id, self.anna | self.bruno)
        self.assertRecordValues(
            appointment.partner_id,
            [{"name": "Camille Guest", "phone": "+33698765401", "email": "Camille.Guest@Example.com"}],
        )
        page = self.url_open(f"/book/confirmation/{appointment.id}?access_token={token}")
        self.assertEqual(page.status_code, 200)
        for text in ("You're booked!", "Haircut", "10:00 AM", appointment.employee_id.name, "+33142000000"):
            self.assertIn(text, page.text.replace("&#39;", "'"))

    def test_request_queues_the_confirmation_and_the_outbox_worker_sends_it(self):
        """The booking request writes the appointment, its segments and its message rows
        only, and triggers the outbox worker; the confirmation page shows at once; the
        worker (run here as the cron runner would, right after the request) renders and
        sends the confirmation email with its .ics."""
        cron = self.env.ref("randevu_calendar.ir_cron_randevu_outbox")
        Trigger = self.env["ir.cron.trigger"]
        triggers = Trigger.search_count([("cron_id", "=", cron.id)])
        appointment, token = self.confirmation(self.post_booking())
        self.assertTrue(appointment.segment_ids)
        email = appointment.randevu_message_ids.filtered(
            lambda msg: msg.kind == "confirmation" and msg.channel == "email"
        )
        self.assertEqual(email.state, "queued")
        mails = self.env["mail.mail"].search([("model", "=", appointment._name), ("res_id", "=", appointment.id)])
        self.assertFalse(mails, "nothing rendered or sent in the request")
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), triggers + 1)
        page = self.url_open(f"/book/confirmation/{appointment.id}?access_token={token}")
        self.assertIn("You're booked!", page.text.replace("&#39;", "'"))
        self.run_outbox()
        self.assertEqual(email.state, "sent")
        mail = self.env["mail.mail"].search([("model", "=", appointment._name), ("res_id", "=", appointment.id)])
        self.assertEqual(mail.recipient_ids, appointment.partner_id)
        self.assertIn("your appointment is booked", mail.subject)
        self.assertEqual(mail.attachment_ids.mimetype, "text/calendar")

    def test_confirmation_needs_the_token(self):
        appointment, token = self.confirmation(self.post_booking())
        for query in ("", "?access_token=", f"?access_token={token[:-1]}x"):
            with self.subTest(query=query):
                response = self.url_open(f"/book/confirmation/{appointment.id}{query}")
                self.assertEqual(response.status_code, 404)
        other = self.make_user("booking_other", "base.group_portal", self.branch)
        self.authenticate(other.login, other.login)
        self.assertEqual(self.url_open(f"/book/confirmation/{appointment.id}").status_code, 404)
        self.assertEqual(self.url_open("/book/confirmation/999999?access_token=x").status_code, 404)

    def test_known_phone_reuses_the_customer_and_tells_nothing(self):
        appointments, partners = self.counts()
        response = self.post_booking(name="CHLOE  martin", phone="06 45 01 92 83", email="")
        appointment, _token = self.confirmation(response)
        self.assertEqual(appointment.partner_id, self.customer)
        self.assertEqual(self.customer.name, "Chloé Martin", "an existing customer is never changed")
        self.assertEqual(self.counts(), (appointments + 1, partners))
        self.assertNotIn("Chloé", self.url_open(response.headers["Location"]).text)

    def test_known_phone_with_another_name_is_a_new_customer(self):
        """Families share phones: a guest is never attached to another person found by
        phone; the receptionist sees the possible duplicate, the visitor nothing."""
        appointments, partners = self.counts()
        response = self.post_booking(name="Someone Else", phone="06 45 01 92 83", email="")
        appointment, _token = self.confirmation(response)
        self.assertNotEqual(appointment.partner_id, self.customer)
        self.assertRecordValues(appointment.partner_id, [{"name": "Someone Else", "phone": "+33645019283"}])
        self.assertEqual(self.customer.name, "Chloé Martin", "an existing customer is never changed")
        self.assertEqual(self.counts(), (appointments + 1, partners + 1))
        self.assertNotIn("Chloé", self.url_open(response.headers["Location"]).text)
        self.assertIn("Chloé Martin", appointment.partner_shared_contact_warning)
        self.assertIn("Someone Else", self.customer.randevu_shared_contact_warning)

    def test_email_is_matched_exactly_never_as_a_pattern(self):
        zeynep = self.Partner.create({"name": "Zeynep Arslan", "email": "zeynep.arslan@matching.example"})
        for index, email in enumerate(
            ("%arslan@matching.example", "_eynep.arslan@matching.example", "%@matching.example")
        ):
            with self.subTest(email=email):
                self.env["randevu.booking.attempt"].search([]).unlink()
                appointment, _token = self.confirmation(
                    self.post_booking(name="Zeynep Arslan", phone=f"06 98 76 54 9{index}", email=email)
                )
                self.assertNotEqual(appointment.partner_id, zeynep)
                self.assertEqual(appointment.partner_id.email, email)
                appointment.unlink()
        # The same address, however it is written, is the same customer.
        appointment, _token = self.confirmation(
            self.post_booking(name="Zeynep Arslan", phone="06 98 76 54 89", email=" Zeynep.Arslan@MATCHING.example ")
        )
        self.assertEqual(appointment.partner_id, zeynep)

    def test_specific_staff_member(self):
        appointment, _token = self.confirmation(self.post_booking(staff=str(self.bruno.id)))
        self.assertEqual(appointment.employee_id, self.bruno)

    def test_portal_customer_books_as_themselves(self):
        user = self.make_user("booking_portal", "base.group_portal", self.branch)
        self.authenticate("booking_portal", "booking_portal")
        appointment, _token = self.confirmation(self.post_booking(name="Typed Name", phone="0699887766"))
        self.assertEqual(appointment.partner_id, user.partner_id)
        response = self.url_open(f"/book/confirmation/{appointment.id}")
        self.assertEqual(response.status_code, 200, "their own appointment, without a token")

    # ------------------------------------------------------------------ the customer's details
    def test_missing_fields(self):
        before = self.counts()
        response = self.post_booking(name="  ", phone="", email=None, note=None)
        self.assert_refused(response, 400, "Please enter your name.", "Please enter your phone number.")
        self.assertIn('aria-invalid="true"', response.text)
        self.assertEqual(self.counts(), before)

    def test_invalid_phone_and_email(self):
        before = self.counts()
        response = self.post_booking(phone="12", email="camille@")
        self.assert_refused(
            response,
            400,
            "Please enter a valid phone number, like +33 6 12 34 56 78.",
            "Please enter a valid email address, like name@example.com.",
        )
        self.assertIn('value="camille@"', response.text, "what was typed is kept")
        self.assertEqual(self.counts(), before)

    def test_email_is_one_valid_address(self):
        """Nothing but one address, and what was typed is what is stored (its case
        kept): never an address picked out of a longer text."""
        before = self.counts()
        for email in ("a@b", "x@example..com", "jo john.smith@example.com", "a..b@example.com", "Jo <jo@example.com>"):
            with self.subTest(email=email):
                response = self.post_booking(email=email)
                self.assert_refused(response, 400, "Please enter a valid email address, like name@example.com.")
        self.assertEqual(self.counts(), before)
        appointment, _token = self.confirmation(
            self.post_booking(email="Ayşe.Demir@Örnek.com.tr", phone="06 98 76 54 09")  # within the phone's limit
        )
        self.assertEqual(appointment.partner_id.email, "Ayşe.Demir@Örnek.com.tr", "the address typed")

    def test_too_long_fields(self):
        before = self.counts()
        response = self.post_booking(name="N" * 101, email=("e" * 250) + "@x.fr", note="n" * 1001)
        self.assert_refused(
            response,
            400,
            "Your name is too long: 100 characters at most.",
            "Your email is too long: 254 characters at most.",
            "Your note is too long: 1000 characters at most.",
        )
        self.assertEqual(self.counts(), before)

    # ------------------------------------------------------------------ the time
    def test_past_time(self):
        before = self.counts()
        response = self.post_booking(start=self.local(self.day - timedelta(days=10), 10))
        self.assert_refused(response, 409, "This time is in the past. Please pick another one.")
        self.assertEqual(self.counts(), before)

    def test_outside_hours_and_closed_day(self):
        before = self.counts()
        sunday = next(self.day + timedelta(days=n) for n in range(7) if (self.day + timedelta(days=n)).weekday() == 6)
        for start in (self.local(self.day, 7), self.local(self.day, 13), self.local(sunday, 10)):
            with self.subTest(start=start):
                response = self.post_booking(start=start)
                self.assert_refused(response, 409, "This time is not available. Please pick another one.")
        self.assertEqual(self.counts(), before)

    def test_missing_or_junk_time(self):
        before = self.counts()
        for value in ("", "tomorrow at ten", format_start(self.local(self.day, 10)) + ":00"):
            with self.subTest(start=value):
                self.assert_refused(self.post_booking(start=value), 400, "Please pick a time.")
        self.assertEqual(self.counts(), before)

    def test_taken_time_offers_fresh_times(self):
        self.book(self.local(self.day, 10), staff=self.anna)
        self.book(self.local(self.day, 10), staff=self.bruno)
        before = self.counts()
        response = self.post_booking()
        self.assert_refused(response, 409, "Sorry, this time was just taken. Please pick another one.")
        self.assertIn('name="start"', response.text)
        self.assertIn(f'value="{format_start(self.local(self.day, 9))}"', response.text, "the time before")
        self.assertNotIn(f'value="{format_start(self.local(self.day, 10))}"', response.text)
        self.assertIn('value="Camille Guest"', response.text, "the details are kept")
        self.assertEqual(self.counts(), before, "no customer left behind")

    def test_lost_race_leaves_no_customer(self):
        """The request that loses a race passed every check on a snapshot without the
        winner's appointment; the database refuses its own. Simulated by hiding busy
        times from the engine: the EXCLUDE constraint is what refuses it."""
        self.book(self.local(self.day, 10), staff=self.anna)
        self.book(self.local(self.day, 10), staff=self.bruno)
        before = self.counts()
        availability_class = type(self.env["randevu.availability"])
        with patch.object(availability_class, "_read_busy", lambda *args, **kwargs: ({}, {}, {})):
            response = self.post_booking(phone="06 99 00 11 22")
        self.assert_refused(response, 409, "Sorry, this time was just taken. Please pick another one.")
        self.assertEqual(self.counts(), before, "neither an appointment nor an orphan customer")
        self.assertFalse(self.Partner.search([("phone", "=", "+33699001122")]))

    def test_same_customer_cannot_book_twice_at_once(self):
        self.confirmation(self.post_booking())
        before = self.counts()
        response = self.post_booking()  # "anyone": the other stylist is free
        self.assert_refused(response, 409, "Please pick another one.")
        self.assertEqual(self.counts(), before)

    # ------------------------------------------------------------------ abuse
    def test_honeypot(self):
        before = self.counts()
        response = self.post_booking(randevu_hp="http://spam.example.com")
        self.assert_refused(response, 400, "We could not take this booking. Please try again.")
        self.assertEqual(self.counts(), before)

    @mute_logger("odoo.addons.randevu_booking.controllers.form_guard")
    def test_captcha_refusal(self):
        """With a captcha addon installed, its refusal (an error or False) is the form's
        usual message; nothing is written but the attempt. Without it, the form books."""
        before = self.counts()
        for error in ("The reCaptcha token is invalid.", None):
            with self.subTest(error=error), self.captcha_refusing(error) as actions:
                response = self.post_booking()
                self.assert_refused(response, 400, "We could not take this booking. Please try again.")
                self.assertIn('value="Camille Guest"', response.text, "what was typed is kept")
                self.assertEqual(actions, ["randevu_booking"])
        self.assertEqual(self.counts(), before)
        self.confirmation(self.post_booking())
        self.assertEqual(self.counts(), (before[0] + 1, before[1] + 1))

    def test_recaptcha_configured_checks_the_token_the_form_sends(self):
        """With a reCAPTCHA key (google_recaptcha comes with website), the details form
        names its action for the page's script (booking_captcha.js), which posts a token
        as `recaptcha_token_response`; Odoo's check is asked about that token and that
        action. Its verdict from Google is faked at Odoo's own method (the one place
        that calls Google): a human books, a bot is refused with nothing written."""
        Param = self.env["ir.config_parameter"]
        Param.set_param("recaptcha_public_key", "site-key")
        Param.set_param("recaptcha_private_key", "secret-key")
        page = self.url_open(f"{self.url(self.haircut, 'details')}?start={format_start(self.local(self.day, 10))}")
        self.assertIn('class="o_randevu_details_form" data-captcha-action="randevu_booking"', page.text)
        asked = []

        def verify(model, ip_addr, token, action=False):
            asked.append((token, action))
            return "is_human" if token == "human-token" else "is_bot"

        Http = type(self.env["ir.http"])
        before = self.counts()
        with (
            patch.object(Http, "_verify_recaptcha_token", verify),
            mute_logger("odoo.addons.randevu_booking.controllers.form_guard"),
        ):
            response = self.post_booking(recaptcha_token_response="bot-token")
            self.assert_refused(response, 400, "We could not take this booking. Please try again.")
            self.assertEqual(self.counts(), before)
            self.confirmation(self.post_booking(recaptcha_token_response="human-token"))
        self.assertEqual(asked, [("bot-token", "randevu_booking"), ("human-token", "randevu_booking")])
        self.assertEqual(self.counts(), (before[0] + 1, before[1] + 1))

    @mute_logger("odoo.addons.randevu_booking.controllers.booking")
    def test_missing_or_wrong_csrf_token(self):
        before = self.counts()
        for token in (None, "", "0123456789abcdefo1"):
            with self.subTest(token=token):
                response = self.post_booking(csrf_token=token)
                self.assert_refused(
                    response, 400, "This page has expired. Please check your details and confirm again."
                )
                self.assertIn('value="Camille Guest"', response.text, "what was typed is kept")
        self.assertEqual(self.counts(), before)

    def test_attempts_limited_per_connection(self):
        self.env["ir.config_parameter"].set_param("randevu_booking.attempts_per_ip", 2)
        for _attempt in range(2):
            self.assert_refused(self.post_booking(phone="12"), 400, "Please enter a valid phone number")
        before = self.counts()
        response = self.post_booking()
        self.assert_refused(
            response, 429, "Too many booking attempts. Please try again in 60 minutes, or call us at +33142000000."
        )
        self.assertEqual(self.counts(), before)

    def test_attempts_limited_per_phone(self):
        self.env["ir.config_parameter"].set_param("randevu_booking.attempts_per_phone", 1)
        self.assert_refused(self.post_booking(name=""), 400, "Please enter your name.")
        before = self.counts()
        response = self.post_booking(phone="+33 6 98 76 54 01")  # the same number, written differently
        self.assert_refused(response, 429, "Too many booking attempts.")
        self.assertEqual(self.counts(), before)
        self.confirmation(self.post_booking(phone="06 98 76 54 02"))

    def test_unknown_staff_or_service(self):
        before = self.counts()
        self.assertEqual(self.post_booking(staff="999999").status_code, 404)
        self.assertEqual(self.post_booking(staff="anna").status_code, 404)
        self.assertEqual(self.post_booking(service=self.offline).status_code, 404)
        self.assertEqual(self.counts(), before)
