from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RandevuMessagingCase

BOOKED_AT = datetime(2031, 1, 1, 10, 0)  # Wednesday 11:00 in Paris
MONDAY_10 = datetime(2031, 1, 6, 9, 0)  # Monday 6 January 2031, 10:00 in Paris


@tagged("post_install", "-at_install")
class TestOutbox(RandevuMessagingCase):
    """A booking writes its message rows only and triggers the outbox worker, which
    renders and sends them (email with its .ics, text) in its own transaction; a
    message that fails there is retried with backoff, then marked failed, while the
    others of its batch still go."""

    def outbox_triggers(self):
        cron = self.env.ref("randevu_calendar.ir_cron_randevu_outbox")
        return self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])

    def test_booking_queues_the_confirmation_and_the_worker_sends_it(self):
        triggers = self.outbox_triggers()
        with freeze_time(BOOKED_AT):
            appointment = self.book(MONDAY_10)
        confirmations = self.messages(appointment, kind="confirmation")
        self.assertEqual(sorted(confirmations.mapped("channel")), ["email", "sms"])
        self.assertEqual(set(confirmations.mapped("state")), {"queued"})
        self.assertEqual(confirmations.mapped("next_try"), [BOOKED_AT, BOOKED_AT], "due at once")
        self.assertFalse(self.outgoing_mails(appointment), "nothing rendered in the booking's transaction")
        self.assertFalse(self.outgoing_texts(appointment))
        self.assertFalse(
            self.env["ir.attachment"].search([("res_model", "=", appointment._name), ("res_id", "=", appointment.id)])
        )
        self.assertEqual(self.outbox_triggers(), triggers + 1, "the worker is triggered to run after the commit")
        self.assertEqual(self.run_outbox(BOOKED_AT + timedelta(seconds=5)), 2)
        self.assertEqual(set(confirmations.mapped("state")), {"sent"})
        mail = self.outgoing_mails(appointment)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.attachment_ids.mimetype, "text/calendar", "the .ics rendered by the worker")
        self.assertEqual(len(self.outgoing_texts(appointment)), 1)
        # Idempotent: a second run sends nothing again.
        self.assertEqual(self.run_outbox(BOOKED_AT + timedelta(seconds=10)), 0)
        self.assertEqual(len(self.outgoing_mails(appointment)), 1)

    def test_cancelled_before_the_worker_runs_sends_no_confirmation(self):
        with freeze_time(BOOKED_AT):
            appointment = self.book(MONDAY_10)
            appointment.action_cancel()
        self.run_outbox(BOOKED_AT + timedelta(seconds=5))
        confirmations = self.messages(appointment, kind="confirmation")
        self.assertEqual(set(confirmations.mapped("state")), {"cancelled"}, "withdrawn before it was rendered")
        self.assertEqual(set(confirmations.mapped("error")), {"The appointment was cancelled."})
        self.assertFalse(self.outgoing_mails(appointment).filtered(lambda mail: "booked" in mail.subject))

    def test_a_failing_message_does_not_hold_back_the_others(self):
        """Chloé's .ics cannot be built (the appointment's _randevu_ics raises, patched
        for her appointment only): her confirmation email is retried after 15 minutes,
        1 hour and 4 hours, then marked failed with its error; Dan's email and both
        texts of the same batch go at once."""
        dan = self.env["res.partner"].create({"name": "Dan", "email": "dan@example.com", "lang": "en_US"})
        with freeze_time(BOOKED_AT):
            broken = self.book(MONDAY_10)
            fine = self.book(MONDAY_10, staff=self.bruno, partner_id=dan.id)
        Appointment = type(self.env["randevu.appointment"])
        original = Appointment._randevu_ics

        def _randevu_ics(appointments):
            if broken in appointments:
                raise ValueError("calendar file broken")
            return original(appointments)

        with (
            patch.object(Appointment, "_randevu_ics", _randevu_ics),
            mute_logger("odoo.addons.randevu_calendar.models.randevu_message"),
        ):
            self.run_outbox(BOOKED_AT)
            email = self.messages(broken, kind="confirmation", channel="email")
            self.assertEqual((email.state, email.attempts, email.error), ("queued", 1, "calendar file broken"))
            self.assertEqual(self.messages(broken, kind="confirmation", channel="sms").state, "sent")
            self.assertEqual(self.messages(fine, kind="confirmation").state, "sent", "the other email went")
            self.assertEqual(len(self.outgoing_mails(fine)), 1)
            self.assertFalse(self.outgoing_mails(broken), "the failed message left nothing in the mail queue")
            moment = BOOKED_AT
            for attempt, delay in enumerate((timedelta(minutes=15), timedelta(hours=1), timedelta(hours=4)), start=1):
                self.assertEqual(email.next_try, moment + delay)
                moment = email.next_try
                self.run_outbox(moment - timedelta(seconds=1))
                self.assertEqual(email.attempts, attempt, "not before its time")
                self.run_outbox(moment)
                self.assertEqual(email.attempts, attempt + 1)
        self.assertEqual((email.state, email.attempts, email.error), ("error", 4, "calendar file broken"))
        self.assertEqual(broken.randevu_message_failed_count, 1)
        self.assertIn("Please contact the customer", broken.activity_ids.note)
        self.assertFalse(self.outgoing_mails(broken))
