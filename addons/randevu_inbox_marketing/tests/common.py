# ruff: noqa: RUF001 (Turkish dotless i)
import json

from odoo.fields import Command

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


class CampaignMixin(InboxMixin):
    """A branch in Istanbul (no quiet hours) with WhatsApp on the local fake Graph API, four
    regular customers (Ayşe and Selin with WhatsApp marketing consent, Emre's never
    confirmed, Deniz's by SMS only), their segment and an approved marketing template."""

    @classmethod
    def make_campaign_fixtures(cls, tag):
        cls.fake = cls.start_fake_graph()
        cls.branch, cls.gateway = cls.make_branch(cls.env, tag, cls.fake)
        cls.branch.write({"randevu_quiet_start": 0, "randevu_quiet_end": 0})
        cls.regular = cls.env["res.partner.category"].create({"name": f"Regular WhatsApp {tag}"})
        Partner = cls.env["res.partner"]

        def customer(name, phone):
            return Partner.create(
                {
                    "name": name,
                    "phone": phone,
                    "randevu_client": True,
                    "category_id": [Command.link(cls.regular.id)],
                    "company_id": cls.branch.id,
                }
            )

        cls.ayse = customer("Ayşe Demir", "+905321110011")
        cls.deniz = customer("Deniz Kaya", "+905321110022")
        cls.selin = customer("Selin Ak", "+905321110033")
        cls.emre = customer("Emre Can", "+905321110044")
        Consent = cls.env["randevu.consent"]
        text = "WhatsApp ile kampanyalar"
        for partner in (cls.ayse, cls.selin):
            Consent._randevu_record(partner, "whatsapp", "granted", "till", text)
        Consent._randevu_record(cls.emre, "whatsapp", "granted", "booking_form", text)  # never confirmed
        Consent._randevu_record(cls.deniz, "sms", "granted", "till", text)  # SMS is not WhatsApp
        cls.segment = cls.env["randevu.segment"].create(
            {"name": "Regulars on WhatsApp", "tag_ids": cls.regular.ids, "company_id": cls.branch.id}
        )
        cls.template = cls.env["mail.whatsapp.template"].create(
            {
                "name": "spring_offer",
                "body": "Merhaba {{1}}, bahar kampanyası: boyada %20 indirim!",
                "category": "marketing",
                "language": "tr",
                "gateway_id": cls.gateway.id,
                "model_id": cls.env["ir.model"]._get_id("res.partner"),
                "variable_ids": [Command.create({"name": "{{1}}", "line_type": "body", "field_name": "name"})],
            }
        )
        cls.template.state = "approved"

    def campaign(self, name="Spring offer"):
        return self.env["mailing.mailing"].create(
            {
                "name": name,
                "subject": name,
                "mailing_type": "whatsapp",
                "randevu_segment_id": self.segment.id,
                "randevu_whatsapp_template_id": self.template.id,
            }
        )

    def run_queue(self):
        """The mass mailing queue, twice: it sends, then its next run marks the campaign done."""
        for _run in range(2):
            self.env["mailing.mailing"]._process_mass_mailing_queue()

    def traces(self, mailing, **values):
        traces = mailing.mailing_trace_ids.filtered(
            lambda trace: all(trace[key] == value for key, value in values.items())
        )
        return self.env["res.partner"].browse(traces.mapped("res_id"))

    def sent_to(self):
        return [body["to"] for body in self.fake.sent() if body["type"] == "template"]
