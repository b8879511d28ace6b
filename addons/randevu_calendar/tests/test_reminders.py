from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.randevu_calendar.models.randevu_message import RandevuMessage

from .common import RandevuMessagingCase

BOOKED_AT = datetime(2031, 1, 1, 10, 0)  # Wednesday 11:00 in Paris
MONDAY_10 = datetime(2031, 1, 6, 9, 0)  # Monday 6 January 2031, 10:00 in Paris (UTC+1)


@tagged("post_install", "-at_install")
class TestReminders(RandevuMessagingCase):
    """Reminder rules and the reminder cron: due, once, at the right time, never too
    late, never about a cancelled appointment, never a text at night."""

    def book_at(self, start, when=BOOKED_AT, **values):
        with freeze_time(when):
            appointment = self.book(start, **values)
            self.run_outbox()
        return appointment

    def test_default_rules_for_every_branch(self):
        self.assertEqual(
            [(rule.offset_hours, rule.channel) for rule in (self.rule_email | self.rule_sms)],
            [(24.0, "email"), (2.0, "sms")],
        )
        lyon = self._make_branch("Lyon", "Europe/Paris")
        self.assertEqual(sorted(lyon.randevu_reminder_rule_ids.mapped("channel")), ["email", "sms"])

    def test_each_rule_once_when_due(self):
        appointment = self.book_at(MONDAY_10)
        self.run_reminders(datetime(2031, 1, 5, 8, 59))
        self.assertFalse(self.messages(appointment, kind="reminder"), "not due yet")

        self.run_reminders(datetime(2031, 1, 5, 9, 0))
        email = self.messages(appointment, kind="reminder")
        self.assertEqual((email.rule_id, email.channel, email.state), (self.rule_email, "email", "sent"))
        self.assertEqual(email.planned_date, datetime(2031, 1, 5, 9, 0))
        mail = self.outgoing_mails(appointment).filtered(lambda mail: mail.mail_message_id == email.mail_message_id)
        self.assertIn("reminder of your appointment on Monday, January 6, 2031 at 10:00", mail.subject)
        self.assertIn("Haircut with Anna", mail.body_html)

        for when in (datetime(2031, 1, 5, 9, 5), datetime(2031, 1, 5, 20, 0), datetime(2031, 1, 6, 6, 59)):
            self.run_reminders(when)
        self.assertEqual(self.messages(appointment, kind="reminder"), email, "once per rule")

        self.run_reminders(datetime(2031, 1, 6, 7, 0))  # 08:00 in Paris, quiet hours just over
        sms = self.messages(appointment, kind="reminder", channel="sms")
        self.assertEqual((sms.rule_id, sms.state), (self.rule_sms, "sent"))
        self.assertIn(
            "reminder of your Haircut with Anna on Monday, January 6, 2031 at 10:00", sms.mail_message_id.body
        )
        self.run_reminders(datetime(2031, 1, 6, 7, 10))
        self.assertEqual(len(self.messages(appointment, kind="reminder")), 2)
        self.assertEqual(len(self.outgoing_texts(appointment)), 2, "the confirmation and the reminder")

    def test_service_rules_replace_branch_rules(self):
        self.env["randevu.reminder.rule"].create(
            {"company_id": self.branch.id, "service_id": self.colour.id, "offset_hours": 48, "channel": "sms"}
        )
        cut = self.book_at(MONDAY_10)
        colour = self.book_at(datetime(2031, 1, 6, 13, 0), staff=self.bruno, service=self.colour)
        for when in (datetime(2031, 1, 4, 13, 0), datetime(2031, 1, 5, 13, 0), datetime(2031, 1, 6, 7, 30)):
            self.run_reminders(when)
        self.assertEqual(self.messages(colour, kind="reminder").mapped("rule_id.offset_hours"), [48.0])
        self.assertEqual(sorted(self.messages(cut, kind="reminder").mapped("rule_id.offset_hours")), [2.0, 24.0])

    def test_quiet_hours_defer_texts_not_emails(self):
        # 09:00 in Paris: the 2 h SMS falls due at 07:00, inside quiet hours (21:00-08:00).
        appointment = self.book_at(datetime(2031, 1, 6, 8, 0))
        self.run_reminders(datetime(2031, 1, 6, 6, 0))
        sms = self.messages(appointment, kind="reminder", channel="sms")
        self.assertEqual(sms.state, "queued")
        self.assertEqual(sms.next_try, datetime(2031, 1, 6, 7, 0), "08:00 in Paris")
        self.assertFalse(sms.mail_message_id)
        self.run_reminders(datetime(2031, 1, 6, 6, 59))
        self.assertEqual(sms.state, "queued")
        self.run_reminders(datetime(2031, 1, 6, 7, 0))
        self.assertEqual(sms.state, "sent")
        self.assertEqual(sms.sent_date, datetime(2031, 1, 6, 7, 0))

        # Emails are not held back: the 24 h email of an appointment at 23:00 goes out at 23:00 the day before.
        night = self.book_at(datetime(2031, 1, 7, 22, 0), staff=self.bruno, hours_override=True)
        self.run_reminders(datetime(2031, 1, 6, 22, 0))  # 23:00 in Paris
        self.assertEqual(
            self.messages(night, kind="reminder").mapped(lambda msg: (msg.channel, msg.state)), [("email", "sent")]
        )

    def test_quiet_hours_ending_in_the_repeated_or_skipped_hour(self):
        # Paris, quiet until 02:30: shown twice on 25 Oct 2026 (the first one ends them), skipped
        # on 29 Mar 2026 (they end at the change, 03:00 CEST).
        self.branch.randevu_quiet_end = 2.5
        self.assertEqual(
            self.branch._randevu_quiet_hours_end(datetime(2026, 10, 24, 23)), datetime(2026, 10, 25, 0, 30)
        )
        self.assertEqual(self.branch._randevu_quiet_hours_end(datetime(2026, 3, 29, 0)), datetime(2026, 3, 29, 1))

    def test_quiet_hours_lasting_past_the_start(self):
        # 08:30 in Paris (a manager's early booking): its 2 h SMS falls due at 06:30, quiet hours end at 08:00.
        self.branch.randevu_quiet_end = 8.75  # 08:45
        appointment = self.book_at(datetime(2031, 1, 6, 7, 30), hours_override=True)
        self.run_reminders(datetime(2031, 1, 6, 5, 45))
        sms = self.messages(appointment, kind="reminder", channel="sms")
        self.assertEqual(sms.state, "skipped")
        self.assertIn("Quiet hours", sms.error)

    def test_moved_after_the_reminder_was_planned(self):
        # Booked for 09:00 in Paris; its 2 h SMS is planned for 08:00 (quiet hours until then).
        appointment = self.book_at(datetime(2031, 1, 6, 8, 0))
        self.run_reminders(datetime(2031, 1, 6, 6, 0))
        planned = self.messages(appointment, kind="reminder", channel="sms")
        self.assertEqual(planned.state, "queued")
        # At 07:10 (Paris) it is moved to 16:00: the planned text is withdrawn...
        with freeze_time(datetime(2031, 1, 6, 6, 10)):
            appointment.write({"start": datetime(2031, 1, 6, 15, 0)})
            self.run_outbox()
        self.assertEqual(planned.state, "cancelled")
        self.run_reminders(datetime(2031, 1, 6, 7, 0))
        self.assertFalse(self.messages(appointment, kind="reminder", state="sent"), "nothing about the old time")
        # ... and the reminder goes out at the new time, two hours before 16:00.
        self.run_reminders(datetime(2031, 1, 6, 12, 59))
        self.assertFalse(self.messages(appointment, kind="reminder", state="sent"))
        self.run_reminders(datetime(2031, 1, 6, 13, 0))
        sent = self.messages(appointment, kind="reminder", state="sent")
        self.assertEqual((sent.channel, sent.appointment_start), ("sms", datetime(2031, 1, 6, 15, 0)))
        self.assertIn("Monday, January 6, 2031 at 4:00 PM", sent.mail_message_id.body)

    def test_moved_after_the_reminder_was_sent(self):
        appointment = self.book_at(MONDAY_10)
        self.run_reminders(datetime(2031, 1, 5, 10, 0))
        first = self.messages(appointment, kind="reminder")
        self.assertEqual(first.state, "sent")
        # Moved a week later: the customer gets the change notice now, and the reminders again, in time.
        with freeze_time(datetime(2031, 1, 5, 11, 0)):
            appointment.write({"start": datetime(2031, 1, 13, 9, 0)})
            self.run_outbox()
        self.assertEqual(len(self.messages(appointment, kind="reschedule")), 2)
        self.run_reminders(datetime(2031, 1, 12, 9, 0))
        self.run_reminders(datetime(2031, 1, 13, 7, 30))
        again = self.messages(appointment, kind="reminder") - first
        self.assertEqual(sorted(again.mapped("channel")), ["email", "sms"])
        self.assertEqual(set(again.mapped("appointment_start")), {datetime(2031, 1, 13, 9, 0)})

    def test_no_reminder_after_cancellation(self):
        appointment = self.book_at(datetime(2031, 1, 6, 8, 0))
        self.run_reminders(datetime(2031, 1, 6, 6, 0))  # the SMS is planned for 08:00 (quiet hours)
        with freeze_time(datetime(2031, 1, 5, 6, 30)):
            appointment.action_cancel()
            self.run_outbox()
        for when in (datetime(2031, 1, 6, 7, 0), datetime(2031, 1, 6, 7, 30)):
            self.run_reminders(when)
        self.assertFalse(self.messages(appointment, kind="reminder", state="sent"))
        self.assertEqual(self.messages(appointment, kind="reminder").state, "cancelled")

    def test_too_late_reminders_are_not_sent(self):
        # The cron was down: with less than half of the offset left, the reminder is dropped.
        appointment = self.book_at(MONDAY_10)
        self.run_reminders(datetime(2031, 1, 5, 21, 1))  # 11 h 59 before: the 24 h email is too late
        self.run_reminders(datetime(2031, 1, 6, 8, 1))  # 59 min before: the 2 h SMS is too late
        self.assertFalse(self.messages(appointment, kind="reminder"))
        # Booked after its reminders fell due: the confirmation says it all.
        late = self.book_at(datetime(2031, 1, 6, 10, 0), when=datetime(2031, 1, 6, 7, 30))
        self.run_reminders(datetime(2031, 1, 6, 7, 31))
        self.assertFalse(self.messages(late, kind="reminder"))
        self.assertEqual(len(self.messages(late, kind="confirmation")), 2)

    def test_batches_and_progress(self):
        appointments = self.env["randevu.appointment"]
        for index in range(5):
            appointments |= self.book_at(datetime(2031, 1, 6, 9 + index, 0), hours_override=True)
        progress = []
        with patch.object(
            type(self.env["ir.cron"]),
            "_notify_progress",
            lambda cron, done, remaining, deactivate=False: progress.append((done, remaining)),
        ):
            handled = self.run_reminders(datetime(2031, 1, 5, 14, 0), batch_size=2)
        self.assertEqual(handled, 5)
        # Failed sends and queued messages first (none), then the reminders, two by two.
        self.assertEqual(progress, [(0, 0), (0, 0), (2, 2), (4, 2), (5, 0)])
        self.assertEqual(len(appointments.randevu_message_ids.filtered(lambda msg: msg.kind == "reminder")), 5)

    def reminder_mails(self, appointments):
        domain = [("model", "=", "randevu.appointment"), ("res_id", "in", appointments.ids)]
        return self.env["mail.mail"].sudo().search([*domain, ("subject", "ilike", "reminder")])

    def test_cron_dies_mid_batch_then_runs_again(self):
        """A crash after a batch queued its emails but before it ended loses that batch
        only (it is rolled back as a whole, like an uncommitted transaction); the next
        run sends it, and nothing is sent twice."""
        appointments = self.env["randevu.appointment"]
        for index in range(5):
            appointments |= self.book_at(datetime(2031, 1, 6, 9 + index, 0), hours_override=True)
        original = RandevuMessage._randevu_mark_sent
        calls = []

        def dying(messages, logged, now):
            calls.append(messages.ids)
            if len(calls) == 2:
                raise RuntimeError("worker killed")
            return original(messages, logged, now)

        # Not assertRaises: Odoo's rolls back everything done inside it.
        died = None
        with patch.object(RandevuMessage, "_randevu_mark_sent", dying):
            try:
                self.run_reminders(datetime(2031, 1, 5, 14, 0), batch_size=2)
            except RuntimeError as error:
                died = error
        self.assertEqual(str(died), "worker killed")
        reminders = appointments.randevu_message_ids.filtered(lambda msg: msg.kind == "reminder")
        self.assertEqual(len(reminders), 2, "the first batch was kept, the second one undone")
        reminder_mails = self.reminder_mails(appointments)
        self.assertEqual(len(reminder_mails), 2)

        self.run_reminders(datetime(2031, 1, 5, 14, 5), batch_size=2)
        reminders = appointments.randevu_message_ids.filtered(lambda msg: msg.kind == "reminder")
        self.assertEqual(len(reminders), 5)
        self.assertEqual(set(reminders.mapped("state")), {"sent"})
        reminder_mails = self.reminder_mails(appointments)
        self.assertEqual(sorted(reminder_mails.mapped("res_id")), sorted(appointments.ids), "one each, none twice")

    def test_key_is_unique_in_the_database(self):
        appointment = self.book_at(MONDAY_10)
        self.run_reminders(datetime(2031, 1, 5, 10, 0))
        sent = self.messages(appointment, kind="reminder")
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.env["randevu.message"].create(
                {
                    "appointment_id": appointment.id,
                    "company_id": self.branch.id,
                    "kind": "reminder",
                    "channel": "email",
                    "key": sent.key,
                }
            )
        # Inserting the same rows again, as a second worker would, creates nothing.
        with freeze_time(datetime(2031, 1, 5, 10, 0)):
            again = self.env["randevu.message"]._randevu_insert(
                [{"appointment": appointment, "kind": "reminder", "channel": "email", "key": sent.key}],
                datetime(2031, 1, 5, 10, 0),
            )
        self.assertFalse(again)

    def test_query_count_per_batch_independent_of_batch_size(self):
        """The reminder cron's queries per batch do not grow with the batch size: nothing is
        queried per reminder. (Beyond 100 rows, Odoo's ORM splits each multi-row INSERT in
        statements of 100 rows; bench/reminders.py measures that on large batches.)"""
        # One start for all: a start time's label is formatted once per cursor (a few per
        # batch in real life), so batches of different starts would differ by that alone.
        staff = [self._make_staff(f"Stylist {n}", self.branch, self.stylist_hours) for n in range(36)]
        self.haircut.randevu_staff_line_ids = [(5, 0, 0)]  # anyone may do it
        customers = self.env["res.partner"].create(
            [{"name": f"Customer {n}", "email": f"c{n}@example.com", "phone": f"+336450192{n:02d}"} for n in range(36)]
        )
        with freeze_time(BOOKED_AT):
            self.env["randevu.appointment"].with_context(randevu_no_notify=True).create(
                [
                    {
                        "company_id": self.branch.id,
                        "service_id": self.haircut.id,
                        "employee_id": staff[n].id,
                        "start": datetime(2031, 1, 6, 9, 0),
                        "partner_id": customers[n].id,
                    }
                    for n in range(36)
                ]
            )
        counts = {}
        for size, when in ((4, datetime(2031, 1, 5, 15, 0)), (12, datetime(2031, 1, 5, 15, 0))):
            with freeze_time(when):
                Message = self.env["randevu.message"]
                self.env.invalidate_all()
                Message._randevu_batch_reminders(size, when)  # warm up: one batch of this size
                self.env.invalidate_all()
                before = self.env.cr.sql_log_count
                handled, _more = Message._randevu_batch_reminders(size, when)
                counts[size] = self.env.cr.sql_log_count - before
                self.assertEqual(handled, size)
        self.assertEqual(counts[4], counts[12], counts)
