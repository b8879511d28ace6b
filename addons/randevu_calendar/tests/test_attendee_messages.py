from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import RandevuMessagingCase

BOOKED_AT = datetime(2031, 1, 1, 10, 0)  # Wednesday 11:00 in Paris: outside quiet hours
MONDAY_10 = datetime(2031, 1, 6, 9, 0)  # Monday 6 January 2031, 10:00 in Paris (UTC+1)


@tagged("post_install", "-at_install")
class TestAttendeeMessages(RandevuMessagingCase):
    """Group classes have no customer of their own: each attendee gets the confirmation,
    reminders, change and cancellation notices and thank-you any customer gets, once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.yoga = cls._make_service("Yoga", 1.0, cls.anna | cls.bruno, randevu_capacity=3)
        cls.students = cls.env["res.partner"].create(
            [
                {"name": f"Student {n}", "email": f"student{n}@example.com", "phone": f"+3364501930{n}"}
                for n in range(1, 5)
            ]
        )

    def session(self, start=MONDAY_10, people=None, when=BOOKED_AT):
        """A Yoga class at `start` joined by `people` at `when`."""
        with freeze_time(when):
            session = self.book(start, service=self.yoga, partner_id=False)
            for person in people or ():
                session._add_attendee(person)
            self.run_outbox()
        return session

    def attendee(self, session, partner):
        return session.attendee_ids.filtered(lambda att: att.partner_id == partner)

    def to(self, session, partner, **filters):
        """The messages of `session` addressed to `partner`."""
        return self.messages(session, **filters).filtered(lambda msg: msg.partner_id == partner)

    def test_each_attendee_confirmed_and_reminded_once(self):
        first, second = self.students[:2]
        session = self.session(people=first | second)
        for partner in (first, second):
            confirmations = self.to(session, partner, kind="confirmation")
            self.assertEqual(sorted(confirmations.mapped("channel")), ["email", "sms"])
            self.assertEqual(set(confirmations.mapped("state")), {"sent"})
            mail = self.outgoing_mails(session).filtered(lambda mail, partner=partner: mail.recipient_ids == partner)
            self.assertEqual(len(mail), 1, "one confirmation email each")
            self.assertIn(f"Hello {partner.name},", mail.body_html)
            self.assertIn("Monday, January 6, 2031 at 10:00", mail.body_html)
            # The session's manage link would let one attendee move or cancel the whole class.
            self.assertNotIn(session.access_token, mail.body_html)
            self.assertNotIn(session.access_token.encode(), mail.attachment_ids.raw)
            self.assertIn("To change or cancel your place", mail.body_html)
        texts = self.outgoing_texts(session)
        self.assertEqual(sorted(texts.mapped("number")), ["+33645019301", "+33645019302"])
        self.assertFalse(self.messages(session).filtered(lambda msg: not msg.partner_id), "nothing to nobody")

        for when in (datetime(2031, 1, 5, 9, 0), datetime(2031, 1, 5, 9, 5), datetime(2031, 1, 6, 7, 0)):
            self.run_reminders(when)
        self.run_reminders(datetime(2031, 1, 6, 7, 10))
        for partner in (first, second):
            reminders = self.to(session, partner, kind="reminder")
            self.assertEqual(
                sorted((msg.rule_id.offset_hours, msg.state) for msg in reminders),
                [(2.0, "sent"), (24.0, "sent")],
                "one reminder per rule and attendee",
            )
            mail = self.outgoing_mails(session).filtered(
                lambda mail, partner=partner: mail.recipient_ids == partner and "reminder" in mail.subject
            )
            self.assertIn(f"Hello {partner.name},", mail.body_html)
        self.assertEqual(len(self.messages(session, kind="reminder")), 4)

    def test_waitlist_waits_until_promoted_and_cancelled_seat_is_told(self):
        session = self.session(people=self.students)
        waiting = self.attendee(session, self.students[3])
        self.assertEqual(waiting.state, "waitlist")
        self.assertFalse(self.to(session, waiting.partner_id), "no confirmation for a waitlist place")
        self.run_reminders(datetime(2031, 1, 5, 9, 0))
        self.assertEqual(len(self.messages(session, kind="reminder")), 3, "the seats only")
        self.assertFalse(self.to(session, waiting.partner_id))

        leaving = self.attendee(session, self.students[0])
        with freeze_time(datetime(2031, 1, 5, 12, 0)):
            leaving.action_cancel()
            self.run_outbox()
        self.assertEqual(waiting.state, "booked", "promoted to the freed seat")
        self.assertEqual(
            sorted(self.to(session, waiting.partner_id, kind="confirmation").mapped("state")), ["sent", "sent"]
        )
        notices = self.to(session, leaving.partner_id, kind="cancellation")
        self.assertEqual(set(notices.mapped("state")), {"sent"})
        self.assertEqual(self.to(session, leaving.partner_id, kind="reminder").state, "cancelled", "withdrawn")
        self.assertFalse(self.to(session, self.students[1], kind="cancellation"), "the others keep their seat")

        self.run_reminders(datetime(2031, 1, 6, 7, 0))
        self.assertFalse(
            self.to(session, leaving.partner_id, kind="reminder").filtered(lambda msg: msg.state == "sent"),
            "never a reminder for a cancelled seat",
        )
        self.assertEqual(
            sorted(self.to(session, waiting.partner_id, kind="reminder").mapped("rule_id.offset_hours")), [2.0]
        )

    def test_moved_session_tells_each_attendee_and_reminds_at_the_new_time(self):
        first, second = self.students[:2]
        session = self.session(people=first | second)
        self.run_reminders(datetime(2031, 1, 5, 9, 0))
        old_reminders = self.messages(session, kind="reminder")
        self.assertEqual(len(old_reminders), 2)

        with freeze_time(datetime(2031, 1, 5, 10, 0)):
            session.start = datetime(2031, 1, 7, 9, 0)
            self.run_outbox()
        self.assertEqual(set(old_reminders.mapped("state")), {"cancelled"}, "the old time's reminders withdrawn")
        for partner in (first, second):
            notices = self.to(session, partner, kind="reschedule")
            self.assertEqual(sorted(notices.mapped("channel")), ["email", "sms"])
            self.assertEqual(set(notices.mapped("state")), {"sent"})

        self.run_reminders(datetime(2031, 1, 6, 9, 0))
        new_reminders = self.messages(session, kind="reminder") - old_reminders
        self.assertEqual(new_reminders.partner_id, first | second)
        self.assertEqual(set(new_reminders.mapped("appointment_start")), {datetime(2031, 1, 7, 9, 0)})
        self.assertEqual(set(new_reminders.mapped("state")), {"sent"})

    def test_cancelled_session_tells_each_attendee(self):
        session = self.session(people=self.students)
        self.run_reminders(datetime(2031, 1, 5, 9, 0))
        with freeze_time(datetime(2031, 1, 5, 10, 0)):
            session.action_cancel()
            self.run_outbox()
        notices = self.messages(session, kind="cancellation")
        self.assertEqual(notices.partner_id, self.students[:3], "the seats, not the waitlist")
        self.assertEqual(set(notices.mapped("state")), {"sent"})
        self.assertEqual(set(self.messages(session, kind="reminder").mapped("state")), {"cancelled"})
        self.run_reminders(datetime(2031, 1, 6, 7, 0))
        self.assertFalse(self.messages(session, kind="reminder").filtered(lambda msg: msg.state == "sent"))

    def test_thank_you_to_those_who_came(self):
        came, missed = self.students[:2]
        session = self.session(people=came | missed)
        with freeze_time(datetime(2031, 1, 6, 9, 5)):
            self.attendee(session, came).action_arrive()
            self.attendee(session, missed).action_no_show()
            session.action_done()
        self.run_followups(datetime(2031, 1, 6, 12, 0))
        thanks = self.messages(session, kind="thank_you")
        self.assertEqual((thanks.partner_id, thanks.state), (came, "sent"))
        mail = self.outgoing_mails(session).filtered(lambda mail: mail.mail_message_id == thanks.mail_message_id)
        rating = session.rating_ids.filtered(lambda rating: rating.partner_id == came)
        self.assertIn(f"/rate/{rating.access_token}/5", mail.body_html)
        self.run_followups(datetime(2031, 1, 6, 13, 0))
        self.assertEqual(self.messages(session, kind="thank_you"), thanks, "once")

    def test_each_attendee_in_their_own_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["randevu_calendar"], ["fr_FR"], overwrite=True)
        french, english = self.students[:2]
        french.lang = "fr_FR"
        session = self.session(people=french | english)
        mails = {mail.recipient_ids: mail for mail in self.outgoing_mails(session)}
        self.assertIn("votre rendez-vous est réservé", mails[french].subject)
        self.assertIn("lundi 6 janvier 2031", mails[french].body_html)
        self.assertIn(french.name, mails[french].body_html)
        self.assertIn("your appointment is booked", mails[english].subject)
        self.assertIn(english.name, mails[english].body_html)

    def test_rebooking_for_those_who_came_with_nothing_booked(self):
        self.yoga.randevu_rebook_days = 7
        came, booked_again, missed = self.students[:3]
        session = self.session(people=came | booked_again | missed)
        with freeze_time(datetime(2031, 1, 6, 9, 5)):
            self.attendee(session, came).action_arrive()
            self.attendee(session, booked_again).action_arrive()
            self.attendee(session, missed).action_no_show()
            session.action_done()
        self.session(datetime(2031, 1, 20, 9, 0), people=booked_again, when=datetime(2031, 1, 7, 10, 0))
        self.run_followups(datetime(2031, 1, 13, 9, 0))
        self.assertFalse(self.messages(session, kind="rebooking"), "not yet")
        self.run_followups(datetime(2031, 1, 13, 11, 0))
        rebooking = self.messages(session, kind="rebooking")
        self.assertEqual((rebooking.partner_id, rebooking.channel, rebooking.state), (came, "email", "sent"))
        self.run_followups(datetime(2031, 1, 14, 11, 0))
        self.assertEqual(self.messages(session, kind="rebooking"), rebooking, "once")

    def test_reminder_batch_queries_do_not_grow_with_attendees(self):
        """One batch of reminders costs the same queries for classes of one attendee as
        for classes of three: nothing is queried or rendered per attendee."""
        people = self.env["res.partner"].create(
            [{"name": f"Member {n}", "email": f"m{n}@example.com"} for n in range(12)]
        )

        def classes(day, size):
            for index, hour in enumerate((8, 9, 10, 11)):
                session = self.env["randevu.appointment"].with_context(randevu_no_notify=True)
                with freeze_time(BOOKED_AT):
                    session = session.create(
                        {
                            "company_id": self.branch.id,
                            "service_id": self.yoga.id,
                            "employee_id": self.anna.id,
                            "start": datetime(2031, 1, day, hour, 0),
                        }
                    )
                    for person in people[index * 3 : index * 3 + size]:
                        session._add_attendee(person)

        classes(6, 3)  # warm-up
        classes(7, 1)
        classes(8, 3)
        counts = {}
        Message = self.env["randevu.message"]
        for label, when, pairs in (
            ("warm-up", datetime(2031, 1, 5, 15, 0), 12),
            ("one each", datetime(2031, 1, 6, 15, 0), 4),
            ("three each", datetime(2031, 1, 7, 15, 0), 12),
        ):
            with freeze_time(when):
                self.env.invalidate_all()
                before = self.env.cr.sql_log_count
                handled, _more = Message._randevu_batch_reminders(50, when)
                counts[label] = self.env.cr.sql_log_count - before
                self.assertEqual(handled, pairs)
        self.assertEqual(counts["one each"], counts["three each"], counts)
        self.assertEqual(len(Message.search([("kind", "=", "reminder"), ("state", "=", "sent")])), 28)
