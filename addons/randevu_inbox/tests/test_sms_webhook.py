# ruff: noqa: RUF001  (Turkish text: the dotless i is meant)
import json

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import InboxMixin, start_fake_sms_gateway, use_sms_gateway

TOKEN = "sms-webhook-token-for-tests-1"


@tagged("post_install", "-at_install")
class TestSmsWebhook(InboxMixin, HttpCase):
    """The HTTP SMS gateway's webhooks as a gateway calls them: inbound texts queued once
    per gateway message id and filed in the customer's SMS conversation by the inbox
    worker; delivery statuses recorded; a wrong token refused with nothing stored."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sms_fake = start_fake_sms_gateway(cls)
        cls.branch = cls.env["res.company"].create(
            {"name": "SMS branch", "country_id": cls.env.ref("base.tr").id, "randevu_tz": "Europe/Istanbul"}
        )
        use_sms_gateway(cls.branch, cls.sms_fake.url, token=TOKEN)
        cls.known = cls.env["res.partner"].create({"name": "Ayşe Yılmaz", "phone": "+90 532 747 18 29"})
        cls.cron = cls.env.ref("randevu_inbox.ir_cron_randevu_inbox")

    def post(self, kind, data, token=TOKEN, form=False):
        url = f"/randevu/sms/{token}/{kind}"
        if form:
            return self.url_open(url, data=data)
        return self.url_open(url, data=json.dumps(data), headers={"Content-Type": "application/json"})

    def events(self, message_id):
        return self.env["randevu.inbox.event"].search([("wa_message_id", "=", f"sms:{self.branch.id}:{message_id}")])

    def test_bad_token_is_refused_and_nothing_stored(self):
        before = self.env["randevu.inbox.event"].search_count([])
        with mute_logger("odoo.addons.randevu_inbox.controllers.sms_gateway"):
            wrong = self.post("inbound", {"id": "in-x", "from": "+905327471829", "text": "Merhaba"}, token="x" * 30)
            short = self.post("inbound", {"id": "in-x", "from": "+905327471829", "text": "Merhaba"}, token="x")
            status = self.post("status", {"id": "sms-1", "status": "delivered"}, token="y" * 30)
        self.assertEqual([wrong.status_code, short.status_code, status.status_code], [403, 403, 403])
        self.assertEqual(self.env["randevu.inbox.event"].search_count([]), before)

    def test_text_is_queued_then_filed_in_the_customers_sms_conversation(self):
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", self.cron.id)])
        response = self.post("inbound", {"id": "in-1", "from": "+905327471829", "text": "Yarın 14:00 uygun mu?"})
        self.assertEqual(response.status_code, 200)
        event = self.events("in-1")
        self.assertRecordValues(
            event, [{"state": "queued", "channel": "sms", "company_id": self.branch.id, "sender": "+905327471829"}]
        )
        self.assertEqual(self.env["ir.cron.trigger"].search_count([("cron_id", "=", self.cron.id)]), triggers + 1)
        self.assertFalse(self.env["randevu.conversation"].search([("company_id", "=", self.branch.id)]))
        self.env["randevu.inbox.event"]._cron_process()
        self.assertEqual(event.state, "done")
        conversation = event.conversation_id
        self.assertRecordValues(
            conversation,
            [
                {
                    "channel": "sms",
                    "phone": "+905327471829",
                    "partner_id": self.known.id,
                    "waiting": True,
                    "unread_count": 1,
                }
            ],
        )
        self.assertIn("Yarın 14:00 uygun mu?", conversation.message_ids[0].body)
        self.assertFalse(self.known.randevu_whatsapp_opt_in, "an SMS is no WhatsApp opt-in")

        # A form post (Twilio's field names), a local number: the same conversation.
        response = self.post("inbound", {"MessageSid": "SM2", "From": "05327471829", "Body": "Tamam"}, form=True)
        self.assertEqual(response.status_code, 200)
        self.env["randevu.inbox.event"]._cron_process()
        self.assertEqual(self.events("SM2").conversation_id, conversation)
        self.assertEqual(conversation.unread_count, 2)

    def test_duplicate_delivery_is_stored_and_filed_once(self):
        for _attempt in range(3):
            response = self.post("inbound", {"id": "in-dup", "from": "+905327471829", "text": "Bir kez"})
            self.assertEqual(response.status_code, 200)
        self.assertEqual(len(self.events("in-dup")), 1)
        self.env["randevu.inbox.event"]._cron_process()
        posted = self.events("in-dup").conversation_id.message_ids.filtered(lambda msg: "Bir kez" in msg.body)
        self.assertEqual(len(posted), 1)

    def test_missing_fields_are_refused(self):
        response = self.post("inbound", {"text": "no id, no sender"})
        self.assertEqual(response.status_code, 400)

    def test_delivery_status_recorded_on_the_text(self):
        chatter = self.env["mail.message"].create(
            {
                "model": "res.partner",
                "res_id": self.known.id,
                "message_type": "sms",
                "record_company_id": self.branch.id,
            }
        )
        sms = self.env["sms.sms"].create(
            {"number": "+905327471829", "body": "Hatırlatma", "mail_message_id": chatter.id, "state": "outgoing"}
        )
        sms.send(unlink_sent=False)
        self.assertEqual(sms.state, "pending")
        response = self.post("status", {"id": sms.randevu_gateway_message_id, "status": "DELIVERED"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(sms.state, "sent")
