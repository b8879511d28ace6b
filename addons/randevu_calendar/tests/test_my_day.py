from datetime import datetime

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .common import JsonRpcMixin
from .test_role_landing import RoleCase


class MyDayCase(RoleCase):
    """Anna's Monday (UTC times; Paris is UTC+1): a haircut at 08:00 with an allergy
    note, a colour at 10:00, Bruno's haircut at 09:00 (not hers)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.randevu_customer_note = "Allergic to ammonia — use the ammonia-free colour"
        cls.first = cls.book(cls, datetime(2031, 1, 6, 8, 0))
        cls.second = cls.book(cls, datetime(2031, 1, 6, 10, 0), service=cls.colour)
        cls.others = cls.book(cls, datetime(2031, 1, 6, 9, 0), staff=cls.bruno)


@tagged("post_install", "-at_install")
class TestMyDay(HttpCase, JsonRpcMixin, MyDayCase):
    def test_my_day_lists_her_appointments_with_the_allowed_buttons(self):
        with freeze_time("2031-01-06 07:30:00"):
            day = self.env["randevu.my.day"].with_user(self.stylist).get_my_day("2031-01-06")
        self.assertEqual(day["staff_name"], "Anna")
        rows = day["appointments"]
        self.assertEqual([row["id"] for row in rows], [self.first.id, self.second.id], "hers only, by start")
        first = rows[0]
        self.assertEqual((first["start"], first["stop"], first["minutes"]), ("09:00", "09:30", 30))
        self.assertEqual((first["service"], first["customer"]), ("Haircut", "Chloé Martin"))
        self.assertIn("Allergic to ammonia", first["note"])
        self.assertTrue(first["is_next"])
        # Not started yet: no no-show; the branch does not let staff cancel.
        self.assertEqual(first["buttons"], ["action_arrive", "action_start"])
        self.first.action_arrive()
        with freeze_time("2031-01-06 08:20:00"):
            rows = self.env["randevu.my.day"].with_user(self.stylist).get_my_day("2031-01-06")["appointments"]
        self.assertEqual(rows[0]["buttons"], ["action_start", "action_done"])
        self.assertEqual(rows[1]["buttons"], ["action_arrive", "action_start"])

    def test_no_show_button_once_started(self):
        with freeze_time("2031-01-06 10:20:00"):
            rows = self.env["randevu.my.day"].with_user(self.stylist).get_my_day("2031-01-06")["appointments"]
        self.assertIn("action_no_show", rows[1]["buttons"])

    def test_staff_cancel_is_a_branch_setting(self):
        """Over JSON-RPC as the stylist: no cancelling by default, by the button or by a
        plain write; once the branch allows it, she cancels her own appointment."""
        self.assertFalse(self.branch.randevu_staff_may_cancel, "off by default")
        self.authenticate(self.stylist.login, self.stylist.login)
        answer = self.call_kw("randevu.appointment", "action_cancel", [self.first.id], companies=self.branch)
        self.assert_rpc_error(answer, "AccessError")
        answer = self.call_kw(
            "randevu.appointment", "write", [self.first.id], {"state": "cancelled"}, companies=self.branch
        )
        self.assert_rpc_error(answer, "AccessError")
        self.assertEqual(self.first.state, "booked")
        # The status buttons still work for her.
        self.call_kw_result("randevu.appointment", "action_arrive", [self.first.id], companies=self.branch)
        self.assertEqual(self.first.state, "arrived")

        self.branch.randevu_staff_may_cancel = True
        day = self.call_kw_result("randevu.my.day", "get_my_day", "2031-01-06", companies=self.branch)
        self.assertIn("action_cancel", day["appointments"][1]["buttons"])
        self.call_kw_result("randevu.appointment", "action_cancel", [self.second.id], companies=self.branch)
        self.assertEqual(self.second.state, "cancelled")
        # Never someone else's: the record rules hide Bruno's appointment from her.
        answer = self.call_kw("randevu.appointment", "action_cancel", [self.others.id], companies=self.branch)
        self.assert_rpc_error(answer, "AccessError|MissingError")
        self.assertEqual(self.others.state, "booked")

    def test_receptionist_cancels_whatever_the_setting(self):
        self.authenticate(self.receptionist.login, self.receptionist.login)
        self.call_kw_result("randevu.appointment", "action_cancel", [self.first.id], companies=self.branch)
        self.assertEqual(self.first.state, "cancelled")


@tagged("post_install", "-at_install")
class TestMyDayPhoneTour(HttpCase, MyDayCase):
    """The stylist's day on a 390 px phone (touch): she reads the allergy note of her next
    customer, checks her in, starts and finishes the service."""

    browser_size = "390x844"
    touch_enabled = True

    def test_my_day_phone_tour(self):
        self.start_tour("/odoo/randevu-my-day?day=2031-01-06", "randevu_my_day_phone_tour", login=self.stylist.login)
        self.assertEqual(self.first.state, "done")
        self.assertEqual(self.second.state, "booked")
