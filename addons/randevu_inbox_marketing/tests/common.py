# ruff: noqa: RUF001 (Turkish dotless i)
import json

from odoo.addons.randevu_inbox.tests.common import InboxMixin, signed, whatsapp_update

SMS_TOKEN = "sms-webhook-token-inbox-marketing"


class ConsentInboxMixin(InboxMixin):
    """A branch in Istanbul with WhatsApp on the local fake Graph API and texts on the local
    fake SMS gateway; its customer Ayşe writes in Turkish."""

    @classmethod
    def make_consent_fixtures(cls, tag):
        from odoo.addons.randevu_inbox.tests.common import start_fake_sms_gateway, use_sms_gateway

        env = cls.env
        for code in ("tr_TR", "fr_FR"):
            env["res.lang"]._activate_lang(code)
        env["ir.module.module"]._load_module_terms(
            ["randevu_marketing", "randevu_inbox_marketing"], ["tr_TR", "fr_FR"], overwrite=True
        )
        cls.fake = cls.start_fake_graph()
        cls.sms_fake = start_fake_sms_gateway(cls)
        cls.branch, cls.gateway = cls.make_branch(env, tag, cls.fake)
        use_sms_gateway(cls.branch, cls.sms_fake.url, token=f"{SMS_TOKEN}-{tag}")
        cls.sms_token = f"{SMS_TOKEN}-{tag}"
        cls.customer = env["res.partner"].create(
            {"name": "Ayşe Yılmaz", "phone": "+90 532 747 18 29", "lang": "tr_TR", "company_id": cls.branch.id}
        )
        cls.number = "+905327471829"

    def post_whatsapp(self, message, name="Ayşe Yılmaz"):
        body = whatsapp_update(self.gateway.whatsapp_from_phone, messages=[message], contacts=[(message["from"], name)])
        raw, signature = signed(body)
        response = self.url_open(
            f"/gateway/whatsapp/{self.gateway.webhook_key}/update",
            data=raw,
            headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
        )
        self.assertEqual(response.status_code, 200)
        return self.env["randevu.inbox.event"].search([("wa_message_id", "=", message["id"])])

    def post_sms(self, message_id, text, sender="+905327471829"):
        response = self.url_open(
            f"/randevu/sms/{self.sms_token}/inbound",
            data=json.dumps({"id": message_id, "from": sender, "text": text}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return self.env["randevu.inbox.event"].search([("wa_message_id", "=", f"sms:{self.branch.id}:{message_id}")])

    def sms_texts(self):
        """The texts the fake SMS gateway was asked to send."""
        return [json.loads(raw)["message"] for _method, _path, _headers, raw in self.sms_fake.requests]

    def consent(self, channel):
        return self.env["randevu.consent"].search([("partner_id", "=", self.customer.id), ("channel", "=", channel)])

    def chat_notes(self, conversation):
        return " ".join(conversation.message_ids.mapped("body"))
