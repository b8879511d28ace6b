from odoo.tests import tagged

from odoo.addons.randevu_booking.tests.common import RandevuBookingCase

REFUSED = "Only the salon's team may open a customer's campaigns and bookings."


@tagged("post_install", "-at_install")
class TestProfileButtonsAccess(RandevuBookingCase):
    """The customer profile's *Codes Used*, *Bookings Brought* and *Campaigns Received*
    buttons through JSON-RPC, as each role: the team (receptionists and managers) gets
    the list's action, whose bookings are those of the user's branches only; staff
    members and portal customers are refused the action and the counts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign = cls.env["utm.campaign"].create({"title": "Profile Campaign"})
        cls.istanbul = cls._make_branch("Istanbul", "Europe/Istanbul")
        deniz = cls._make_staff("Deniz", cls.istanbul, cls._make_calendar("Deniz hours", cls.istanbul, [(9, 18)]))
        cls.haircut.randevu_staff_line_ids = [(0, 0, {"employee_id": deniz.id, "sequence": 9})]
        coded = {"randevu_discount_code": "SPRING10", "campaign_id": cls.campaign.id, "hours_override": True}
        cls.paris_appt = cls.book(cls, cls.local(cls.day, 10), **coded)
        cls.istanbul_appt = cls.book(cls, cls.local(cls.day, 11), staff=deniz, company_id=cls.istanbul.id, **coded)
        cls.plain_appt = cls.book(cls, cls.local(cls.day, 15), hours_override=True)
        role = "base.group_user,randevu_calendar.group_randevu_%s"
        cls.make_user("prof_manager", role % "manager", cls.branch)
        cls.make_user("prof_user", role % "user", cls.branch)
        cls.make_user("prof_user_ist", role % "user", cls.istanbul)
        cls.make_user("prof_staff", role % "staff", cls.branch)
        cls.make_portal_customer("prof_portal", "+33611223355")

    def listed(self, action, branch):
        """The bookings the action's list shows to the session's user at `branch`."""
        self.assertEqual(action["res_model"], "randevu.appointment")
        rows = self.call_kw_result("randevu.appointment", "search_read", action["domain"], ["id"], companies=branch)
        return {row["id"] for row in rows}

    def test_team_gets_the_bookings_of_its_branches(self):
        for login, branch, appointment in (
            ("prof_manager", self.branch, self.paris_appt),
            ("prof_user", self.branch, self.paris_appt),
            ("prof_user_ist", self.istanbul, self.istanbul_appt),
        ):
            with self.subTest(login=login):
                self.authenticate(login, login)
                for method in ("action_randevu_code_bookings", "action_randevu_campaign_bookings"):
                    action = self.call_kw_result("res.partner", method, self.customer.ids, companies=branch)
                    self.assertEqual(self.listed(action, branch), {appointment.id}, method)
                counts = self.call_kw_result(
                    "res.partner",
                    "read",
                    self.customer.ids,
                    ["randevu_code_booking_count", "randevu_campaign_booking_count"],
                    companies=branch,
                )
                self.assertEqual(counts[0]["randevu_code_booking_count"], 1, "her branch's booking only")
                self.assertEqual(counts[0]["randevu_campaign_booking_count"], 1)

    def test_staff_and_portal_are_refused(self):
        for login in ("prof_staff", "prof_portal"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                for method in (
                    "action_randevu_code_bookings",
                    "action_randevu_campaign_bookings",
                    "action_randevu_mailings_received",
                ):
                    answer = self.call_kw("res.partner", method, self.customer.ids)
                    self.assert_access_error(answer, f"{login} {method}")
                answer = self.call_kw("res.partner", "read", self.customer.ids, ["randevu_code_booking_count"])
                self.assert_access_error(answer, f"{login} reads the count")
        self.authenticate("prof_staff", "prof_staff")
        answer = self.call_kw("res.partner", "action_randevu_code_bookings", self.customer.ids)
        self.assertEqual(answer["error"]["data"]["message"], REFUSED)

    def test_portal_cannot_read_another_customers_bookings_through_the_domain(self):
        """Even with the action's domain in hand, a portal customer reads no one else's
        bookings (nor their code)."""
        self.authenticate("prof_portal", "prof_portal")
        domain = [("partner_id", "=", self.customer.id)]
        rows = self.call_kw("randevu.appointment", "search_read", domain, ["id"])
        self.assertEqual(rows.get("result", []), [], rows)
