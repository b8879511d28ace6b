from datetime import datetime

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import RandevuCase


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
