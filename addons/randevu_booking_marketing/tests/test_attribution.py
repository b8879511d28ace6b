import io

import qrcode
from PIL import Image
from werkzeug.urls import url_encode

from odoo.tests import tagged

from odoo.addons.randevu_booking.tests.common import RandevuBookingCase


@tagged("post_install", "-at_install")
class TestBookingAttribution(RandevuBookingCase):
    """Through the real website booking route: a booking made after opening a link with
    a campaign (a mailing's tracked link, a QR code, any utm_campaign URL) is attributed
    to it, one made without is not; the campaign counts its bookings and their price."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign = cls.env["utm.campaign"].create({"title": "Spring Colour Week"})
        cls.other_campaign = cls.env["utm.campaign"].create({"title": "Winter Offer"})
        role = "base.group_user,randevu_calendar.group_randevu_%s"
        cls.manager = cls.make_user("attrib_manager", role % "manager", cls.branch)
        cls.receptionist = cls.make_user("attrib_user", role % "user", cls.branch)
        cls.stylist = cls.make_user("attrib_staff", role % "staff", cls.branch)
        cls.portal = cls.make_portal_customer("attrib_portal", "+33611223344")

    def visit(self, path, **params):
        """Open `path` as the visitor with `params` in its URL (utm's ir.http keeps them
        in the odoo_utm_* cookies of the session)."""
        response = self.url_open(f"{path}?{url_encode(params)}" if params else path)
        self.assertEqual(response.status_code, 200)
        return response

    def book(self, **values):
        """Post the details form of the haircut; the appointment it made."""
        last_id = self.Appointment.search([], order="id desc", limit=1).id
        response = self.post_booking(**values)
        self.assertEqual(response.status_code, 303, response.text[:2000])
        self.env.invalidate_all()
        appointment = self.Appointment.search([("id", ">", last_id)])
        self.assertEqual(len(appointment), 1)
        return appointment

    def test_a_booking_after_a_campaign_link_is_attributed_to_it(self):
        self.visit(self.url(), utm_campaign=self.campaign.name, utm_source="Newsletter", utm_medium="Email")
        appointment = self.book()
        self.assertRecordValues(
            appointment,
            [
                {
                    "campaign_id": self.campaign.id,
                    "source_id": self.env.ref("utm.utm_source_newsletter").id,
                    "medium_id": self.env.ref("utm.utm_medium_email").id,
                    "source": "website",
                }
            ],
        )

    def test_a_booking_without_a_campaign_is_not_attributed(self):
        self.visit(self.url())
        appointment = self.book()
        self.assertRecordValues(appointment, [{"campaign_id": False, "source_id": False, "medium_id": False}])

    def test_unknown_names_and_wildcards_create_nothing_and_match_nothing(self):
        campaigns = self.env["utm.campaign"].with_context(active_test=False).search_count([])
        sources = self.env["utm.source"].search_count([])
        self.visit(self.url(), utm_campaign="%", utm_source="Never heard of", utm_medium="_____")
        appointment = self.book()
        self.assertRecordValues(appointment, [{"campaign_id": False, "source_id": False, "medium_id": False}])
        self.assertEqual(self.env["utm.campaign"].with_context(active_test=False).search_count([]), campaigns)
        self.assertEqual(self.env["utm.source"].search_count([]), sources)

    def test_a_mailing_link_carries_its_campaign_source_and_medium(self):
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": "Spring colours are here",
                "body_html": "<p>Book now</p>",
                "mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
                "campaign_id": self.campaign.id,
            }
        )
        # The tracked link mass_mailing puts in the mailing for the booking page (titled:
        # link_tracker would fetch the page for its title).
        link = self.env["link.tracker"].create(
            {"url": self.base_url() + self.url(), "title": "Book", **mailing._get_link_tracker_values()}
        )
        self.assertIn("utm_campaign=", link.redirected_url)
        response = self.url_open(link.short_url)  # /r/<code>, redirected to the booking page
        self.assertEqual(response.status_code, 200)
        self.assertEqual(link.count, 1, "the click is counted by link_tracker")
        appointment = self.book()
        self.assertRecordValues(
            appointment,
            [
                {
                    "campaign_id": self.campaign.id,
                    "source_id": mailing.source_id.id,
                    "medium_id": mailing.medium_id.id,
                }
            ],
        )
        self.assertEqual(mailing.medium_id, self.env.ref("utm.utm_medium_email"))

    def test_the_qr_code_links_to_the_booking_page_with_the_campaign(self):
        campaign = self.campaign.with_user(self.manager)
        expected = (
            f"{self.env['website'].get_current_website().get_base_url()}/book?"
            f"utm_campaign={self.campaign.name.replace(' ', '+')}&utm_source=QR+code&utm_medium=Print"
        )
        self.assertEqual(campaign.randevu_booking_qr_url, expected)
        self.assertTrue(campaign.randevu_booking_qr)
        # The printed code, downloaded by a manager, encodes exactly that URL.
        self.authenticate("attrib_manager", "attrib_manager")
        png = self.url_open(f"/randevu/campaign/{self.campaign.id}/qr?download=1")
        self.assertEqual(png.status_code, 200)
        self.assertEqual(png.headers["Content-Type"], "image/png")
        self.assertIn("attachment", png.headers["Content-Disposition"])
        regenerated = qrcode.QRCode(box_size=10, border=2)
        regenerated.add_data(expected)
        regenerated.make(fit=True)
        image = Image.open(io.BytesIO(png.content)).convert("1")
        self.assertEqual(image.size, ((len(regenerated.get_matrix())) * 10,) * 2)
        modules = [
            [image.getpixel((x * 10 + 5, y * 10 + 5)) == 0 for x in range(image.size[0] // 10)]
            for y in range(image.size[1] // 10)
        ]
        self.assertEqual(modules, regenerated.get_matrix(), "the image's modules are the URL's QR code")
        # Only managers print it; a visitor scanning it is attributed (source QR code, medium Print).
        for login in ("attrib_user", "attrib_staff", "attrib_portal"):
            self.authenticate(login, login)
            self.assertEqual(self.url_open(f"/randevu/campaign/{self.campaign.id}/qr").status_code, 404, login)
        self.authenticate(None, None)
        self.url_open(expected)
        appointment = self.book()
        self.assertRecordValues(
            appointment,
            [
                {
                    "campaign_id": self.campaign.id,
                    "source_id": self.env.ref("randevu_booking_marketing.utm_source_qr").id,
                    "medium_id": self.env.ref("randevu_booking_marketing.utm_medium_print").id,
                }
            ],
        )

    def test_the_campaign_counts_its_bookings_and_their_revenue(self):
        self.visit(self.url(), utm_campaign=self.campaign.name)
        first = self.book()
        second = self.book(phone="06 98 76 54 02", email="second@example.com", start=self.local(self.day, 11))
        cancelled = self.book(phone="06 98 76 54 03", email="third@example.com", start=self.local(self.day, 12))
        cancelled.with_context(randevu_cancel_reason="test").action_cancel()
        self.authenticate(None, None)  # a new visitor, without the campaign
        unattributed = self.book(phone="06 98 76 54 04", email="fourth@example.com", start=self.local(self.day, 14))
        self.assertFalse(unattributed.campaign_id)
        attributed = self.Appointment.search([("campaign_id", "=", self.campaign.id), ("state", "!=", "cancelled")])
        self.assertEqual(attributed, first | second)
        campaign = self.campaign.with_user(self.manager)
        self.assertEqual(campaign.randevu_booking_count, 2)
        self.assertEqual(campaign.randevu_booked_revenue, first.price + second.price)
        self.assertTrue(first.price)
        self.assertEqual(campaign.randevu_currency_id, self.branch.currency_id)
        self.assertEqual(self.other_campaign.with_user(self.manager).randevu_booking_count, 0)
        action = campaign.action_randevu_bookings()
        self.assertEqual(self.Appointment.search(action["domain"] + [("state", "!=", "cancelled")]), first | second)

    def test_results_are_for_managers_only(self):
        self.visit(self.url(), utm_campaign=self.campaign.name)
        appointment = self.book()
        fields = ["randevu_booking_count", "randevu_booked_revenue"]
        self.authenticate("attrib_manager", "attrib_manager")
        rows = self.call_kw_result("utm.campaign", "read", self.campaign.ids, fields)
        self.assertEqual(rows[0]["randevu_booking_count"], 1)
        self.assertEqual(rows[0]["randevu_booked_revenue"], appointment.price)
        for login in ("attrib_user", "attrib_staff"):
            self.authenticate(login, login)
            with self.subTest(login=login):
                self.assert_access_error(self.call_kw("utm.campaign", "read", self.campaign.ids, fields), login)
                self.assert_access_error(
                    self.call_kw("utm.campaign", "read", self.campaign.ids, ["randevu_booking_qr_url"]), login
                )
        # A customer sees no campaign, neither the campaigns nor that of her appointment.
        self.authenticate("attrib_portal", "attrib_portal")
        self.assert_access_error(self.call_kw("utm.campaign", "read", self.campaign.ids, ["title"]), "portal")
        self.assert_access_error(self.call_kw("utm.campaign", "read", self.campaign.ids, fields), "portal")
        self.authenticate(None, None)
        answer = self.call_kw("utm.campaign", "read", self.campaign.ids, fields)
        self.assertIn("error", answer, "public")

    def test_the_desk_in_the_backend_is_not_counted_for_the_campaign_it_clicked(self):
        """Odoo's utm.mixin would read the utm cookies of the desk's own browser: an
        appointment created in the backend after following a campaign link must not count."""
        self.authenticate("attrib_user", "attrib_user")
        self.visit(self.url(), utm_campaign=self.campaign.name)
        self.assertTrue(self.opener.cookies.get("odoo_utm_campaign"), "the cookie is set")
        appointment_id = self.call_kw_result(
            "randevu.appointment",
            "create",
            {
                "company_id": self.branch.id,
                "service_id": self.haircut.id,
                "employee_id": self.anna.id,
                "start": self.local(self.day, 15).strftime("%Y-%m-%d %H:%M:%S"),
                "partner_id": self.customer.id,
            },
        )
        self.assertFalse(self.Appointment.browse(appointment_id).campaign_id)
