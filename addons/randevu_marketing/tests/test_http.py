import re
import time

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import ConsentMixin


@tagged("post_install", "-at_install")
class TestConsentHttp(ConsentMixin, HttpCase):
    """Through the real HTTP server: the double opt-in link of the email (signed,
    expiring), the one-click unsubscribe link and its RFC 8058 POST, and the customer's
    /my/consents page (unticked by default, CSRF-protected)."""

    def confirm_url(self, partner):
        mail = self.env["mail.mail"].search([("email_to", "=", partner.email_normalized)], order="id desc", limit=1)
        return re.search(r"(/randevu/consent/confirm/[^'\"]+)", mail.body_html).group(1)

    def test_the_confirmation_link_grants_the_pending_consent(self):
        self.grant(self.chloe, "email", source="booking_form")
        consent = self.consent(self.chloe)
        url = self.confirm_url(self.chloe)
        forged = url[:-4] + "abcd"
        response = self.url_open(forged)
        self.assertIn("not valid", response.text)
        self.assertEqual(consent.state, "pending")
        response = self.url_open(url, headers={"User-Agent": "TestBrowser/1.0"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("confirmed", response.text)
        consent.invalidate_recordset()
        self.assertEqual(consent.state, "granted")
        last = consent.event_ids[0]
        self.assertEqual((last.source, last.user_agent), ("email_link", "TestBrowser/1.0"))
        self.assertTrue(last.ip_address)
        self.assertEqual(last.text, consent.event_ids[1].text, "the text the customer agreed to")
        self.url_open(url)
        self.assertEqual(len(consent.event_ids), 2, "a second click records nothing")

    def test_an_expired_confirmation_link_does_nothing(self):
        self.grant(self.chloe, "email", source="portal")
        consent = self.consent(self.chloe)
        token = consent._randevu_confirm_token(expiry=time.time() - 1)
        response = self.url_open(f"/randevu/consent/confirm/{token}")
        self.assertIn("expired", response.text)
        consent.invalidate_recordset()
        self.assertEqual(consent.state, "pending")

    def test_unsubscribe_link_and_one_click_post_withdraw(self):
        self.grant(self.ayse, "email")
        consent = self.consent(self.ayse)
        url = self.Consent._randevu_unsubscribe_url(self.ayse.id, "email", "ayse@example.com")
        url = url[url.index("/randevu/") :]
        with mute_logger("odoo.http"):
            response = self.url_open(url.replace("token=", "token=x"))
        self.assertEqual(response.status_code, 403)
        consent.invalidate_recordset()
        self.assertEqual(consent.state, "granted")
        # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click", no session, no CSRF token.
        response = self.url_open(url, data={"List-Unsubscribe": "One-Click"})
        self.assertEqual(response.status_code, 200)
        consent.invalidate_recordset()
        self.assertEqual((consent.state, consent.event_ids[0].source), ("withdrawn", "email_link"))
        self.grant(self.ayse, "email")
        response = self.url_open(url)  # the link in the body: one click
        self.assertIn("no longer receive", response.text)
        consent.invalidate_recordset()
        self.assertEqual(consent.state, "withdrawn")

    def test_the_portal_page_shows_unticked_boxes_and_records_choices(self):
        user = new_test_user(self.env, login="consent_portal", password="consent_portal", groups="base.group_portal")
        user.partner_id.write({"email": "paula@example.com", "mobile": "+905551112233"})
        partner = user.partner_id
        self.authenticate("consent_portal", "consent_portal")
        page = self.url_open("/my/consents")
        self.assertEqual(page.status_code, 200)
        boxes = re.findall(r"<input[^>]*type=\"checkbox\"[^>]*>", page.text)
        self.assertEqual(len(boxes), 3)
        self.assertFalse([box for box in boxes if "checked" in box], "unticked by default")
        self.assertIn("appointment confirmations and reminders are always sent", page.text)
        # Without the CSRF token the form is refused.
        with mute_logger("odoo.http"):
            refused = self.url_open("/my/consents", data={"consent_sms": "on"})
        self.assertEqual(refused.status_code, 400)
        self.assertFalse(self.consent(partner, "sms"))
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open("/my/consents", data={"csrf_token": csrf, "consent_sms": "on", "consent_email": "on"})
        self.assertEqual(response.status_code, 200)
        sms, email = self.consent(partner, "sms"), self.consent(partner, "email")
        self.assertEqual((sms.state, email.state), ("pending", "pending"), "double opt-in from the web")
        self.assertEqual(sms.event_ids.source, "portal")
        self.assertIn("by SMS", sms.event_ids.text)
        self.assertTrue(sms.event_ids.ip_address)
        self.assertEqual(sms.event_ids.user_id, user)
        self.Consent._randevu_handle_reply("+905551112233", "EVET", "sms")
        response = self.url_open("/my/consents", data={"csrf_token": csrf, "consent_email": "on"})
        sms.invalidate_recordset()
        self.assertEqual(sms.state, "withdrawn", "unticked: withdrawn")
        self.assertEqual(email.state, "pending", "unchanged: nothing recorded")
        self.assertEqual(len(email.event_ids), 1)
