# ruff: noqa: RUF001  (Turkish text: the dotless i is meant)
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import InboxMixin, signed, text_message, whatsapp_update


@tagged("post_install", "-at_install")
class TestWebhook(InboxMixin, HttpCase):
    """OCA's webhook URL (/gateway/whatsapp/<key>/update) as Meta calls it: signed
    bodies are queued once per WhatsApp message id and filed by the inbox worker."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = cls.start_fake_graph()
        cls.branch, cls.gateway = cls.make_branch(cls.env, "webhook", cls.fake)
        cls.known = cls.env["res.partner"].create({"name": "Ayşe Yılmaz", "phone": "+90 532 747 18 29"})
        cls.url = f"/gateway/whatsapp/{cls.gateway.webhook_key}/update"
        cls.cron = cls.env.ref("randevu_inbox.ir_cron_randevu_inbox")

    def post(self, body, signature=None, secret=None):
        raw, good = signed(body, **({"secret": secret} if secret else {}))
        headers = {"Content-Type": "application/json"}
        if signature is not False:
            headers["X-Hub-Signature-256"] = signature or good
        return self.url_open(self.url, data=raw, headers=headers)

    def events(self, wamid):
        return self.env["randevu.inbox.event"].search([("wa_message_id", "=", wamid)])

    def update(self, *messages, name="Ayşe Yılmaz"):
        return whatsapp_update(
            self.gateway.whatsapp_from_phone,
            messages=messages,
            contacts=[(message["from"], name) for message in messages],
        )

    def test_bad_signature_is_refused_and_nothing_stored(self):
        message = text_message("905327471829", "Merhaba")
        with mute_logger("odoo.addons.randevu_inbox.controllers.gateway"):
            wrong = self.post(self.update(message), secret="not-the-secret")
            missing = self.post(self.update(message), signature=False)
            garbage = self.post(self.update(message), signature="sha256=00")
        self.assertEqual([wrong.status_code, missing.status_code, garbage.status_code], [403, 403, 403])
        self.assertFalse(self.events(message["id"]))

    def test_message_is_queued_then_filed_in_the_customers_conversation(self):
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", self.cron.id)])
        message = text_message("905327471829", "Yarın 14:00 uygun mu?")
        response = self.post(self.update(message))
        self.assertEqual(response.status_code, 200)
        event = self.events(message["id"])
        self.assertRecordValues(event, [{"state": "queued", "company_id": self.branch.id, "sender": "905327471829"}])
        self.assertEqual(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", self.cron.id)]),
            triggers + 1,
            "the inbox worker is triggered for the message",
        )
        self.assertFalse(self.env["randevu.conversation"].search([("company_id", "=", self.branch.id)]))
        self.env["randevu.inbox.event"]._cron_process()
        conversation = event.conversation_id
        self.assertEqual(event.state, "done")
        self.assertRecordValues(
            conversation,
            [
                {
                    "partner_id": self.known.id,  # found by the booking service's matching on the phone
                    "company_id": self.branch.id,
                    "phone": "+905327471829",
                    "channel": "whatsapp",
                    "waiting": True,
                    "unread_count": 1,
                }
            ],
        )
        self.assertIn("Yarın 14:00 uygun mu?", conversation.message_ids[0].body)
        self.assertEqual(conversation.message_ids[0].author_id, self.known)
        self.assertTrue(self.known.randevu_whatsapp_opt_in)

        # A second message lands in the same conversation.
        second = text_message("905327471829", "Saç kesimi için")
        self.post(self.update(second))
        self.env["randevu.inbox.event"]._cron_process()
        self.assertEqual(self.events(second["id"]).conversation_id, conversation)
        self.assertEqual(conversation.unread_count, 2)

    def test_unknown_sender_becomes_a_customer(self):
        message = text_message("33612345678", "Bonjour, je voudrais un rendez-vous")
        self.post(self.update(message, name="Camille Dupont"))
        self.env["randevu.inbox.event"]._cron_process()
        partner = self.events(message["id"]).conversation_id.partner_id
        self.assertRecordValues(partner, [{"name": "Camille Dupont", "phone_sanitized": "+33612345678"}])

    def test_duplicate_delivery_is_filed_once(self):
        message = text_message("905327471829", "Tekrar")
        self.assertEqual(self.post(self.update(message)).status_code, 200)
        self.assertEqual(self.post(self.update(message)).status_code, 200)
        self.assertEqual(len(self.events(message["id"])), 1)
        self.env["randevu.inbox.event"]._cron_process()
        self.env["randevu.inbox.event"]._cron_process()
        conversation = self.events(message["id"]).conversation_id
        self.assertEqual(len(conversation.message_ids.filtered(lambda msg: "Tekrar" in (msg.body or ""))), 1)

    def test_verification_handshake_still_works(self):
        """OCA's GET handshake (hub.verify_token) is untouched."""
        gateway = self.env["mail.gateway"].create(
            {
                "name": "Pending",
                "gateway_type": "whatsapp",
                "token": "pending-token",
                "webhook_key": "pending-key",
                "webhook_secret": "s",
                "whatsapp_security_key": "verify-me",
                "company_id": self.branch.id,
            }
        )
        gateway.integrated_webhook_state = "pending"
        response = self.url_open(
            "/gateway/whatsapp/pending-key/update?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=42"
        )
        self.assertEqual(response.text, "42")
        self.assertEqual(gateway.integrated_webhook_state, "integrated")
