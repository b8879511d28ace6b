from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import RandevuMessagingCase

BOOKED_AT = datetime(2031, 1, 1, 10, 0)  # Wednesday 11:00 in Paris
MONDAY_10 = datetime(2031, 1, 6, 9, 0)  # Monday 6 January 2031, 10:00 in Paris


@tagged("post_install", "-at_install")
class TestAfterVisit(RandevuMessagingCase):
    """Thank-you with a review request after the visit, ratings averaged on staff and
    services, rebooking reminder once the service's interval has passed."""

    def visit(self, start, staff=None, partner=None):
        values = {"partner_id": partner.id} if partner else {}
        with freeze_time(BOOKED_AT):
            appointment = self.book(start, staff=staff, **values)
        with freeze_time(start + timedelta(minutes=30)):
            appointment.action_done()
        return appointment

    def test_thank_you_with_review_links_and_averages(self):
        appointment = self.visit(MONDAY_10)
        self.run_followups(MONDAY_10 + timedelta(hours=2))
        thanks = self.messages(appointment, kind="thank_you")
        self.assertEqual((thanks.channel, thanks.state), ("email", "sent"))
        request = appointment.rating_ids
        self.assertEqual((request.partner_id, request.consumed), (self.customer, False))
        mail = self.outgoing_mails(appointment).filtered(lambda mail: mail.mail_message_id == thanks.mail_message_id)
        self.assertIn(f"/rate/{request.access_token}/5", mail.body_html)
        self.assertIn("How was your Haircut with Anna?", mail.body_html)
        self.run_followups(MONDAY_10 + timedelta(hours=3))
        self.assertEqual(len(self.messages(appointment, kind="thank_you")), 1, "once")

        # The customer rates it (what /rate/<token>/5 then submits), another one rates Bruno.
        appointment.rating_apply(5, token=request.access_token, feedback="Lovely")
        other = self.visit(MONDAY_10, staff=self.bruno, partner=self.env["res.partner"].create({"name": "Zoé"}))
        self.run_followups(MONDAY_10 + timedelta(hours=4))
        self.assertEqual(self.messages(other, kind="thank_you").state, "skipped", "Zoé has no email")
        other._randevu_prepare_rating()
        other.rating_apply(3, token=other.rating_ids.access_token)
        (self.anna | self.bruno).invalidate_recordset()
        self.haircut.invalidate_recordset()
        self.assertEqual((self.anna.randevu_rating_avg, self.anna.randevu_rating_count), (5.0, 1))
        self.assertEqual((self.bruno.randevu_rating_avg, self.bruno.randevu_rating_count), (3.0, 1))
        self.assertEqual((self.haircut.randevu_rating_avg, self.haircut.randevu_rating_count), (4.0, 2))
        self.assertEqual(self.colour.randevu_rating_count, 0)

    def test_no_thank_you_for_old_or_unfinished_visits(self):
        done = self.visit(MONDAY_10)
        no_show = self.book(MONDAY_10, staff=self.bruno)
        no_show.action_no_show()
        self.run_followups(MONDAY_10 + timedelta(days=3))
        self.assertFalse(self.messages(done, kind="thank_you"), "the visit is more than two days old")
        self.assertFalse(self.messages(no_show, kind="thank_you"))

    def test_rebooking_reminder_when_nothing_is_booked(self):
        self.haircut.randevu_rebook_days = 28
        louis = self.env["res.partner"].create({"name": "Louis", "email": "louis@example.com"})
        first = self.visit(MONDAY_10)
        second = self.visit(MONDAY_10, staff=self.bruno, partner=louis)
        # Louis has booked his next cut already.
        with freeze_time(BOOKED_AT):
            self.book(datetime(2031, 2, 10, 9, 0), staff=self.bruno, partner_id=louis.id)
        self.run_followups(MONDAY_10 + timedelta(days=27))
        self.assertFalse(self.messages(first, kind="rebooking"), "not yet")
        self.run_followups(MONDAY_10 + timedelta(days=28, hours=1))
        rebooking = self.messages(first, kind="rebooking")
        self.assertEqual((rebooking.channel, rebooking.state), ("email", "sent"))
        mail = self.outgoing_mails(first).filtered(lambda mail: mail.mail_message_id == rebooking.mail_message_id)
        self.assertIn("time for your next Haircut?", mail.subject)
        self.assertFalse(self.messages(second, kind="rebooking"), "Louis has something booked")
        self.run_followups(MONDAY_10 + timedelta(days=29))
        self.assertEqual(len(self.messages(first, kind="rebooking")), 1, "once")

    def test_no_rebooking_for_an_old_visit_or_a_later_one(self):
        self.haircut.randevu_rebook_days = 28
        old = self.visit(MONDAY_10)
        self.visit(datetime(2031, 1, 20, 9, 0))  # a later haircut: the clock starts again from it
        self.run_followups(MONDAY_10 + timedelta(days=30))
        self.assertFalse(self.messages(old, kind="rebooking"))
        self.run_followups(MONDAY_10 + timedelta(days=60))
        self.assertFalse(self.messages(old, kind="rebooking"), "more than two weeks past its interval")
