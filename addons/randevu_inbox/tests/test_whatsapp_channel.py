from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.randevu_calendar.tests.common import RandevuMessagingCase

from .common import InboxMixin, whatsapp_update


@tagged("post_install", "-at_install")
class TestWhatsAppChannel(InboxMixin, RandevuMessagingCase):
    """WhatsApp as a reminder/confirmation channel of the outbox, against a local fake of
    the Graph API: templates outside the 24-hour window, free text inside it, delivery
    statuses recorded, SMS when WhatsApp fails."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = cls.start_fake_graph()
        cls.gateway = cls.env["mail.gateway"].create(
            {
                "name": "Paris WhatsApp",
                "gateway_type": "whatsapp",
                "token": "paris-token",
                "webhook_key": "paris-key",
                "webhook_secret": "paris-secret",
                "whatsapp_from_phone": "106540352242922",
                "company_id": cls.branch.id,
                "randevu_graph_url": cls.fake.url,
            }
        )
        cls.gateway.integrated_webhook_state = "integrated"
        appointment_model = cls.env["ir.model"]._get_id("randevu.appointment")
        cls.template = cls.env["mail.whatsapp.template"].create(
            {
                "name": "appointment_reminder",
                "body": "Hello {{1}}, see you for your {{2}}.",
                "category": "utility",
                "language": "en",
                "gateway_id": cls.gateway.id,
                "model_id": appointment_model,
                "randevu_kind": "reminder",
                "variable_ids": [
                    Command.create({"name": "{{1}}", "line_type": "body", "field_name": "partner_id.name"}),
                    Command.create({"name": "{{2}}", "line_type": "body", "field_name": "service_id.name"}),
                ],
            }
        )
        cls.template.state = "approved"
        # The SMS reminder rule goes on WhatsApp; the email one stays.
        cls.rule_sms.channel = "whatsapp"
        cls.start = cls.monday + timedelta(hours=10)  # 11:00 in Paris
        cls.due = cls.start - timedelta(hours=1, minutes=30)  # after the 2-hour rule, outside quiet hours

    def setUp(self):
        super().setUp()
        self.fake.requests.clear()
        self.fake.errors.clear()

    def book_opted_in(self, start):
        """An appointment of a customer who agrees to WhatsApp from then on (its confirmation
        went by email and SMS: the reminder is the only WhatsApp message)."""
        appointment = self.book(start)
        self.customer.randevu_whatsapp_opt_in = True
        return appointment

    def whatsapp_reminder(self, appointment):
        return self.messages(appointment, kind="reminder", channel="whatsapp")

    def templates_sent(self):
        return [body for body in self.fake.sent() if body["type"] == "template"]

    def texts_sent(self):
        return [body for body in self.fake.sent() if body["type"] == "text"]

    def test_reminder_outside_the_window_goes_as_the_approved_template(self):
        appointment = self.book_opted_in(self.start)
        self.run_reminders(self.due)
        reminder = self.whatsapp_reminder(appointment)
        self.assertRecordValues(reminder, [{"state": "sent", "whatsapp_status": "sent"}])
        self.assertEqual(len(self.templates_sent()), 1)
        payload = self.templates_sent()[0]
        self.assertEqual(payload["to"], "33645019283")
        self.assertEqual(payload["messaging_product"], "whatsapp")
        self.assertEqual(payload["template"]["name"], self.template.template_name)
        self.assertEqual(payload["template"]["language"], {"code": "en"})
        self.assertEqual(
            payload["template"]["components"],
            [
                {
                    "type": "body",
                    "parameters": [{"type": "text", "text": "Chloé Martin"}, {"type": "text", "text": "Haircut"}],
                }
            ],
        )
        self.assertTrue(reminder.whatsapp_message_id.startswith("wamid.fake"))
        self.assertFalse(self.texts_sent(), "no free text outside the 24-hour window")
        path, headers, _body = next(request for request in self.fake.requests if request[2]["type"] == "template")
        self.assertEqual(path, "/v23.0/106540352242922/messages")
        self.assertEqual(headers["Authorization"], "Bearer paris-token")
        conversation = self.env["randevu.conversation"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(conversation.phone, "+33645019283")
        self.assertIn("Hello Chloé Martin, see you for your Haircut.", conversation.message_ids[0].body)

    def test_reminder_inside_the_window_goes_with_reply_buttons(self):
        appointment = self.book_opted_in(self.start)
        conversation = self.env["randevu.conversation"]._randevu_get(
            self.branch, "whatsapp", "+33645019283", self.gateway, partner=self.customer
        )
        conversation._randevu_receive("Bonjour", self.due - timedelta(hours=3))
        self.run_reminders(self.due)
        self.assertEqual(self.whatsapp_reminder(appointment).state, "sent")
        self.assertFalse(self.templates_sent())
        self.assertFalse(self.texts_sent())
        [interactive] = [body for body in self.fake.sent() if body["type"] == "interactive"]
        # The reminder's text (the kind's SMS text) is the body of Confirm / Change / Cancel buttons.
        self.assertIn("Haircut", interactive["interactive"]["body"]["text"])
        self.assertEqual(
            [button["reply"]["id"] for button in interactive["interactive"]["action"]["buttons"]],
            ["randevu:reminder:confirm", "randevu:reminder:change", "randevu:reminder:cancel"],
        )

    def test_whatsapp_refusal_falls_back_to_sms(self):
        appointment = self.book_opted_in(self.start)
        self.fake.errors.append({"message": "Message failed to send because more than 24 hours", "code": 131047})
        self.run_reminders(self.due)
        reminder = self.whatsapp_reminder(appointment)
        self.assertEqual(reminder.state, "error")
        self.assertIn("131047", reminder.error)
        self.assertIn("Sent by SMS instead", reminder.error)
        fallback = self.messages(appointment, kind="reminder", channel="sms")
        self.assertRecordValues(fallback, [{"state": "sent", "key": f"{reminder.key}:sms"}])
        texts = self.env["sms.sms"].sudo().search([("mail_message_id", "=", fallback.mail_message_id.id)])
        self.assertEqual(len(texts), 1)
        self.assertEqual(texts.number, "+33645019283")

    def test_no_template_outside_the_window_falls_back_to_sms(self):
        self.template.randevu_kind = False
        appointment = self.book_opted_in(self.start)
        self.run_reminders(self.due)
        self.assertEqual(self.whatsapp_reminder(appointment).state, "error")
        self.assertEqual(self.messages(appointment, kind="reminder", channel="sms").state, "sent")
        self.assertFalse(self.templates_sent())

    def test_without_opt_in_no_whatsapp(self):
        appointment = self.book(self.start)
        self.run_reminders(self.due)
        self.assertEqual(self.whatsapp_reminder(appointment).state, "skipped")
        self.assertFalse(self.fake.sent())

    def test_delivery_statuses_are_recorded_in_order(self):
        appointment = self.book_opted_in(self.start)
        self.run_reminders(self.due)
        reminder = self.whatsapp_reminder(appointment)
        service = self.env["mail.gateway.whatsapp"]

        def status(value, **extra):
            update = whatsapp_update(
                "106540352242922",
                statuses=[
                    {"id": reminder.whatsapp_message_id, "status": value, "recipient_id": "33645019283", **extra}
                ],
            )
            service._receive_update(self.gateway, update)

        status("delivered")
        self.assertEqual(reminder.whatsapp_status, "delivered")
        status("read")
        status("delivered")  # late: never undoes "read"
        self.assertEqual(reminder.whatsapp_status, "read")
        self.assertEqual(reminder.state, "sent")

    def test_failed_status_sends_sms_instead(self):
        appointment = self.book_opted_in(self.start)
        self.run_reminders(self.due)
        reminder = self.whatsapp_reminder(appointment)
        update = whatsapp_update(
            "106540352242922",
            statuses=[
                {
                    "id": reminder.whatsapp_message_id,
                    "status": "failed",
                    "recipient_id": "33645019283",
                    "errors": [{"code": 131026, "title": "Message undeliverable"}],
                }
            ],
        )
        with freeze_time(self.due + timedelta(minutes=1)):
            self.env["mail.gateway.whatsapp"]._receive_update(self.gateway, update)
        self.assertRecordValues(reminder, [{"whatsapp_status": "failed", "state": "error"}])
        self.assertIn("Message undeliverable", reminder.error)
        self.assertEqual(self.messages(appointment, kind="reminder", channel="sms").state, "sent")

    def test_reply_from_the_conversation(self):
        """A receptionist's message in the chat goes out as free text within 24 hours of the
        customer's last message; outside it, or when WhatsApp refuses it, it is refused and
        nothing is posted."""
        receptionist = self.make_user("inbox_rec", "randevu_calendar.group_randevu_user", self.branch)
        conversation = self.env["randevu.conversation"]._randevu_get(
            self.branch, "whatsapp", "+33645019283", self.gateway, partner=self.customer
        )
        conversation._randevu_receive("Is 3pm free?", conversation.create_date - timedelta(minutes=5))
        self.assertRecordValues(conversation, [{"waiting": True, "unread_count": 1}])
        mine = conversation.with_user(receptionist)
        mine.message_post(body="Yes, see you at 3pm!", message_type="comment", subtype_xmlid="mail.mt_comment")
        self.assertEqual(self.texts_sent()[-1]["text"]["body"], "Yes, see you at 3pm!")
        self.assertRecordValues(conversation, [{"waiting": False, "unread_count": 0}])
        # A note stays inside.
        mine.message_post(body="Regular, prefers Anna", message_type="comment", subtype_xmlid="mail.mt_note")
        self.assertEqual(len(self.texts_sent()), 1)
        count = len(conversation.message_ids)
        self.fake.errors.append({"message": "Recipient phone number not in allowed list", "code": 131030})
        with self.assertRaisesRegex(UserError, "131030"), self.env.cr.savepoint():
            mine.message_post(body="Still there?", message_type="comment", subtype_xmlid="mail.mt_comment")
        conversation.last_customer_message_at -= timedelta(hours=25)
        with self.assertRaisesRegex(UserError, "24 hours"), self.env.cr.savepoint():
            mine.message_post(body="Still there?", message_type="comment", subtype_xmlid="mail.mt_comment")
        self.env.invalidate_all()
        self.assertEqual(len(conversation.message_ids), count)

    def test_confirmation_goes_on_whatsapp_for_an_opted_in_customer(self):
        """Confirmations go on every channel that reaches the customer: WhatsApp too once
        they opted in; without a confirmation template, outside the window, it falls back
        to SMS (which the customer already gets: one more text, never a lost message)."""
        self.customer.randevu_whatsapp_opt_in = True
        appointment = self.book(self.start)
        with freeze_time(self.due - timedelta(days=2)):
            self.run_outbox()
        confirmation = self.messages(appointment, kind="confirmation", channel="whatsapp")
        self.assertEqual(confirmation.state, "error")
        self.assertIn("no approved WhatsApp template", confirmation.error)
        self.template.randevu_kind = "confirmation"
        other = self.book(self.start + timedelta(hours=3))
        with freeze_time(self.due - timedelta(days=2)):
            self.run_outbox()
        self.assertRecordValues(
            self.messages(other, kind="confirmation", channel="whatsapp"),
            [{"state": "sent", "whatsapp_status": "sent"}],
        )
        self.assertEqual(self.templates_sent()[-1]["to"], "33645019283")

    def test_conversation_shows_upcoming_appointments_and_no_shows(self):
        appointment = self.book(self.start)
        missed = self.book(self.monday - timedelta(days=7, hours=-10))
        with freeze_time(self.monday):
            missed.state = "no_show"
        conversation = self.env["randevu.conversation"]._randevu_get(
            self.branch, "whatsapp", "+33645019283", self.gateway, partner=self.customer
        )
        with freeze_time(self.monday):
            conversation.invalidate_recordset()
            self.assertEqual(conversation.upcoming_appointment_ids, appointment)
        self.customer.invalidate_recordset()
        self.assertEqual(conversation.noshow_count, 1)
        # Staff see their own appointments with the customer: Anna's, not Bruno's.
        bruno_booking = self.book(self.start + timedelta(hours=3), staff=self.bruno)
        with freeze_time(self.monday):
            staff_view = conversation.with_user(self.stylist_user)
            staff_view.invalidate_recordset()
            self.assertEqual(staff_view.upcoming_appointment_ids, appointment)
            conversation.invalidate_recordset()
            self.assertEqual(conversation.upcoming_appointment_ids, appointment | bruno_booking)
