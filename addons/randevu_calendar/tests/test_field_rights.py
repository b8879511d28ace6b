from datetime import datetime

from odoo.tests import HttpCase, tagged

from .common import JsonRpcMixin, RandevuCase


@tagged("post_install", "-at_install")
class TestFieldRights(HttpCase, JsonRpcMixin, RandevuCase):
    """Fields a role may not set on an appointment it may otherwise write, through the
    JSON-RPC API as the web client calls it: whether it is paid (front desk and
    managers), booking outside working hours (managers)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            "staff": cls.make_user("fr_anna", "base.group_user,randevu_calendar.group_randevu_staff", cls.branch),
            "user": cls.make_user("fr_desk", "base.group_user,randevu_calendar.group_randevu_user", cls.branch),
            "manager": cls.make_user("fr_boss", "base.group_user,randevu_calendar.group_randevu_manager", cls.branch),
        }
        cls.anna.user_id = cls.users["staff"]
        cls.appointment = cls.env["randevu.appointment"].create(
            {
                "company_id": cls.branch.id,
                "service_id": cls.haircut.id,
                "employee_id": cls.anna.id,
                "start": datetime(2031, 1, 6, 9),
                "partner_id": cls.customer.id,
            }
        )

    def call_as(self, role, method, *args):
        self.authenticate(self.users[role].login, self.users[role].login)
        return self.call_kw("randevu.appointment", method, *args, companies=self.branch)

    def test_stylist_changes_the_status_not_the_payment(self):
        answer = self.call_as("staff", "write", self.appointment.ids, {"payment_state": "paid"})
        self.assert_access_error(answer, message="Only the front desk or a manager may record what a customer paid.")
        self.assertEqual(self.appointment.payment_state, "not_paid")
        answer = self.call_as("staff", "write", self.appointment.ids, {"state": "confirmed"})
        self.assertEqual(answer.get("result"), True, answer)
        # Creating with the default (not paid) is hers; creating it paid is not.
        values = {
            "company_id": self.branch.id,
            "service_id": self.haircut.id,
            "employee_id": self.anna.id,
            "start": "2031-01-06 11:00:00",
        }
        answer = self.call_as("staff", "create", [dict(values, payment_state="paid")])
        self.assert_access_error(answer, message="Only the front desk or a manager may record what a customer paid.")
        answer = self.call_as("staff", "create", [dict(values, payment_state="not_paid")])
        self.assertTrue(answer.get("result"), answer)

    def test_front_desk_and_manager_record_payment(self):
        for role, state in (("user", "deposit"), ("manager", "paid")):
            with self.subTest(role=role):
                answer = self.call_as(role, "write", self.appointment.ids, {"payment_state": state})
                self.assertEqual(answer.get("result"), True, answer)
                self.assertEqual(self.appointment.payment_state, state)
        # Once paid, the stylist cannot set it back either.
        answer = self.call_as("staff", "write", self.appointment.ids, {"payment_state": "not_paid"})
        self.assert_access_error(answer, message="Only the front desk or a manager may record what a customer paid.")
        self.assertEqual(self.appointment.payment_state, "paid")

    def test_outside_hours_is_for_managers(self):
        for role in ("staff", "user"):
            with self.subTest(role=role):
                answer = self.call_as(role, "write", self.appointment.ids, {"hours_override": True})
                self.assert_access_error(answer)
                self.assertFalse(self.appointment.sudo().hours_override)
        answer = self.call_as("manager", "write", self.appointment.ids, {"hours_override": True})
        self.assertEqual(answer.get("result"), True, answer)

    def test_calendar_sync_flag_is_randevus_own(self):
        """No role sets or clears `calendar_sync_pending` through the API: clearing it
        would keep a move out of the staff member's calendar. Every role reads it."""
        self.appointment.sudo().calendar_sync_pending = True
        for role in ("staff", "user", "manager"):
            with self.subTest(role=role):
                answer = self.call_as(role, "read", self.appointment.ids, ["calendar_sync_pending"])
                self.assertEqual(answer.get("result", [{}])[0].get("calendar_sync_pending"), True, answer)
                answer = self.call_as(role, "write", self.appointment.ids, {"calendar_sync_pending": False})
                self.assert_access_error(
                    answer, message="Only Randevu itself marks an appointment for the calendar synchronisation."
                )
                self.assertTrue(self.appointment.sudo().calendar_sync_pending)
        values = {
            "company_id": self.branch.id,
            "service_id": self.haircut.id,
            "employee_id": self.anna.id,
            "start": "2031-01-06 11:00:00",
            "calendar_sync_pending": False,
        }
        answer = self.call_as("manager", "create", [values])
        self.assert_access_error(
            answer, message="Only Randevu itself marks an appointment for the calendar synchronisation."
        )
