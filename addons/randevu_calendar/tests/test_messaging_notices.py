from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import RandevuMessagingCase

BOOKED_AT = datetime(2031, 1, 1, 10, 0)  # Wednesday 11:00 in Paris: outside quiet hours
MONDAY_10 = datetime(2031, 1, 6, 9, 0)  # Monday 6 January 2031, 10:00 in Paris


@tagged("post_install", "-at_install")
class TestMessagingNotices(RandevuMessagingCase):
    """Confirmation once at booking, change and cancellation notices to both sides."""

    def test_confirmation_email_and_sms(self):
        with freeze_time(BOOKED_AT):
            appointment = self.book(MONDAY_10)
            self.run_outbox()
        confirmations = self.messages(appointment, kind="confirmation")
        self.assertEqual(sorted(confirmations.mapped("channel")), ["email", "sms"])
        self.assertEqual(set(confirmations.mapped("state")), {"sent"})

        mail = self.outgoing_mails(appointment)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertEqual(mail.email_from, self.branch.email_formatted)
        self.assertIn("Salon Paris: your appointment is booked", mail.subject)
        portal_url = f"/my/appointments/{appointment.id}?access_token={appointment.access_token}"
        for expected in (
            "Chloé Martin",
            "1 rue de Rivoli, 75001 Paris",
            "Monday, January 6, 2031 at 10:00",
            "Haircut with Anna",
            "free of charge until Sunday, January 5, 2031 at 10:00",
            portal_url,
        ):
            self.assertIn(expected, mail.body_html)
        self.assertEqual(mail.attachment_ids.mimetype, "text/calendar")
        ics = mail.attachment_ids.raw
        self.assertIn(b"DTSTART:20310106T090000Z\r\n", ics)
        self.assertIn(b"DTEND:20310106T093000Z\r\n", ics)
        self.assertIn(b"LOCATION:Salon Paris\\, 1 rue de Rivoli\\, 75001 Paris", ics)

        text = self.outgoing_texts(appointment)
        self.assertEqual(len(text), 1)
        self.assertEqual(text.number, "+33645019283")
        self.assertIn("Monday, January 6, 2031 at 10:00", text.body)
        self.assertIn(portal_url, text.body)

        # Both sends are in the chatter, addressed to the customer.
        chatter = confirmations.mail_message_id
        self.assertEqual(sorted(chatter.mapped("message_type")), ["auto_comment", "sms"])
        self.assertEqual(chatter.partner_ids, self.customer)
        self.assertLessEqual(chatter, appointment.message_ids)

        # Once: asking again sends nothing more.
        with freeze_time(BOOKED_AT):
            appointment._randevu_send_confirmations()
            self.run_outbox()
        self.assertEqual(len(self.messages(appointment, kind="confirmation")), 2)
        self.assertEqual(len(self.outgoing_mails(appointment)), 1)
        self.assertEqual(len(self.outgoing_texts(appointment)), 1)

    def test_queues_reach_the_gateways(self):
        """The queued email and text go out through Odoo's mail and SMS queues, caught
        at the SMTP and IAP boundaries."""
        with freeze_time(BOOKED_AT):
            appointment = self.book(MONDAY_10)
            self.run_outbox()
        with self.mock_mail_gateway():
            self.outgoing_mails(appointment).send()
        with self.mockSMSGateway():
            self.env["sms.sms"].sudo()._process_queue()
        self.assertEqual([mail["email_to"] for mail in self._mails], [['"Chloé Martin" <chloe@example.com>']])
        self.assertEqual([sms["number"] for sms in self._sms], ["+33645019283"])
        notifications = self.messages(appointment, kind="confirmation").mail_message_id.notification_ids
        self.assertEqual(set(notifications.mapped("notification_status")), {"sent", "pending"})

    def test_sms_only_to_a_mobile_number(self):
        landline = self.env["res.partner"].create(
            {"name": "Louis", "email": "louis@example.com", "phone": "+33142685300", "country_id": self.ref("base.fr")}
        )
        nobody = self.env["res.partner"].create({"name": "Nadia", "phone": "+33142685301"})
        with freeze_time(BOOKED_AT):
            first = self.book(MONDAY_10, partner_id=landline.id)
            second = self.book(MONDAY_10, staff=self.bruno, partner_id=nobody.id)
            self.run_outbox()
        self.assertEqual(self.messages(first).mapped("channel"), ["email"])
        self.assertFalse(self.outgoing_texts(first))
        skipped = self.messages(second)
        self.assertEqual(skipped.state, "skipped", "no channel reaches her: logged as not sent")
        self.assertEqual(skipped.error, "The customer has no email address.")

    def test_opt_outs_and_blacklists(self):
        self.customer.randevu_sms_opt_out = True
        self.env["mail.blacklist"].sudo()._add("chloe@example.com")
        with freeze_time(BOOKED_AT):
            appointment = self.book(MONDAY_10)
            self.run_outbox()
        self.assertFalse(self.outgoing_mails(appointment))
        self.assertFalse(self.outgoing_texts(appointment))
        self.assertEqual(self.messages(appointment).mapped("state"), ["skipped"])

        self.customer.randevu_sms_opt_out = False
        self.env["phone.blacklist"].sudo()._add(["+33645019283"])
        with freeze_time(BOOKED_AT):
            other = self.book(MONDAY_10, staff=self.bruno)
            self.run_outbox()
        self.assertFalse(self.outgoing_texts(other))
        self.assertEqual(self.messages(other).error, "The customer's email address is blacklisted.")

    def test_series_confirmed_once_listing_every_date(self):
        with freeze_time(BOOKED_AT):
            first = self.book(MONDAY_10)
            wizard = self.env["randevu.recurrence.wizard"].create(
                {"appointment_id": first.id, "interval": 1, "unit": "week", "end_type": "count", "count": 4}
            )
            wizard.action_preview()
            wizard.action_confirm()
            self.run_outbox()
        series = first.recurrence_id.appointment_ids.sorted("start")
        self.assertEqual(len(series), 4)
        confirmations = series.randevu_message_ids.filtered(lambda msg: msg.kind == "confirmation")
        # The booking itself, then one for the series (on its second date), per channel.
        self.assertEqual(len(confirmations.filtered(lambda msg: msg.appointment_id == first)), 2)
        self.assertEqual(confirmations.appointment_id, series[:2])
        mail = self.outgoing_mails(series[1])
        for day in ("January 6", "January 13", "January 20", "January 27"):
            self.assertIn(day, mail.body_html)
        self.assertEqual(mail.attachment_ids.raw.count(b"BEGIN:VEVENT"), 4)

        # Every occurrence gets its own reminders: the email the day before, the SMS at 08:30.
        for occurrence in series:
            self.run_reminders(occurrence.start - timedelta(hours=23))
            self.run_reminders(occurrence.start - timedelta(hours=1, minutes=30))
        reminders = series.randevu_message_ids.filtered(lambda msg: msg.kind == "reminder")
        self.assertEqual(len(reminders), 8)
        self.assertEqual(set(reminders.mapped("state")), {"sent"})
        for occurrence in series:
            self.assertEqual(sorted(self.messages(occurrence, kind="reminder").mapped("channel")), ["email", "sms"])

    def test_package_booked_at_once_confirmed_once(self):
        with freeze_time(BOOKED_AT):
            steps = self.env["randevu.appointment"].create(
                [
                    {
                        "company_id": self.branch.id,
                        "service_id": self.haircut.id,
                        "employee_id": self.anna.id,
                        "start": MONDAY_10,
                        "partner_id": self.customer.id,
                    },
                    {
                        "company_id": self.branch.id,
                        "service_id": self.haircut.id,
                        "employee_id": self.bruno.id,
                        "start": datetime(2031, 1, 6, 9, 30),
                        "partner_id": self.customer.id,
                    },
                ]
            )
            self.run_outbox()
        self.assertEqual(steps[0].visit_id, steps[1].visit_id)
        self.assertEqual(steps.randevu_message_ids.appointment_id, steps[0])
        mail = self.outgoing_mails(steps[0])
        self.assertIn("10:00 AM: Haircut with Anna", mail.body_html)
        self.assertIn("10:30 AM: Haircut with Bruno", mail.body_html)

    def test_reschedule_notices_in_each_ones_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["res.lang"]._activate_lang("tr_TR")
        self.env["ir.module.module"]._load_module_terms(["randevu_calendar"], ["fr_FR", "tr_TR"], overwrite=True)
        self.customer.lang = "fr_FR"
        self.stylist_user.lang = "tr_TR"
        with freeze_time(BOOKED_AT):
            appointment = self.book(MONDAY_10)
            appointment.write({"start": datetime(2031, 1, 7, 13, 0)})  # Tuesday 14:00
            self.run_outbox()
        notices = self.messages(appointment, kind="reschedule")
        self.assertEqual(sorted(notices.mapped("channel")), ["email", "sms"])
        email_notice = notices.filtered(lambda msg: msg.channel == "email")
        mail = self.outgoing_mails(appointment).filtered(
            lambda mail: mail.mail_message_id == email_notice.mail_message_id
        )
        self.assertIn("mardi 7 janvier 2031 à 14:00", mail.body_html)
        self.assertIn("a changé", mail.subject)
        self.assertIn(b"DTSTART:20310107T130000Z", mail.attachment_ids.raw)
        # The staff member is told, in Turkish.
        staff_notice = self.env["mail.message"].search(
            [
                ("model", "=", appointment._name),
                ("res_id", "=", appointment.id),
                ("message_type", "=", "user_notification"),
            ]
        )
        self.assertEqual(staff_notice.partner_ids, self.stylist_user.partner_id)
        self.assertIn("7 Ocak 2031 Salı", staff_notice.body)  # noqa: RUF001 (Turkish dotless i)

        # Moving it again to the same time changes nothing; a move by the staff member
        # tells the customer but not the staff member himself.
        with freeze_time(BOOKED_AT):
            appointment.with_user(self.stylist_user).write({"start": datetime(2031, 1, 7, 14, 0)})
            self.run_outbox()
        self.assertEqual(len(self.messages(appointment, kind="reschedule")), 4)
        self.assertEqual(
            len(
                self.env["mail.message"].search(
                    [
                        ("model", "=", appointment._name),
                        ("res_id", "=", appointment.id),
                        ("message_type", "=", "user_notification"),
                    ]
                )
            ),
            1,
        )

    def test_cancellation_notice_and_nothing_after(self):
        with freeze_time(BOOKED_AT):
            appointment = self.book(MONDAY_10)
            self.run_outbox()
        # The 24 h email reminder is queued in the mail queue, not yet sent, when the customer cancels.
        self.run_reminders(datetime(2031, 1, 5, 9, 30))
        reminder = self.messages(appointment, kind="reminder")
        self.assertEqual(reminder.state, "sent")
        reminder_mail = self.outgoing_mails(appointment).filtered(
            lambda mail: mail.mail_message_id == reminder.mail_message_id
        )
        self.assertEqual(reminder_mail.state, "outgoing")
        with freeze_time(datetime(2031, 1, 5, 10, 0)):
            appointment.action_cancel()
            self.run_outbox()
        self.assertEqual(reminder.state, "cancelled", "withdrawn: it had not left yet")
        self.assertEqual(reminder_mail.state, "cancel")
        notices = self.messages(appointment, kind="cancellation")
        self.assertEqual(sorted(notices.mapped("channel")), ["email", "sms"])
        staff_notice = self.env["mail.message"].search(
            [
                ("model", "=", appointment._name),
                ("res_id", "=", appointment.id),
                ("message_type", "=", "user_notification"),
            ]
        )
        self.assertIn("was cancelled", staff_notice.body)

        # Nothing else goes out about it: not the 2 h SMS, not a retry.
        before = appointment.randevu_message_ids
        for when in (datetime(2031, 1, 6, 7, 0), datetime(2031, 1, 6, 7, 30), datetime(2031, 1, 6, 8, 59)):
            self.run_reminders(when)
        self.assertEqual(appointment.randevu_message_ids, before)
        waiting = self.outgoing_texts(appointment).filtered(lambda sms: sms.state == "outgoing")
        self.assertEqual(waiting.mail_message_id, notices.filtered(lambda msg: msg.channel == "sms").mail_message_id)
        self.assertEqual(
            self.messages(appointment, kind="confirmation").mapped("state"),
            ["cancelled", "cancelled"],
            "the confirmation still in the queues is withdrawn too",
        )
