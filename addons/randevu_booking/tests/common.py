import contextlib
import html
from unittest.mock import patch

from odoo import http
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import HttpCase

from odoo.addons.randevu_account.tests.common import RandevuPaymentFixtures
from odoo.addons.randevu_booking.models.randevu_online_booking import format_start
from odoo.addons.randevu_calendar.models.randevu_booking_service import terms_token
from odoo.addons.randevu_calendar.tests.common import JsonRpcMixin, RandevuCase, UpcomingDayMixin


class RandevuBookingCase(HttpCase, RandevuPaymentFixtures, JsonRpcMixin, UpcomingDayMixin, RandevuCase):
    """RandevuCase's Paris branch (Anna and Bruno, 09:00-13:00 and 14:00-18:00 Monday to
    Saturday) opened to online booking, with a haircut (Hair) and a colour (Colour, in
    the colour room), plus services the website must not offer.

    Dates are relative to today, not frozen: the browser of the tours and the server
    must agree on "now". `day` is the first Monday-to-Saturday at least two days ahead.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.branch.write(
            {
                "randevu_online_booking": True,
                "country_id": cls.env.ref("base.fr").id,
                "phone": "+33142000000",
                "street": "1 rue du Test",
                "zip": "75001",
                "city": "Paris",
            }
        )
        # The website books the fixtures' branches (those of the main company), whichever
        # company and branches the demo data gave it.
        cls.env.ref("website.default_website").write(
            {"company_id": cls.env.ref("base.main_company").id, "randevu_branch_ids": [Command.clear()]}
        )
        cls.hair = cls.env["product.category"].create({"name": "Booking Hair"})
        cls.colour_category = cls.env["product.category"].create({"name": "Booking Colour"})
        cls.haircut.categ_id = cls.hair
        cls.colour.categ_id = cls.colour_category
        cls.offline = cls._make_service("Backstage trim", 0.5, cls.anna, randevu_online=False, categ_id=cls.hair.id)
        cls.deposit = cls._make_service(
            "Bridal hair",
            2.0,
            cls.anna,
            randevu_deposit_type="fixed",
            randevu_deposit_value=50,
            categ_id=cls.hair.id,
        )
        cls.Appointment = cls.env["randevu.appointment"]
        cls.Partner = cls.env["res.partner"].with_context(active_test=False)

    # ------------------------------------------------------------------ helpers
    def make_page(self, url, snippet_html):
        """A published page of the current website at `url` holding `snippet_html`
        in its main area (an empty one takes the blocks the builder drops)."""
        return self.env["website.page"].create(
            {
                "name": "Booking block page",
                "url": url,
                "type": "qweb",
                "is_published": True,
                "website_id": self.env["website"].get_current_website().id,
                "arch": (
                    "<t t-name='booking_block_page'><t t-call='website.layout'>"
                    f"<div id='wrap' class='oe_structure oe_empty'>{snippet_html}</div></t></t>"
                ),
            }
        )

    @classmethod
    def _website_in_tr_and_fr(cls):
        """Turkish and French active, randevu_booking's catalogues loaded and both on
        the default website; returns the website."""
        website = cls.env.ref("website.default_website")
        for lang in ("tr_TR", "fr_FR"):
            cls.env["res.lang"]._activate_lang(lang)
            cls.env["ir.module.module"]._load_module_terms(["randevu_booking"], [lang], overwrite=True)
            website.language_ids |= cls.env["res.lang"]._lang_get(lang)
        return website

    @classmethod
    def _online_appointment(cls, start, partner, staff=None):
        """A haircut `partner` booked on the website, with Anna unless `staff`."""
        return cls.env["randevu.appointment"].create(
            {
                "company_id": cls.branch.id,
                "service_id": cls.haircut.id,
                "employee_id": (staff or cls.anna).id,
                "start": start,
                "partner_id": partner.id,
                "source": "website",
            }
        )

    def post_form(self, url, allow_redirects=True, **data):
        """A POST of a page's form with the session's CSRF token (``csrf_token=None``:
        without one); fields given None are left out, and a form left empty sends
        ``submit`` (url_open sends a GET when there is no data)."""
        data.setdefault("csrf_token", http.Request.csrf_token(self))
        data = {key: value for key, value in data.items() if value is not None}
        return self.url_open(url, data=data or {"submit": "1"}, allow_redirects=allow_redirects)

    def url(self, service=None, page=None):
        path = f"/book/{self.branch.id}"
        return path + (f"/{service.id}" if service else "") + (f"/{page}" if page else "")

    def counts(self):
        """(appointments, customers): what a refused booking must leave unchanged."""
        self.env.flush_all()
        return self.Appointment.search_count([]), self.Partner.search_count([])

    def setUp(self):
        super().setUp()
        self.authenticate(None, None)  # a visitor's session
        self.env["randevu.booking.attempt"].search([]).unlink()  # limits start afresh

    def booking_data(self, start=False, service=None, **values):
        """The details form of `service` (the haircut) as a browser sends it; `start` a
        datetime or a raw string. The duration and price shown (``terms``) are the
        service's: no staff member of the fixtures has their own."""
        start = self.local(self.day, 10) if start is False else start
        service = service or self.haircut
        data = {
            "csrf_token": http.Request.csrf_token(self),
            "start": start if isinstance(start, str) else format_start(start),
            "terms": terms_token(service.randevu_duration, service.list_price, self.branch.currency_id),
            "staff": "",
            "name": "Camille Guest",
            "phone": "06 98 76 54 01",
            "email": "camille.guest@example.com",
            "note": "",
        }
        data.update(values)
        return {key: value for key, value in data.items() if value is not None}

    def post_booking(self, service=None, **values):
        return self.url_open(
            self.url(service or self.haircut, "confirm"),
            data=self.booking_data(service=service, **values),
            allow_redirects=False,
        )

    def offer_freed(self):
        """Run the waitlist cron a cancellation, a move or a deletion triggers to offer
        the time it freed, then the outbox worker that sends the offers. Returns the
        number of freed times handled."""
        done = self.env["randevu.waitlist.freed"]._cron_offer_freed()
        self.run_outbox()
        return done

    @contextlib.contextmanager
    def captcha_refusing(self, error="The reCaptcha token is invalid."):
        """Odoo's captcha hook (ir.http._verify_request_recaptcha_token, a no-op that
        google_recaptcha and website_cf_turnstile override) refusing every POST as
        they do: raising a UserError saying `error`, or answering False when `error`
        is None. Yields the list of the actions it was asked about."""
        actions = []

        def verify(model, action):
            actions.append(action)
            if error:
                raise UserError(error)
            return False

        with patch.object(type(self.env["ir.http"]), "_verify_request_recaptcha_token", verify):
            yield actions

    def assert_not_found(self, *urls):
        """Each of `urls` answers "not found", without a traceback."""
        for url in urls:
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn("Traceback", response.text)

    def assert_refused(self, response, status, *messages):
        """The form came back with `status`, saying each of `messages`."""
        text = html.unescape(response.text)
        self.assertEqual(response.status_code, status, text[:2000])
        for message in messages:
            self.assertIn(message, text)
        self.assertNotIn("Traceback", text)
