import html
import io
import re
from urllib.parse import parse_qs, urlsplit

from PIL import Image

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RandevuBookingCase


@tagged("post_install", "-at_install")
class TestBookingEmbed(RandevuBookingCase):
    """The flow in an iframe on another website (/book/embed, loader.js), its frame
    headers, and the shareable links and QR codes of the branch form."""

    def embed_token(self, response):
        match = re.search(r'name="embed_token" value="([^"]+)"', response.text)
        self.assertTrue(match, "the embedded form carries a signed token")
        return match.group(1)

    def test_embed_entry_keeps_the_flow_embedded(self):
        response = self.url_open(f"/book/embed/{self.branch.id}/{self.haircut.id}?staff={self.anna.id}")
        self.assertEqual(response.status_code, 200)
        path = urlsplit(response.url)
        self.assertEqual(path.path, self.url(self.haircut, "time"))
        self.assertEqual(parse_qs(path.query), {"staff": [str(self.anna.id)], "embed": ["1"]})
        text = html.unescape(response.text)
        self.assertIn("o_randevu_embedded", text)
        self.assertNotIn('id="top"', text)
        self.assertNotIn('id="bottom"', text)
        details_links = re.findall(r'href="(' + re.escape(self.url(self.haircut, "details")) + r'[^"]*)"', text)
        self.assertTrue(details_links)
        self.assertTrue(all("embed=1" in link for link in details_links), "times lead to the embedded details")
        self.assertIn(f'data-slots-url="{self.url(self.haircut, "slots")}"', text, "JSON routes stay plain")
        days = self.url_open(f"{self.url(self.haircut, 'days')}?embed=1").json()
        self.assertTrue(all("embed=1" in day["url"] for day in days["days"]))

    def test_frame_headers(self):
        plain = self.url_open(self.url())
        self.assertEqual(plain.headers.get("X-Frame-Options"), "SAMEORIGIN")
        self.assertEqual(plain.headers.get("Content-Security-Policy"), "frame-ancestors 'self'")
        for url in (f"/book/embed/{self.branch.id}", f"{self.url()}?embed=1"):
            with self.subTest(url=url):
                response = self.url_open(url, allow_redirects=False)
                self.assertNotIn("X-Frame-Options", response.headers)
                self.assertEqual(response.headers.get("Content-Security-Policy"), "frame-ancestors *")
        home = self.url_open("/")
        self.assertNotEqual(home.headers.get("Content-Security-Policy"), "frame-ancestors *")

    def test_frame_headers_follow_the_websites_allow_list(self):
        website = self.env["website"].get_current_website()
        website.randevu_embed_origins = "https://www.my-salon.com/\nhttps://*.Partner-Sites.example:8443"
        response = self.url_open(f"/book/embed/{self.branch.id}", allow_redirects=False)
        self.assertNotIn("X-Frame-Options", response.headers)
        self.assertEqual(
            response.headers.get("Content-Security-Policy"),
            "frame-ancestors 'self' https://www.my-salon.com https://*.partner-sites.example:8443",
        )
        plain = self.url_open(self.url())
        self.assertEqual(plain.headers.get("Content-Security-Policy"), "frame-ancestors 'self'", "unchanged")
        website.randevu_embed_origins = False
        response = self.url_open(f"/book/embed/{self.branch.id}", allow_redirects=False)
        self.assertEqual(response.headers.get("Content-Security-Policy"), "frame-ancestors *", "empty: any site")

    def test_allow_list_refuses_what_is_not_an_origin(self):
        website = self.env["website"].get_current_website()
        for wrong in (
            "www.my-salon.com",
            "https://www.my-salon.com/booking",
            "https://www.my-salon.com?x=1",
            "javascript:alert(1)",
            "https://ok.example *",
            "'unsafe-inline'",
        ):
            with self.subTest(wrong=wrong), self.assertRaisesRegex(ValidationError, "scheme and host only"):
                with self.env.cr.savepoint():
                    website.randevu_embed_origins = wrong
                    website.flush_recordset()
        self.assertFalse(website.randevu_embed_origins, "nothing kept")

    def test_loader_script_is_served(self):
        response = self.url_open("/randevu_booking/static/src/embed/loader.js")
        self.assertEqual(response.status_code, 200)
        self.assertIn("/book/embed/", response.text)
        self.assertIn("randevu-booking:height", response.text)

    def test_embedded_booking_without_session_cookie(self):
        """On another site the browser withholds the session cookie: the signed token
        of the form stands in for the CSRF token."""
        start = self.local(self.day, 10)
        details = self.url_open(f"{self.url(self.haircut, 'details')}?embed=1&start={start:%Y-%m-%dT%H:%M}")
        token = self.embed_token(details)
        self.opener.cookies.clear()
        appointments, partners = self.counts()
        refused = self.url_open(
            f"{self.url(self.haircut, 'confirm')}?embed=1",
            data=self.booking_data(csrf_token=None, embed_token="1." + token.split(".")[1]),
            allow_redirects=False,
        )
        self.assert_refused(refused, 400, "This page has expired")
        self.assertEqual(self.counts(), (appointments, partners))
        self.opener.cookies.clear()
        response = self.url_open(
            f"{self.url(self.haircut, 'confirm')}?embed=1",
            data=self.booking_data(csrf_token=None, embed_token=token),
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303, response.text[:1000])
        self.assertIn("embed=1", response.headers["Location"])
        self.assertEqual(self.counts(), (appointments + 1, partners + 1))

    def test_plain_booking_needs_the_csrf_token(self):
        response = self.post_booking(csrf_token="junk", embed_token="1.junk")
        self.assert_refused(response, 400, "This page has expired")

    def test_qr_code_png(self):
        for url in (
            f"/book/qr/{self.branch.id}",
            f"/book/qr/{self.branch.id}/{self.haircut.id}",
            f"/book/qr/{self.branch.id}?staff={self.anna.id}",
        ):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.headers["Content-Type"], "image/png")
                self.assertNotIn("Content-Disposition", response.headers)
                image = Image.open(io.BytesIO(response.content))
                self.assertEqual(image.format, "PNG")
                self.assertGreater(image.size[0], 100)
        download = self.url_open(f"/book/qr/{self.branch.id}/{self.haircut.id}?download=1")
        filename = f"booking-{self.branch.id}-{self.haircut.id}.png"
        self.assertEqual(download.headers["Content-Disposition"], f'attachment; filename="{filename}"')

    @mute_logger("odoo.http")
    def test_qr_code_of_what_is_not_bookable_is_not_found(self):
        closed = self._make_branch("Marseille", "Europe/Paris")
        outsider = self._make_staff("Zoe", closed, self.stylist_hours)
        for url in (
            f"/book/qr/{closed.id}",
            f"/book/qr/{self.branch.id}/{self.offline.id}",
            f"/book/qr/{self.branch.id}?staff={outsider.id}",
            f"/book/qr/{self.branch.id}?staff=abc",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.url_open(url).status_code, 404)

    def test_branch_form_shares_links_qr_codes_and_embed_code(self):
        share = self.branch.randevu_share_html
        base = self.branch.get_base_url()
        self.assertIn(f"{base}/book/{self.branch.id}", share)
        self.assertIn(f"{base}/book/{self.branch.id}/{self.haircut.id}", share)
        self.assertIn(f"{base}/book/{self.branch.id}?staff={self.anna.id}", share)
        self.assertIn(f"/book/qr/{self.branch.id}/{self.haircut.id}?download=1", share)
        self.assertIn("/randevu_booking/static/src/embed/loader.js", share)
        self.assertIn(f'data-branch="{self.branch.id}"', html.unescape(share))
        self.assertNotIn(self.offline.name, share)
        closed = self._make_branch("Marseille", "Europe/Paris")
        self.assertIn("Turn on Online Booking", closed.randevu_share_html)
