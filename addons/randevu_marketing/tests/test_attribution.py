from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from odoo.addons.randevu_calendar.tests.common import RandevuCase

# "Now" of these tests: before RandevuCase's Monday 6 January 2031.
NOW = datetime(2031, 1, 2, 10, 0)


@tagged("post_install", "-at_install")
class TestCampaignAttribution(RandevuCase):
    """Without a website: the booking service puts the campaign, source and medium it is
    given on the appointment (existing ones only, at most a query per name); a campaign
    counts its bookings not cancelled and their price, per branch the manager sees, in
    the current branch's currency. The website path is tested in randevu_booking_marketing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Service = cls.env["randevu.booking.service"]
        cls.branch.country_id = cls.env.ref("base.fr")
        cls.campaign = cls.env["utm.campaign"].create({"title": "Spring Colour Week"})
        cls.newsletter = cls.env.ref("utm.utm_source_newsletter")
        cls.email = cls.env.ref("utm.utm_medium_email")
        cls.try_currency = cls.env.ref("base.TRY")
        cls.try_currency.active = True
        cls.istanbul = cls._make_branch("Istanbul", "Europe/Istanbul", parent_id=False, currency_id=cls.try_currency.id)
        cls.istanbul_hours = cls._make_calendar("Istanbul hours", cls.istanbul, [(9, 18)])
        cls.deniz = cls._make_staff("Deniz", cls.istanbul, cls.istanbul_hours)
        cls.haircut.randevu_staff_line_ids = [(0, 0, {"employee_id": cls.deniz.id, "sequence": 5})]
        manager = "base.group_user,randevu_calendar.group_randevu_manager"
        cls.paris_manager = cls.make_user("attrib_paris", manager, cls.branch)
        cls.both_manager = cls.make_user("attrib_both", manager, cls.branch, cls.branch | cls.istanbul)

    def setUp(self):
        super().setUp()
        self.frozen = freeze_time(NOW)
        self.frozen.start()
        self.addCleanup(self.frozen.stop)

    def at(self, hour, day=None):
        return (day or self.monday) + timedelta(hours=hour - 1)

    def book_online(self, hour, phone, names=None):
        service = self.Service.with_context(randevu_utm=names) if names else self.Service
        details = {"name": f"Guest {phone}", "phone": phone, "email": "", "note": ""}
        return service._book(self.branch, self.haircut, self.env["hr.employee"], self.at(hour), details)

    def test_the_booking_service_sets_the_campaign_it_is_given(self):
        names = {"utm_campaign": self.campaign.name.upper(), "utm_source": "newsletter", "utm_medium": "Email"}
        appointment = self.book_online(10, "0611111111", names)
        self.assertRecordValues(
            appointment,
            [{"campaign_id": self.campaign.id, "source_id": self.newsletter.id, "medium_id": self.email.id}],
        )
        self.assertFalse(self.book_online(11, "0611111112").campaign_id, "no names: no campaign")
        campaigns = self.env["utm.campaign"].search_count([])
        unknown = self.book_online(12, "0611111113", {"utm_campaign": "Spring%", "utm_source": "Nowhere"})
        self.assertRecordValues(unknown, [{"campaign_id": False, "source_id": False}])
        self.assertEqual(self.env["utm.campaign"].search_count([]), campaigns, "a visitor creates no campaign")

    def test_names_cost_at_most_one_query_each(self):
        names = {"utm_campaign": self.campaign.name, "utm_source": "Newsletter", "utm_medium": "Email"}
        counts = []
        for hour, phone, given in ((10, "0622222221", None), (14, "0622222222", names)):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.book_online(hour, phone, given)
            counts.append(self.env.cr.sql_log_count - before)
        self.assertLessEqual(counts[1] - counts[0], 3)

    def test_an_explicit_default_still_applies(self):
        with_default = (
            self.env["randevu.appointment"]
            .with_context(default_campaign_id=self.campaign.id)
            .create(
                {
                    "company_id": self.branch.id,
                    "service_id": self.haircut.id,
                    "employee_id": self.bruno.id,
                    "start": self.at(16),
                    "partner_id": self.customer.id,
                }
            )
        )
        self.assertEqual(with_default.campaign_id, self.campaign)

    def test_results_per_branch_seen_in_the_current_branch_currency(self):
        paris = self.book(self.at(10), campaign_id=self.campaign.id)
        self.book(self.at(11), staff=self.bruno, campaign_id=self.campaign.id).action_cancel()
        self.book(self.at(12), campaign_id=False)
        istanbul = self.env["randevu.appointment"].create(
            {
                "company_id": self.istanbul.id,
                "service_id": self.haircut.id,
                "employee_id": self.deniz.id,
                "start": self.at(10),
                "partner_id": self.customer.id,
                "price": 1500.0,
                "campaign_id": self.campaign.id,
            }
        )
        self.assertTrue(paris.price)
        campaign = self.campaign.with_user(self.paris_manager)
        self.assertEqual(campaign.randevu_booking_count, 1, "Paris's manager sees Paris's bookings only")
        self.assertEqual(campaign.randevu_booked_revenue, paris.price)
        campaign = self.campaign.with_user(self.both_manager).with_context(
            allowed_company_ids=(self.branch | self.istanbul).ids
        )
        self.assertEqual(campaign.randevu_booking_count, 2)
        today = fields.Date.context_today(campaign)
        converted = self.try_currency._convert(istanbul.price, self.branch.currency_id, self.branch, today)
        self.assertEqual(campaign.randevu_currency_id, self.branch.currency_id)
        self.assertAlmostEqual(campaign.randevu_booked_revenue, paris.price + converted, places=2)

    def test_results_per_mailing_through_its_own_source(self):
        """Each mailing counts the bookings made through its own links (its utm source, the
        `utm_source` its links carry): not those of another mailing of the same campaign,
        nor those of the campaign without a source, nor cancelled ones; one grouped query
        for all the mailings shown."""
        Mailing = self.env["mailing.mailing"]
        first, second = Mailing.create(
            [
                {"subject": "Spring colours", "campaign_id": self.campaign.id, "body_html": "<p>A</p>"},
                {"subject": "Spring colours, reminder", "campaign_id": self.campaign.id, "body_html": "<p>B</p>"},
            ]
        )
        self.assertNotEqual(first.source_id, second.source_id)
        names = {"utm_campaign": self.campaign.name, "utm_source": first.source_id.name, "utm_medium": "Email"}
        booked = self.book_online(10, "0633333331", names)
        self.book_online(11, "0633333332", names).action_cancel()
        self.book_online(12, "0633333333", {"utm_campaign": self.campaign.name})
        self.book_online(14, "0633333334", {**names, "utm_source": second.source_id.name})
        self.assertEqual(booked.source_id, first.source_id)
        (first | second).invalidate_recordset(["randevu_booking_count", "randevu_booked_revenue"])
        with self.assertQueryCount(1):
            self.assertEqual((first | second).mapped("randevu_booking_count"), [1, 1])
        self.assertEqual(first.randevu_booked_revenue, booked.price)
        self.assertTrue(booked.price)
        self.assertEqual(self.campaign.randevu_booking_count, 3, "the campaign counts all three")
        action = first.action_randevu_bookings()
        self.assertEqual(self.env["randevu.appointment"].search(action["domain"]).mapped("state").count("cancelled"), 1)
