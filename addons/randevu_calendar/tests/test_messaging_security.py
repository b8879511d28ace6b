from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import RandevuMessagingCase

BOOKED_AT = datetime(2031, 1, 1, 10, 0)
MONDAY_10 = datetime(2031, 1, 6, 9, 0)


@tagged("post_install", "-at_install")
class TestMessagingSecurity(RandevuMessagingCase):
    """Messages and reminder rules per role and branch; booking and moving as a
    receptionist or a staff member sends what it should without extra rights."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_branch = cls._make_branch("Istanbul", "Europe/Istanbul")
        cls.receptionist = cls.make_user("msg_rec", "base.group_user,randevu_calendar.group_randevu_user", cls.branch)
        cls.manager = cls.make_user("msg_mgr", "base.group_user,randevu_calendar.group_randevu_manager", cls.branch)
        cls.bruno_user = cls.make_user("msg_bruno", "base.group_user,randevu_calendar.group_randevu_staff", cls.branch)
        cls.bruno.user_id = cls.bruno_user

    def test_receptionist_books_and_reads_but_never_writes_messages(self):
        with freeze_time(BOOKED_AT):
            appointment = (
                self.env["randevu.appointment"]
                .with_user(self.receptionist)
                .create(
                    {
                        "company_id": self.branch.id,
                        "service_id": self.haircut.id,
                        "employee_id": self.anna.id,
                        "start": MONDAY_10,
                        "partner_id": self.customer.id,
                    }
                )
            )
        Message = self.env["randevu.message"].with_user(self.receptionist)
        messages = Message.search([("appointment_id", "=", appointment.id)])
        self.assertEqual(sorted(messages.mapped("channel")), ["email", "sms"])
        with self.assertRaises(AccessError):
            messages.write({"state": "queued"})
        with self.assertRaises(AccessError):
            Message.create(
                {
                    "appointment_id": appointment.id,
                    "company_id": self.branch.id,
                    "kind": "confirmation",
                    "channel": "email",
                    "key": "x",
                }
            )
        messages.with_user(self.manager).unlink()
        self.assertFalse(appointment.randevu_message_ids)

    def test_staff_see_the_messages_of_their_own_appointments(self):
        with freeze_time(BOOKED_AT):
            anna_appt = self.book(MONDAY_10)
            bruno_appt = self.book(MONDAY_10, staff=self.bruno)
        Message = self.env["randevu.message"].with_user(self.stylist_user)
        self.assertEqual(Message.search([]).appointment_id, anna_appt)
        with self.assertRaises(AccessError):
            bruno_appt.randevu_message_ids.with_user(self.stylist_user).read(["state"])
        # Moving her own appointment needs no extra rights and tells the customer (email and SMS).
        with freeze_time(BOOKED_AT):
            anna_appt.with_user(self.stylist_user).write({"start": datetime(2031, 1, 6, 10, 0)})
        self.assertEqual(len(Message.search([("kind", "=", "reschedule")])), 2)

    def test_reminder_rules_are_set_up_by_managers_of_the_branch(self):
        Rule = self.env["randevu.reminder.rule"]
        self.assertEqual(Rule.with_user(self.receptionist).search([]).company_id, self.branch)
        with self.assertRaises(AccessError):
            Rule.with_user(self.receptionist).create({"company_id": self.branch.id, "offset_hours": 3})
        rule = Rule.with_user(self.manager).create({"company_id": self.branch.id, "offset_hours": 3, "channel": "sms"})
        self.assertEqual(rule.name, "3 h · SMS")
        with self.assertRaises(AccessError):
            self.other_branch.randevu_reminder_rule_ids.with_user(self.manager).read(["offset_hours"])
