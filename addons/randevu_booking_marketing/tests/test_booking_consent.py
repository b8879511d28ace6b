import html
import re

from werkzeug.urls import url_encode

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.randevu_booking.models.randevu_online_booking import format_start
from odoo.addons.randevu_booking.tests.common import RandevuBookingCase

BOX = re.compile(r"<input[^>]*name=\"randevu_consent_(\w+)\"[^>]*>")
EMAIL_TEXT = "I agree to receive offers and news from Salon Paris by Email. I can withdraw at any time."
SMS_TEXT = "I agree to receive offers and news from Salon Paris by SMS. I can withdraw at any time."


class ConsentBookingMixin:
    def setUp(self):
        super().setUp()
        self.Event = self.env["randevu.consent.event"]
        # The last history row before the test (demo consents have some): ids only grow.
        self.last_event_id = self.Event.search([], order="id desc", limit=1).id or 0

    def new_events(self):
        self.env.invalidate_all()
        return self.Event.search([("id", ">", self.last_event_id)], order="id desc")

    def details_page(self):
        return self.url_open(self.details_url())

    def details_url(self, prefix=""):
        start = format_start(self.local(self.day, 10))
        return f"{prefix}{self.url(self.haircut, 'details')}?{url_encode({'start': start})}"


@tagged("post_install", "-at_install")
class TestBookingConsent(ConsentBookingMixin, RandevuBookingCase):
    """The real booking form, posted with its CSRF token: the boxes are shown unticked,
    each box ticked records a pending consent with its proof, nothing else does."""

    def test_details_page_shows_every_box_unticked_with_its_purpose(self):
        page = self.details_page()
        self.assertEqual(page.status_code, 200)
        boxes = BOX.findall(page.text)
        self.assertEqual(boxes, ["email", "sms", "whatsapp"])
        self.assertFalse([box for box in BOX.finditer(page.text) if "checked" in box.group(0)], "unticked")
        text = html.unescape(page.text)
        self.assertIn(EMAIL_TEXT, text)
        self.assertIn(SMS_TEXT, text)

    def test_ticked_boxes_record_pending_consents_with_their_proof(self):
        response = self.url_open(
            self.url(self.haircut, "confirm"),
            data=self.booking_data(randevu_consent_email="1", randevu_consent_sms="1"),
            allow_redirects=False,
            headers={"User-Agent": "ConsentBrowser/2.0"},
        )
        self.assertEqual(response.status_code, 303, response.text[:2000])
        appointment = self.Appointment.search([("partner_id.phone", "=", "+33698765401")])
        self.assertEqual(len(appointment), 1)
        events = self.new_events()
        self.assertEqual(sorted(events.mapped("channel")), ["email", "sms"], "WhatsApp left unticked: nothing")
        by_channel = {event.channel: event for event in events}
        self.assertRecordValues(
            by_channel["email"],
            [
                {
                    "partner_id": appointment.partner_id.id,
                    "state": "pending",
                    "source": "booking_form",
                    "text": EMAIL_TEXT,
                    "address": "camille.guest@example.com",
                    "user_agent": "ConsentBrowser/2.0",
                    "company_id": appointment.partner_id.company_id.id,
                }
            ],
        )
        self.assertRecordValues(by_channel["sms"], [{"state": "pending", "text": SMS_TEXT, "address": "+33698765401"}])
        self.assertTrue(by_channel["email"].ip_address)
        consent = by_channel["email"].consent_id
        self.assertFalse(consent.applies, "waits for the confirmation link")
        confirmations = self.env["mail.mail"].search(
            [("email_to", "=", "camille.guest@example.com"), ("body_html", "like", "/randevu/consent/confirm/")]
        )
        self.assertEqual(len(confirmations), 1, "the double opt-in email, once")

    def test_unticked_boxes_record_nothing(self):
        response = self.post_booking()
        self.assertEqual(response.status_code, 303, response.text[:2000])
        self.assertFalse(self.new_events())

    def test_forged_channel_and_values_are_ignored(self):
        response = self.post_booking(randevu_consent_fax="1", randevu_consent_postal="1", randevu_consent_="1")
        self.assertEqual(response.status_code, 303, response.text[:2000])
        self.assertFalse(self.new_events())

    def test_email_box_without_an_email_records_nothing(self):
        response = self.post_booking(email="", randevu_consent_email="1", randevu_consent_whatsapp="1")
        self.assertEqual(response.status_code, 303, response.text[:2000])
        events = self.new_events()
        self.assertEqual(events.mapped("channel"), ["whatsapp"])
        self.assertEqual(events.address, "+33698765401")

    def test_a_refused_booking_records_nothing_and_keeps_the_boxes_ticked(self):
        appointments, partners = self.counts()
        with mute_logger("odoo.addons.randevu_booking.controllers.booking"):
            response = self.post_booking(phone="not a phone", randevu_consent_email="1")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.counts(), (appointments, partners))
        self.assertFalse(self.new_events())
        ticked = [box.group(1) for box in BOX.finditer(response.text) if "checked" in box.group(0)]
        self.assertEqual(ticked, ["email"], "what the visitor ticked is kept")
        with mute_logger("odoo.addons.randevu_booking.controllers.booking"):
            response = self.post_booking(csrf_token="forged", randevu_consent_email="1")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.new_events())

    def test_the_text_is_in_the_visitors_language(self):
        self._website_in_tr_and_fr()
        for lang in ("tr_TR", "fr_FR"):
            self.env["ir.module.module"]._load_module_terms(["randevu_marketing"], [lang], overwrite=True)
        expected = (
            self.env["randevu.consent"]
            .with_context(lang="fr_FR")
            ._randevu_default_text("email", self.branch, lang="fr_FR")
        )
        self.assertNotEqual(expected, EMAIL_TEXT)
        page = self.url_open(self.details_url("/fr"))
        self.assertIn(expected, html.unescape(page.text))
        response = self.url_open(
            f"/fr{self.url(self.haircut, 'confirm')}",
            data=self.booking_data(randevu_consent_email="1"),
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303, response.text[:2000])
        self.assertEqual(self.new_events().text, expected)


@tagged("post_install", "-at_install")
class TestBookingConsentTour(ConsentBookingMixin, RandevuBookingCase):
    """In Chromium at a phone's width: a visitor books, ticks the email box, confirms."""

    browser_size = "360x740"

    def test_ticking_the_email_box_records_the_consent_with_its_text(self):
        self.start_tour(f"/book/{self.branch.id}?category={self.hair.id}", "randevu_booking_consent_tour", login=None)
        appointment = self.Appointment.search([("partner_id.phone", "=", "+33655443388")])
        self.assertEqual(len(appointment), 1)
        events = self.new_events()
        self.assertRecordValues(
            events,
            [
                {
                    "partner_id": appointment.partner_id.id,
                    "channel": "email",
                    "state": "pending",
                    "source": "booking_form",
                    "text": EMAIL_TEXT,
                    "address": "consent.guest@example.com",
                }
            ],
        )
        self.assertIn("Chrome", events.user_agent)
        self.assertTrue(events.ip_address)
