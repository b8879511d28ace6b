from datetime import datetime

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import JsonRpcMixin, RandevuCase


@tagged("post_install", "-at_install")
class TestSecurity(RandevuCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_branch = cls._make_branch("Istanbul", "Europe/Istanbul")
        other_hours = cls._make_calendar("Istanbul hours", cls.other_branch, [(9, 18)])
        cls.deniz = cls._make_staff("Deniz", cls.other_branch, other_hours)
        cls.haircut.randevu_staff_line_ids = [(0, 0, {"employee_id": cls.deniz.id})]
        cls.receptionist_a = cls.make_user(
            "rv_rec_a", "base.group_user,randevu_calendar.group_randevu_user", cls.branch
        )
        cls.anna_user = cls.make_user("rv_anna", "base.group_user,randevu_calendar.group_randevu_staff", cls.branch)
        cls.bruno_user = cls.make_user("rv_bruno", "base.group_user,randevu_calendar.group_randevu_staff", cls.branch)
        cls.anna.user_id = cls.anna_user
        cls.bruno.user_id = cls.bruno_user
        cls.customer.randevu_customer_note = "Allergic to ammonia"
        cls.appt_anna = cls.env["randevu.appointment"].create(
            {
                "company_id": cls.branch.id,
                "service_id": cls.haircut.id,
                "employee_id": cls.anna.id,
                "start": datetime(2031, 1, 6, 9),
                "partner_id": cls.customer.id,
            }
        )
        cls.appt_istanbul = cls.env["randevu.appointment"].create(
            {
                "company_id": cls.other_branch.id,
                "service_id": cls.haircut.id,
                "employee_id": cls.deniz.id,
                "start": datetime(2031, 1, 6, 9),
                "partner_id": cls.customer.id,
            }
        )

    def test_branch_user_cannot_read_other_branch(self):
        Appointment = self.env["randevu.appointment"].with_user(self.receptionist_a)
        self.assertEqual(Appointment.search([("partner_id", "=", self.customer.id)]), self.appt_anna)
        with self.assertRaises(AccessError):
            self.appt_istanbul.with_user(self.receptionist_a).read(["start"])
        # Even asking for the other branch in the context does not open it: the user does not work there.
        with self.assertRaises(AccessError):
            self.appt_istanbul.with_user(self.receptionist_a).with_context(
                allowed_company_ids=self.other_branch.ids
            ).read(["start"])

    def test_staff_cannot_read_other_staff_customer_notes(self):
        self.assertEqual(self.appt_anna.with_user(self.anna_user).customer_note, "Allergic to ammonia")
        with self.assertRaises(AccessError):
            self.appt_anna.with_user(self.bruno_user).read(["customer_note"])
        with self.assertRaises(AccessError):
            self.customer.with_user(self.anna_user).read(["randevu_customer_note"])
        # The receptionist reads notes on the profile.
        self.assertEqual(self.customer.with_user(self.receptionist_a).randevu_customer_note, "Allergic to ammonia")

    def test_staff_sees_others_only_as_busy_time(self):
        slots = (
            self.env["randevu.availability"]
            .with_user(self.bruno_user)
            .find_slots(
                self.haircut, self.branch, datetime(2031, 1, 6), datetime(2031, 1, 7), staff=self.anna, now=self.past
            )
        )
        self.assertNotIn(datetime(2031, 1, 6, 9), [slot["start"] for slot in slots], "Anna's appointment is busy time")
        self.assertFalse(
            self.env["randevu.appointment"].with_user(self.bruno_user).search([("employee_id", "=", self.anna.id)])
        )

    def test_staff_cannot_delete_and_portal_reads_own(self):
        with self.assertRaises(AccessError):
            self.appt_anna.with_user(self.anna_user).unlink()
        portal = self.make_user("rv_portal", "base.group_portal", self.branch)
        portal.partner_id = self.customer
        # Portal rule: one's own appointments only (branch rule still applies).
        self.assertEqual(self.appt_anna.with_user(portal).start, datetime(2031, 1, 6, 9))
        stranger = self.make_user("rv_stranger", "base.group_portal", self.branch)
        with self.assertRaises(AccessError):
            self.appt_anna.with_user(stranger).read(["start"])

    def test_receptionist_and_staff_book_through_the_rules(self):
        """Non-HR users book: the engine reads staff calendars for them (Odoo sends their
        employee searches to hr.employee.public)."""
        Appointment = self.env["randevu.appointment"].with_user(self.receptionist_a)
        booked = Appointment.create(
            {
                "company_id": self.branch.id,
                "service_id": self.haircut.id,
                "employee_id": self.bruno.id,
                "start": datetime(2031, 1, 6, 10),
            }
        )
        self.assertEqual(booked.segment_ids.sudo().employee_id, self.bruno)
        with self.assertRaises(ValidationError):
            Appointment.create(
                {
                    "company_id": self.branch.id,
                    "service_id": self.haircut.id,
                    "employee_id": self.anna.id,
                    "start": datetime(2031, 1, 6, 9),
                }
            )
        slots = (
            self.env["randevu.availability"]
            .with_user(self.receptionist_a)
            .find_slots(self.haircut, self.branch, datetime(2031, 1, 6), datetime(2031, 1, 7), now=self.past)
        )
        self.assertTrue(slots)
        own = (
            self.env["randevu.appointment"]
            .with_user(self.anna_user)
            .create(
                {
                    "company_id": self.branch.id,
                    "service_id": self.haircut.id,
                    "employee_id": self.anna.id,
                    "start": datetime(2031, 1, 6, 13),
                }
            )
        )
        self.assertEqual(own.employee_id, self.anna)


@tagged("post_install", "-at_install")
class TestDayPlannerRpc(HttpCase, JsonRpcMixin, TestSecurity):
    """The Day planner's data as each role's browser asks for it (/web/dataset/call_kw):
    a branch's receptionist, its stylists and a manager of two branches. The customer
    Chloé is booked at the same time in Paris (with Anna) and in Istanbul (with Deniz)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls.make_user(
            "rv_planner_manager",
            "base.group_user,randevu_calendar.group_randevu_manager",
            cls.branch,
            companies=cls.branch | cls.other_branch,
        )

    def call(self, user, method, args, companies=None):
        self.authenticate(user.login, user.login)
        return self.call_kw_result("randevu.day.planner", method, *args, companies=companies or self.branch)

    def test_receptionist_sees_her_branch_only(self):
        data = self.call(self.receptionist_a, "get_day", [self.branch.id, "2031-01-06"])
        [block] = data["appointments"]
        self.assertEqual((block["id"], block["partner"]), (self.appt_anna.id, "Chloé Martin"))
        self.assertIn({"key": "note", "title": "Allergic to ammonia"}, block["markers"])
        self.assertEqual(data["summary"]["appointments"], 1)
        # Her Istanbul appointment is another branch's: no warning, nothing of it shown.
        self.assertEqual(data["warnings"], [])
        self.assertFalse(block["double_booked"])
        self.assertNotIn("Deniz", str(data))
        self.assertNotIn("Istanbul", str(data))
        found = self.call(self.receptionist_a, "find_next_appointment", [self.branch.id, "Chloé"])
        self.assertEqual(found["appointment_id"], self.appt_anna.id)
        for method, args in (
            ("get_day", [self.other_branch.id, "2031-01-06"]),
            ("find_next_appointment", [self.other_branch.id, "Chloé"]),
            ("walk_in", [self.other_branch.id, self.haircut.id]),
        ):
            with self.subTest(method):
                answer = self.call_kw("randevu.day.planner", method, *args, companies=self.branch)
                self.assert_rpc_error(answer, "AccessError")

    def test_staff_see_their_own_blocks_and_others_as_busy(self):
        data = self.call(self.anna_user, "get_day", [self.branch.id, "2031-01-06"])
        self.assertEqual([block["id"] for block in data["appointments"]], self.appt_anna.ids)
        data = self.call(self.bruno_user, "get_day", [self.branch.id, "2031-01-06"])
        self.assertEqual(data["appointments"], [])
        self.assertEqual(data["summary"]["appointments"], 0)
        anna_column = next(column for column in data["staff"] if column["id"] == self.anna.id)
        self.assertEqual(anna_column["busy"], [[600, 645]], "10:00-10:30 and the cleaning after")
        self.assertNotIn("Chloé", str(data))
        self.assertNotIn("ammonia", str(data))
        self.assertFalse(self.call(self.bruno_user, "find_next_appointment", [self.branch.id, "Chloé"]))

    def test_manager_of_both_branches_is_warned(self):
        data = self.call(self.manager, "get_day", [self.branch.id, "2031-01-06"], self.branch | self.other_branch)
        self.assertEqual(
            [warning["message"] for warning in data["warnings"]],
            [
                "Chloé Martin is booked twice at the same time: 10:00-10:30 with Anna and "
                "10:00-10:30 with Deniz (Salon Istanbul)."
            ],
        )
        # Paris only: Istanbul's appointments stay out of the planner's figures.
        self.assertEqual(data["summary"]["appointments"], 1)
