from datetime import datetime

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .common import JsonRpcMixin
from .test_role_landing import RoleCase


class OverviewCase(RoleCase):
    """A known week at Paris (UTC times; Paris is UTC+1), seen on Monday 6 January 2031 at
    09:30 UTC (10:30 local): Anna had a haircut done at 08:00 and has a colour at 13:00,
    and a haircut on Wednesday; Bruno's customer did not come at 09:00, and his 15:00
    customer cancelled. One message to a customer failed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.done = cls.book(cls, datetime(2031, 1, 6, 8, 0))
        cls.colour_today = cls.book(cls, datetime(2031, 1, 6, 13, 0), service=cls.colour)
        cls.wednesday = cls.book(cls, datetime(2031, 1, 8, 10, 0))
        cls.noshow = cls.book(cls, datetime(2031, 1, 6, 9, 0), staff=cls.bruno)
        cls.cancelled = cls.book(cls, datetime(2031, 1, 6, 15, 0), staff=cls.bruno)
        cls.done.state = "done"
        cls.wednesday.state = "confirmed"
        cls.noshow.state = "no_show"
        cls.cancelled.state = "cancelled"
        cls.env["randevu.message"].create(
            {
                "appointment_id": cls.colour_today.id,
                "company_id": cls.branch.id,
                "partner_id": cls.customer.id,
                "kind": "reminder",
                "channel": "sms",
                "key": "overview-test",
                "appointment_start": cls.colour_today.start,
                "state": "error",
                "error": "Invalid number",
            }
        )
        # Prices as booked (a staff price may differ from the list price).
        cls.done.price, cls.colour_today.price, cls.wednesday.price = 40, 95, 40

    def overview(self, **kwargs):
        with freeze_time("2031-01-06 09:30:00"):
            return self.env["randevu.overview"].with_user(self.owner).get_overview(**kwargs)


@tagged("post_install", "-at_install")
class TestOverview(HttpCase, JsonRpcMixin, OverviewCase):
    def test_figures_on_known_data(self):
        data = self.overview()
        self.assertEqual(data["branch"]["id"], self.branch.id, "her branch, not the main company")
        self.assertEqual(
            {key: data["today"][key] for key in ("appointments", "done", "revenue", "revenue_done", "no_shows")},
            {"appointments": 2, "done": 1, "revenue": 135, "revenue_done": 40, "no_shows": 1},
        )
        self.assertEqual(data["today"]["cancelled"], 1)
        self.assertEqual(
            {key: data["week"][key] for key in ("appointments", "revenue", "no_shows", "cancelled")},
            {"appointments": 3, "revenue": 175, "no_shows": 1, "cancelled": 1},
        )
        self.assertEqual((data["week"]["first_day"], data["week"]["last_day"]), ("2031-01-06", "2031-01-12"))
        anna, bruno = data["occupancy"]
        self.assertEqual(anna["name"], "Anna")
        # Anna works 8 h a day, Monday to Saturday: 0.5 + 2 h booked today, 3 h this week.
        self.assertEqual(anna["today"], {"work": 8.0, "booked": 2.5, "percent": 31, "bar": 31})
        self.assertEqual(anna["week"], {"work": 48.0, "booked": 3.0, "percent": 6, "bar": 6})
        self.assertEqual(bruno["today"]["booked"], 0.0, "a no-show and a cancellation hold no time")
        # Gaps of 30 minutes or more from now (10:30 local), the earliest first.
        self.assertEqual(
            data["gaps"][:2],
            [
                {"day": "Today", "staff": "Anna", "start": "10:30", "stop": "13:00", "minutes": 150},
                {"day": "Today", "staff": "Bruno", "start": "10:30", "stop": "13:00", "minutes": 150},
            ],
        )
        self.assertTrue(all(gap["minutes"] >= 30 for gap in data["gaps"]))
        self.assertLessEqual(len(data["gaps"]), 10, "the ten earliest of today and tomorrow at most")
        self.assertEqual(data["gaps"][-1]["day"], "Tomorrow")
        self.assertEqual(data["failed_count"], 1)
        self.assertEqual(data["failed"][0]["error"], "Invalid number")

    def test_overview_is_for_managers_over_json_rpc(self):
        for user in (self.stylist, self.receptionist):
            self.authenticate(user.login, user.login)
            with self.subTest(user=user.login):
                self.assert_rpc_error(self.call_kw("randevu.overview", "get_overview"), "AccessError")
        self.authenticate(self.owner.login, self.owner.login)
        data = self.call_kw_result("randevu.overview", "get_overview")
        self.assertEqual(data["branch"]["name"], "Salon Paris")
        self.assertEqual([branch["id"] for branch in data["branches"]], [self.branch.id])
        # As the web client calls it at login: only her default company (the main one) active.
        main = self.env.ref("base.main_company")
        data = self.call_kw_result("randevu.overview", "get_overview", companies=main)
        self.assertEqual(data["branch"]["name"], "Salon Paris")

    def test_branches_side_by_side(self):
        """An owner of two branches sees both, each with its figures; the one shown is hers."""
        lyon = self._make_branch("Lyon", "Europe/Paris")
        self._make_staff("Chloé", lyon, self._make_calendar("Lyon hours", lyon, [(9, 18)]))
        self.owner.company_ids |= lyon
        self.env.flush_all()  # as at the end of the request that added her to Lyon
        data = self.overview()
        self.assertEqual([b["name"] for b in data["branches"]], ["Salon Lyon", "Salon Paris"])
        self.assertEqual([row["name"] for row in data["summary"]], ["Salon Lyon", "Salon Paris"])
        paris = data["summary"][1]
        self.assertEqual((paris["today"]["appointments"], paris["week"]["revenue"]), (2, 175))
        self.assertEqual(data["summary"][0]["week"]["appointments"], 0)
        self.assertEqual(self.overview(branch_id=lyon.id)["branch"]["name"], "Salon Lyon")

    def test_revenue_hook(self):
        """Addons that know what was paid override `_randevu_overview_revenue`."""
        self.assertEqual(self.env["randevu.overview"]._randevu_overview_revenue(self.done | self.wednesday), 80)


@tagged("post_install", "-at_install")
class TestOverviewTour(HttpCase, OverviewCase):
    """In the browser, as the owner: she logs in and lands on the overview of her branch
    (no URL given), reads the week's figures and opens the failed messages."""

    browser_size = "1440x900"

    def test_owner_overview_tour(self):
        self.start_tour("/odoo", "randevu_owner_overview_tour", login=self.owner.login)
