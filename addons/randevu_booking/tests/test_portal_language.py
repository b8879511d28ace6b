# ruff: noqa: RUF001 (Turkish dotless i)
import html
import re
from urllib.parse import urlsplit

from odoo.tests import tagged

from .common import RandevuBookingCase


@tagged("post_install", "-at_install")
class TestPortalLanguage(RandevuBookingCase):
    """A customer whose language is Turkish or French gets the portal (their appointment
    list, its page, move and cancel) in that language: the links of our messages carry
    it, and a portal user who logs in lands in it, even when the browser saw the website
    in English before (Odoo's frontend_lang cookie)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.website = cls._website_in_tr_and_fr()
        cls.portal_user = cls.make_user(
            "booking_turkish", "base.group_portal", cls.env.ref("base.main_company"), lang="tr_TR"
        )
        cls.portal_user.partner_id.write({"name": "Aylin Kaya", "email": "aylin@example.com"})
        cls.aylin_visit = cls._appointment(cls.portal_user.partner_id, 10)
        cls.claire = cls.Partner.create({"name": "Claire Martin", "email": "claire@example.com", "lang": "fr_FR"})
        cls.claire_visit = cls._appointment(cls.claire, 11)

    @classmethod
    def _appointment(cls, partner, hour):
        appointment = cls.env["randevu.appointment"].create(
            {
                "company_id": cls.branch.id,
                "service_id": cls.haircut.id,
                "employee_id": cls.anna.id,
                "start": cls.local(cls.day, hour),
                "partner_id": partner.id,
                "source": "website",
            }
        )
        appointment._portal_ensure_token()
        return appointment

    def seen_in_english(self):
        """The browser visited the website in English (Odoo keeps it in a cookie)."""
        self.url_open("/")
        self.assertEqual(self.opener.cookies.get("frontend_lang"), "en_US")

    def login(self, login, redirect=None):
        """Log in through the login form, as a browser does."""
        form = self.url_open("/web/login").text
        data = {
            "login": login,
            "password": login,
            "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', form).group(1),
        }
        if redirect:
            data["redirect"] = redirect
        response = self.url_open("/web/login", data=data, allow_redirects=False)
        self.assertEqual(response.status_code, 303, "logged in")
        # The server gives the logged-in session a new id; drop the test client's own
        # session cookie so that the browser sends that one only.
        session_id = response.cookies["session_id"]
        for cookie in [cookie for cookie in self.opener.cookies if cookie.name == "session_id"]:
            self.opener.cookies.clear(cookie.domain, cookie.path, cookie.name)
        self.opener.cookies.set("session_id", session_id)
        return self.url_open(response.headers["Location"])

    def assert_page(self, response, lang, *texts):
        self.assertEqual(response.status_code, 200, response.url)
        text = html.unescape(response.text)
        self.assertIn(f'lang="{lang.replace("_", "-")}"', text)
        for expected in texts:
            self.assertIn(expected, text)

    def message_link(self, template_xmlid, appointment):
        """The appointment link in the email `template_xmlid` renders for `appointment`
        (in its customer's language, as the outbox sends it)."""
        template = self.env.ref(template_xmlid)
        body = template._generate_template(appointment.ids, ("body_html",))[appointment.id]["body_html"]
        url = re.search(r'href="([^"]*/my/appointments/[^"]*)"', body).group(1)
        return html.unescape(url)

    # ------------------------------------------------------------------ login
    def test_portal_user_lands_in_their_language(self):
        self.seen_in_english()
        response = self.login("booking_turkish")
        self.assertEqual(urlsplit(response.url).path, "/tr/my")
        self.assert_page(response, "tr_TR")
        self.assertEqual(self.opener.cookies.get("frontend_lang"), "tr_TR", "the next pages too")
        listing = self.url_open("/my/appointments")
        self.assertEqual(urlsplit(listing.url).path, "/tr/my/appointments")
        self.assert_page(listing, "tr_TR", "Yaklaşan")
        visit = f"/my/appointments/{self.aylin_visit.id}"
        self.assert_page(self.url_open(visit), "tr_TR", "Taşı", "İptal et")
        self.assert_page(self.url_open(f"{visit}/reschedule"), "tr_TR", "Randevunuzu taşıyın")
        self.assert_page(self.url_open(f"{visit}/cancel"), "tr_TR", "Bu randevu iptal edilsin mi?")

    def test_login_to_a_page_lands_on_it_in_their_language(self):
        self.seen_in_english()
        visit = f"/my/appointments/{self.aylin_visit.id}"
        response = self.login("booking_turkish", redirect=f"/fr{visit}")
        self.assertEqual(urlsplit(response.url).path, f"/tr{visit}", "the user's language, not the link's")
        self.assert_page(response, "tr_TR", "Taşı")

    # ------------------------------------------------------------------ links of our messages
    def test_signed_link_of_a_message_opens_in_the_customers_language(self):
        self.seen_in_english()
        url = self.message_link("randevu_calendar.mail_template_randevu_confirmation", self.claire_visit)
        path = urlsplit(url)
        self.assertEqual(path.path, f"/fr/my/appointments/{self.claire_visit.id}")
        self.assertIn(f"access_token={self.claire_visit.access_token}", path.query)
        self.assert_page(self.url_open(f"{path.path}?{path.query}"), "fr_FR", "Déplacer", "Annuler")
        # Its move and cancel links (without a language) follow: the browser now says French.
        visit = f"/my/appointments/{self.claire_visit.id}"
        token = f"access_token={self.claire_visit.access_token}"
        self.assert_page(self.url_open(f"{visit}/reschedule?{token}"), "fr_FR", "Déplacer votre rendez-vous")
        self.assert_page(self.url_open(f"{visit}/cancel?{token}"), "fr_FR", "Annuler ce rendez-vous ?")

    def test_links_of_reminders_and_texts(self):
        url = self.message_link("randevu_calendar.mail_template_randevu_reminder", self.aylin_visit)
        self.assertEqual(urlsplit(url).path, f"/tr/my/appointments/{self.aylin_visit.id}")
        self.assertIn(
            f"/fr/my/appointments/{self.claire_visit.id}?access_token=",
            self.claire_visit.with_context(lang="fr_FR").msg_manage_url,
            "the texts' link (SMS templates use it)",
        )

    def test_language_the_website_does_not_have(self):
        """A customer in a language the website does not offer: the link has none (the
        website's default language then)."""
        self.env["res.lang"]._activate_lang("de_DE")
        self.claire.lang = "de_DE"
        url = self.message_link("randevu_calendar.mail_template_randevu_confirmation", self.claire_visit)
        path = urlsplit(url)
        self.assertEqual(path.path, f"/my/appointments/{self.claire_visit.id}")
        self.assertEqual(self.url_open(f"{path.path}?{path.query}").status_code, 200)
