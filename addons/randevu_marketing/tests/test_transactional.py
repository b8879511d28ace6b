from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.randevu_calendar.tests.common import RandevuMessagingCase

BOOKED_AT = datetime(2031, 1, 1, 10, 0)
MONDAY_10 = datetime(2031, 1, 6, 9, 0)


@tagged("post_install", "-at_install")
class TestTransactionalNotBlocked(RandevuMessagingCase):
    """A customer who withdrew her marketing consent on every channel still gets her
    booking confirmation by email and SMS: marketing consent governs marketing only."""

    def test_confirmations_go_out_after_a_marketing_withdrawal(self):
        Consent = self.env["randevu.consent"]
        for channel in ("email", "sms", "whatsapp"):
            Consent._randevu_record(self.customer, channel, "withdrawn", "portal", "No offers, thank you")
        self.assertEqual(set(self.customer.randevu_consent_ids.mapped("state")), {"withdrawn"})
        with freeze_time(BOOKED_AT):
            appointment = self.book(MONDAY_10)
        # Only this appointment's rows: other addons' demo data may leave rows queued too
        # (randevu_inbox's), which the worker sends in the same run.
        self.run_outbox(BOOKED_AT + timedelta(seconds=5))
        self.assertEqual(len(self.messages(appointment).filtered(lambda message: message.state == "sent")), 2)
        self.assertEqual(set(self.messages(appointment, kind="confirmation").mapped("state")), {"sent"})
        self.assertEqual(len(self.outgoing_mails(appointment)), 1)
        self.assertEqual(len(self.outgoing_texts(appointment)), 1)
