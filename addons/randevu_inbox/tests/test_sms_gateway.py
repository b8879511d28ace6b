import json
import socket
from datetime import timedelta

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.randevu_calendar.tests.common import RandevuMessagingCase

from .common import InboxMixin, start_fake_sms_gateway, use_sms_gateway


@tagged("post_install", "-at_install")
class TestSmsGatewaySending(InboxMixin, RandevuMessagingCase):
    """Texts of a branch whose SMS provider is an HTTP gateway go through the adapter to a
    local fake gateway (the outbox, the SMS composer, mass SMS, the WhatsApp fallback, the
    inbox's replies); branches on Odoo IAP (the default) are untouched."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sms_fake = start_fake_sms_gateway(cls)
        use_sms_gateway(cls.branch, cls.sms_fake.url)
        cls.start = cls.monday + timedelta(hours=10)  # 11:00 in Paris
        cls.due = cls.start - timedelta(hours=1, minutes=30)  # after the 2-hour SMS rule

    def setUp(self):
        super().setUp()
        self.sms_fake.reset()

    def text(self, body, company=None):
        """A text of `company` (the branch) to the customer, in Odoo's SMS queue."""
        chatter = (
            self.env["mail.message"]
            .sudo()
            .create(
                {
                    "model": "res.partner",
                    "res_id": self.customer.id,
                    "message_type": "sms",
                    "body": body,
                    "record_company_id": (company or self.branch).id,
                }
            )
        )
        return (
            self.env["sms.sms"]
            .sudo()
            .create({"number": "+33645019283", "body": body, "mail_message_id": chatter.id, "state": "outgoing"})
        )

    def send_queue(self):
        with self.mockSMSGateway():
            self.env["sms.sms"].sudo()._process_queue()

    def test_outbox_reminder_goes_through_the_gateway(self):
        appointment = self.book(self.start)
        self.run_reminders(self.due)
        reminder = self.messages(appointment, kind="reminder", channel="sms")
        self.assertEqual(reminder.state, "sent")
        self.send_queue()
        self.assertFalse(self._sms, "nothing went to Odoo IAP")
        bodies = [body for body in self.sms_fake.sent() if "Haircut" in body["message"]]
        self.assertTrue(bodies)
        self.assertEqual(bodies[-1]["to"], "+33645019283")
        self.assertEqual(bodies[-1]["sender"], "RANDEVU")
        method, path, headers, _raw = self.sms_fake.requests[-1]
        self.assertEqual((method, path), ("POST", "/api/sms"))
        self.assertEqual(headers["Authorization"], "Bearer sms-key")
        self.assertEqual(headers["X-Account"], "randevu")
        text = self.env["sms.sms"].sudo().search([("mail_message_id", "=", reminder.mail_message_id.id)])
        self.assertEqual(text.state, "pending")
        self.assertTrue(text.randevu_gateway_message_id.startswith("sms-"))
        self.assertRecordValues(
            reminder, [{"sms_gateway_message_id": text.randevu_gateway_message_id, "sms_status": "sent"}]
        )
        notification = (
            self.env["mail.notification"].sudo().search([("mail_message_id", "=", reminder.mail_message_id.id)])
        )
        self.assertEqual(notification.notification_status, "pending")

        # Delivery statuses from the gateway, never going back.
        SmsSms = self.env["sms.sms"]
        SmsSms._randevu_gateway_status(self.branch, text.randevu_gateway_message_id, "delivered")
        self.assertEqual(reminder.sms_status, "delivered")
        self.assertEqual(text.state, "sent")
        self.assertEqual(notification.notification_status, "sent")
        SmsSms._randevu_gateway_status(self.branch, text.randevu_gateway_message_id, "sent")
        self.assertEqual(reminder.sms_status, "delivered", "a late 'sent' does not undo 'delivered'")
        other = self.env["res.company"].create({"name": "Another branch"})
        SmsSms._randevu_gateway_status(other, text.randevu_gateway_message_id, "failed")
        self.assertEqual(reminder.sms_status, "delivered", "another branch's gateway cannot touch it")
        SmsSms._randevu_gateway_status(self.branch, text.randevu_gateway_message_id, "failed")
        self.assertEqual(reminder.sms_status, "failed")
        self.assertIn("not delivered", reminder.error)
        self.assertEqual(notification.notification_status, "exception")

    def test_payload_is_json_escaped(self):
        sms = self.text('Say "hi"\nto Zoë \\ bye')
        sms.send(unlink_sent=False)
        self.assertEqual(
            self.sms_fake.sent(), [{"to": "+33645019283", "message": 'Say "hi"\nto Zoë \\ bye', "sender": "RANDEVU"}]
        )
        self.assertRecordValues(
            sms, [{"state": "pending", "failure_type": False, "randevu_gateway_message_id": "sms-1"}]
        )

    def test_gateway_errors_map_to_failure_types(self):
        for status, body, failure_type in (
            (402, {"error": "no credit"}, "sms_credit"),
            (401, {"error": "bad key"}, "sms_acc"),
            (400, {"error": "bad number"}, "sms_number_format"),
            (500, {"error": "down"}, "sms_server"),
            (200, {"status": "ok"}, "unknown"),  # no id at data.id
        ):
            with self.subTest(status=status):
                self.sms_fake.answers.append((status, body))
                sms = self.text(f"Answer {status}")
                sms.send(unlink_sent=False, unlink_failed=False)
                self.assertRecordValues(
                    sms, [{"state": "error", "failure_type": failure_type, "randevu_gateway_message_id": False}]
                )

    def test_timeout_and_unreachable_gateway_are_server_errors(self):
        self.env["ir.config_parameter"].sudo().set_param("randevu_inbox.sms_gateway_timeout", "0.3")
        # Odoo's test runner raises any requests timeout to 10 s: the fake waits longer.
        self.sms_fake.delay = 11
        sms = self.text("Too slow")
        sms.send(unlink_sent=False)
        self.assertRecordValues(sms, [{"state": "error", "failure_type": "sms_server"}])
        self.sms_fake.delay = 0
        with socket.socket() as probe:  # a port nobody listens on
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.branch.sudo().randevu_sms_gateway_url = f"http://127.0.0.1:{port}/sms"
        sms = self.text("Nobody there")
        sms.send(unlink_sent=False)
        self.assertRecordValues(sms, [{"state": "error", "failure_type": "sms_server"}])

    def test_iap_default_is_untouched(self):
        other = self.env["res.company"].create({"name": "IAP branch"})
        self.assertEqual(other.sudo().randevu_sms_provider, "iap")
        self.assertEqual(self.env.ref("base.main_company").sudo().randevu_sms_provider, "iap")
        iap_text = self.text("Through IAP", company=other)
        gateway_text = self.text("Through the gateway")
        with self.mockSMSGateway():
            (iap_text | gateway_text).send(unlink_sent=False)
        self.assertEqual([sms["body"] for sms in self._sms], ["Through IAP"], "only the IAP branch's text to IAP")
        self.assertEqual([body["message"] for body in self.sms_fake.sent()], ["Through the gateway"])
        self.assertRecordValues(
            iap_text | gateway_text,
            [
                {"state": "pending", "randevu_gateway_message_id": False},
                {"state": "pending", "randevu_gateway_message_id": "sms-1"},
            ],
        )

    def test_composer_and_mass_sms_go_through_the_gateway(self):
        self.customer.company_id = self.branch
        composer = (
            self.env["sms.composer"]
            .with_company(self.branch)
            .with_context(active_model="res.partner", active_id=self.customer.id)
            .create({"body": "From the composer"})
        )
        with self.mockSMSGateway():
            composer.action_send_sms()
        mass = (
            self.env["sms.composer"]
            .with_company(self.branch)
            .create(
                {
                    "composition_mode": "mass",
                    "res_model": "res.partner",
                    "res_ids": repr(self.customer.ids),
                    "body": "Mass text",
                    "mass_keep_log": True,
                    "mass_force_send": True,
                }
            )
        )
        with self.mockSMSGateway():
            mass.action_send_sms()
            self.env["sms.sms"].sudo()._process_queue()
        self.assertFalse(self._sms, "nothing went to Odoo IAP")
        mass_texts = self.env["sms.sms"].sudo().search([("body", "=", "Mass text")])
        self.assertEqual(
            sorted(body["message"] for body in self.sms_fake.sent()),
            ["From the composer", "Mass text"],
        )
        self.assertEqual(mass_texts.state, "pending")

    def test_whatsapp_fallback_goes_through_the_gateway(self):
        graph = self.start_fake_graph()
        gateway = self.env["mail.gateway"].create(
            {
                "name": "Paris WhatsApp",
                "gateway_type": "whatsapp",
                "token": "paris-token",
                "webhook_key": "paris-sms-key",
                "webhook_secret": "paris-secret",
                "whatsapp_from_phone": "106540352242999",
                "company_id": self.branch.id,
                "randevu_graph_url": graph.url,
            }
        )
        gateway.integrated_webhook_state = "integrated"
        self.rule_sms.channel = "whatsapp"
        appointment = self.book(self.start)
        self.customer.randevu_whatsapp_opt_in = True
        self.run_reminders(self.due)  # no approved template outside the window: SMS instead
        fallback = self.messages(appointment, kind="reminder", channel="sms")
        self.assertEqual(fallback.state, "sent")
        self.send_queue()
        self.assertFalse(self._sms, "the fallback did not go to Odoo IAP")
        self.assertTrue(fallback.sms_gateway_message_id.startswith("sms-"))
        self.assertIn(
            fallback.sms_gateway_message_id,
            [f"sms-{index + 1}" for index in range(len(self.sms_fake.requests))],
        )

    def test_reply_on_an_sms_conversation(self):
        conversation = self.env["randevu.conversation"]._randevu_get(
            self.branch, "sms", "+33645019283", self.env["mail.gateway"], partner=self.customer
        )
        conversation._randevu_receive("Bonjour, je serai en retard", self.due)
        conversation.message_post(body="Pas de souci", message_type="comment", subtype_xmlid="mail.mt_comment")
        self.assertEqual(self.sms_fake.sent(), [{"to": "+33645019283", "message": "Pas de souci", "sender": "RANDEVU"}])
        self.assertRecordValues(conversation, [{"waiting": False, "unread_count": 0}])
        self.sms_fake.answers.append((500, {"error": "down"}))
        count = len(conversation.message_ids)
        with self.assertRaises(UserError):
            conversation.message_post(body="Refused", message_type="comment", subtype_xmlid="mail.mt_comment")
        self.assertEqual(len(conversation.message_ids), count, "nothing posted")
        self.assertEqual(json.loads(self.sms_fake.requests[-1][3])["message"], "Refused")
