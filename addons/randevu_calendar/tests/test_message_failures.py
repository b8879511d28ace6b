from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.randevu_calendar.models.randevu_message_send import RandevuMessage

from .common import RandevuMessagingCase

BOOKED_AT = datetime(2031, 1, 1, 10, 0)  # Wednesday 11:00 in Paris
MONDAY_10 = datetime(2031, 1, 6, 9, 0)  # Monday 6 January 2031, 10:00 in Paris


@tagged("post_install", "-at_install")
class TestMessageFailures(RandevuMessagingCase):
    """Bounces and SMS errors are visible on the appointment, retried with backoff,
    then reported; nothing goes out on a channel the customer turned off."""

    def book_at(self, start, when=BOOKED_AT, **values):
        with freeze_time(when):
            appointment = self.book(start, **values)
            self.run_outbox()
        return appointment

    def test_sms_error_retried_with_backoff_then_reported(self):
        appointment = self.book_at(MONDAY_10)
        text = self.messages(appointment, kind="confirmation", channel="sms")
        moment = BOOKED_AT
        for attempt, delay in enumerate((timedelta(minutes=15), timedelta(hours=1), timedelta(hours=4)), start=1):
            # IAP answers with a server error; the next cron run sees it on the notification.
            with self.mockSMSGateway(sim_error="server_error"), freeze_time(moment):
                self.env["sms.sms"].sudo()._process_queue()
            self.run_reminders(moment + timedelta(minutes=1))
            self.assertEqual((text.state, text.attempts, text.error), ("queued", attempt, "Server Error"))
            self.assertEqual(text.next_try, moment + timedelta(minutes=1) + delay)
            self.assertIn("Next try", appointment.message_ids[0].body)
            moment = text.next_try
            self.run_reminders(moment - timedelta(seconds=1))
            self.assertEqual(text.state, "queued", "not before its time")
            self.run_reminders(moment)
            self.assertEqual((text.state, text.attempts), ("sent", attempt + 1))
        with self.mockSMSGateway(sim_error="server_error"), freeze_time(moment):
            self.env["sms.sms"].sudo()._process_queue()
        self.run_reminders(moment + timedelta(minutes=1))
        self.assertEqual((text.state, text.attempts), ("error", 4))
        self.assertEqual(len(self.outgoing_texts(appointment)), 4, "the first try and three retries")
        self.assertEqual(appointment.randevu_message_failed_count, 1)
        activity = appointment.activity_ids
        self.assertEqual(activity.user_id, self.stylist_user, "the staff member: the booking was made by the system")
        self.assertIn("Please contact the customer", activity.note)

    def test_bounce_is_reported_at_once(self):
        appointment = self.book_at(MONDAY_10)
        email = self.messages(appointment, kind="confirmation", channel="email")
        email.mail_message_id.notification_ids.write({"notification_status": "bounce", "failure_type": "mail_bounce"})
        self.run_reminders(BOOKED_AT + timedelta(hours=1))
        self.assertEqual((email.state, email.error), ("error", "Bounce"))
        self.assertEqual(appointment.randevu_message_failed_count, 1)
        self.assertTrue(appointment.activity_ids)
        # An SMTP failure, on the other hand, is worth another try.
        other = self.book_at(MONDAY_10, staff=self.bruno)
        email = self.messages(other, kind="confirmation", channel="email")
        email.mail_message_id.notification_ids.write({"notification_status": "exception", "failure_type": "mail_smtp"})
        self.run_reminders(BOOKED_AT + timedelta(hours=1))
        self.assertEqual(email.state, "queued")
        self.assertFalse(other.activity_ids)

    def test_failures_found_only_for_recent_sends(self):
        appointment = self.book_at(MONDAY_10)
        email = self.messages(appointment, kind="confirmation", channel="email")
        email.mail_message_id.notification_ids.write({"notification_status": "exception", "failure_type": "mail_smtp"})
        self.run_reminders(BOOKED_AT + timedelta(days=4))
        self.assertEqual(email.state, "sent", "looked for during three days only")

    def test_broken_channel_batch_is_rolled_back_and_retried(self):
        original = RandevuMessage._randevu_send_email
        calls = []

        def broken_once(messages):
            calls.append(messages.ids)
            result = original(messages)  # queues the emails, then fails: the savepoint undoes them
            if len(calls) == 1:
                raise ValueError("template error")
            return result

        with (
            patch.object(RandevuMessage, "_randevu_send_email", broken_once),
            mute_logger("odoo.addons.randevu_calendar.models.randevu_message"),
        ):
            appointment = self.book_at(MONDAY_10)
            email = self.messages(appointment, kind="confirmation", channel="email")
            self.assertEqual((email.state, email.attempts, email.error), ("queued", 1, "template error"))
            self.assertFalse(self.outgoing_mails(appointment), "the failed batch left nothing in the mail queue")
            self.assertEqual(self.messages(appointment, channel="sms").state, "sent", "other channels unaffected")
            self.run_reminders(BOOKED_AT + timedelta(minutes=15))
        self.assertEqual((email.state, email.attempts), ("sent", 2))
        self.assertEqual(len(self.outgoing_mails(appointment)), 1)

    def test_opt_out_after_queueing_is_respected(self):
        # Booked at 23:00 in Paris: the confirmation SMS waits for 08:00; she turns texts off meanwhile.
        appointment = self.book_at(MONDAY_10, when=datetime(2031, 1, 1, 22, 0))
        text = self.messages(appointment, kind="confirmation", channel="sms")
        self.assertEqual((text.state, text.next_try), ("queued", datetime(2031, 1, 2, 7, 0)))
        self.assertEqual(self.messages(appointment, channel="email").state, "sent", "emails are not held back")
        self.customer.randevu_sms_opt_out = True
        self.run_reminders(datetime(2031, 1, 2, 7, 0))
        self.assertEqual((text.state, text.error), ("skipped", "The customer turned off text messages."))
        self.assertFalse(self.outgoing_texts(appointment))
