# ruff: noqa: RUF001 (Turkish dotless i)
from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.randevu_calendar.tests.common import JsonRpcMixin
from odoo.addons.randevu_inbox.tests.common import sent_texts, text_message

from .common import ConsentInboxMixin


@tagged("post_install", "-at_install")
class TestAskConsent(ConsentInboxMixin, JsonRpcMixin, HttpCase):
    """A receptionist asks for marketing consent from the conversation, as the web client
    calls it (JSON-RPC): a pending consent with source Chat and the exact question sent,
    the question sent on the conversation's channel (WhatsApp only within 24 hours), and
    the customer's YES through the webhook confirms it; a consent given in the chat is
    recorded with the desk's wizard."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_consent_fixtures("ask")
        cls.receptionist = new_test_user(
            cls.env,
            login="consent_user",
            password="consent_user",
            groups="base.group_user,randevu_calendar.group_randevu_user",
            company_id=cls.branch.id,
            company_ids=[(6, 0, cls.branch.ids)],
        )
        Conversation = cls.env["randevu.conversation"]
        cls.whatsapp = Conversation._randevu_get(cls.branch, "whatsapp", cls.number, cls.gateway, partner=cls.customer)
        cls.sms = Conversation._randevu_get(
            cls.branch, "sms", cls.number, cls.env["mail.gateway"], partner=cls.customer
        )

    def setUp(self):
        super().setUp()
        self.fake.requests.clear()
        self.sms_fake.requests.clear()
        self.authenticate("consent_user", "consent_user")

    def test_ask_on_whatsapp_then_yes_confirms(self):
        self.whatsapp.sudo().last_customer_message_at = fields.Datetime.now() - timedelta(hours=2)
        self.call_kw_result("randevu.conversation", "action_ask_marketing_consent", self.whatsapp.ids)
        consent = self.consent("whatsapp")
        [asked] = consent.event_ids
        self.assertRecordValues(
            asked, [{"state": "pending", "source": "chat", "address": self.number, "user_id": self.receptionist.id}]
        )
        [question] = sent_texts(self.fake)
        self.assertEqual(asked.text, question, "the exact text sent is the proof")
        self.assertIn("EVET", question, "asked in Turkish, the customer's language")
        self.assertIn(self.branch.name, question)
        self.assertIn("asked the customer for marketing consent", self.chat_notes(self.whatsapp))
        # Shown beside the chat.
        [row] = self.call_kw_result("randevu.conversation", "read", self.whatsapp.ids, ["marketing_consent_ids"])
        self.assertEqual(row["marketing_consent_ids"], consent.ids)
        # Asked again while pending: asked again (a second pending event, its own text).
        # The customer answers YES through the webhook.
        self.post_whatsapp(text_message("905327471829", "EVET"))
        self.env["randevu.inbox.event"]._cron_process()
        self.assertEqual(consent.state, "granted")
        # Already granted: refused, nothing sent.
        self.fake.requests.clear()
        answer = self.call_kw("randevu.conversation", "action_ask_marketing_consent", self.whatsapp.ids)
        self.assertEqual(answer["error"]["data"]["name"], "odoo.exceptions.UserError")
        self.assertFalse(sent_texts(self.fake))

    def consent_template(self, state="approved"):
        template = self.env["mail.whatsapp.template"].create(
            {
                "name": f"consent_question_{state}",
                "body": "Merhaba {{1}}, kampanya ve haberlerimizi WhatsApp ile almak ister misiniz? "
                "Kabul için EVET yazın; istediğiniz zaman DUR yazarak durdurabilirsiniz.",
                "category": "marketing",
                "language": "tr",
                "gateway_id": self.gateway.id,
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "variable_ids": [Command.create({"name": "{{1}}", "line_type": "body", "field_name": "name"})],
            }
        )
        template.state = state
        self.branch.randevu_whatsapp_consent_template_id = template
        return template

    def test_whatsapp_outside_the_window_without_a_template_is_refused_with_nothing_recorded(self):
        self.whatsapp.sudo().last_customer_message_at = fields.Datetime.now() - timedelta(hours=30)
        answer = self.call_kw(
            "randevu.conversation", "action_ask_marketing_consent", self.whatsapp.ids, context={"lang": "fr_FR"}
        )
        self.assertEqual(answer["error"]["data"]["name"], "odoo.exceptions.UserError")
        self.assertIn("24 heures", answer["error"]["data"]["message"], "said in the user's language")
        self.assertIn("modèle", answer["error"]["data"]["message"])
        self.assertFalse(self.consent("whatsapp"))
        self.assertFalse(self.fake.sent())
        # A template not approved (yet) by WhatsApp is no better.
        self.consent_template(state="pending")
        answer = self.call_kw("randevu.conversation", "action_ask_marketing_consent", self.whatsapp.ids)
        self.assertEqual(answer["error"]["data"]["name"], "odoo.exceptions.UserError")
        self.assertIn("not approved", answer["error"]["data"]["message"])
        self.assertFalse(self.consent("whatsapp"))
        self.assertFalse(self.fake.sent())

    def test_whatsapp_outside_the_window_sends_the_branchs_approved_template(self):
        template = self.consent_template()
        self.whatsapp.sudo().last_customer_message_at = fields.Datetime.now() - timedelta(hours=30)
        self.call_kw_result("randevu.conversation", "action_ask_marketing_consent", self.whatsapp.ids)
        [body] = self.fake.sent()
        self.assertEqual(body["type"], "template", "no free-form text outside the window")
        self.assertEqual(body["to"], "905327471829")
        self.assertEqual(body["template"]["name"], template.template_name)
        self.assertEqual(body["template"]["components"][0]["parameters"][0]["text"], "Ayşe Yılmaz")
        consent = self.consent("whatsapp")
        [asked] = consent.event_ids
        self.assertRecordValues(asked, [{"state": "pending", "source": "chat", "address": self.number}])
        self.assertEqual(
            asked.text,
            "Merhaba Ayşe Yılmaz, kampanya ve haberlerimizi WhatsApp ile almak ister misiniz? "
            "Kabul için EVET yazın; istediğiniz zaman DUR yazarak durdurabilirsiniz.",
            "the exact text sent is the proof",
        )
        self.assertIn("kampanya ve haberlerimizi", self.chat_notes(self.whatsapp), "shown in the chat")
        # Her YES, typed (or the template's quick-reply button), confirms it as any other.
        self.post_whatsapp(text_message("905327471829", "Evet"))
        self.env["randevu.inbox.event"]._cron_process()
        self.assertEqual(consent.state, "granted")

    def test_a_consent_template_of_another_account_is_refused(self):
        other_branch, other_gateway = self.make_branch(self.env, "ask-other", self.fake)
        template = self.consent_template()
        self.branch.randevu_whatsapp_consent_template_id = False
        template.gateway_id = other_gateway
        with self.assertRaises(ValidationError):
            self.branch.randevu_whatsapp_consent_template_id = template
            self.env.flush_all()
        self.assertEqual(template.company_id, other_branch)

    def test_ask_by_sms_goes_through_the_branchs_gateway(self):
        self.call_kw_result("randevu.conversation", "action_ask_marketing_consent", self.sms.ids)
        consent = self.consent("sms")
        self.assertEqual(consent.state, "pending")
        [question] = self.sms_texts()
        self.assertEqual(consent.event_ids.text, question)
        self.assertFalse(self.consent("whatsapp"), "one channel at a time")

    def test_refused_send_records_nothing(self):
        self.whatsapp.sudo().last_customer_message_at = fields.Datetime.now() - timedelta(hours=1)
        self.fake.errors.append({"message": "Recipient not on WhatsApp", "code": 131026})
        answer = self.call_kw("randevu.conversation", "action_ask_marketing_consent", self.whatsapp.ids)
        self.assertEqual(answer["error"]["data"]["name"], "odoo.exceptions.UserError")
        self.assertFalse(self.consent("whatsapp"), "no pending consent for a question never sent")

    def test_consent_given_in_the_chat_is_recorded(self):
        action = self.call_kw_result("randevu.conversation", "action_record_marketing_consent", self.whatsapp.ids)
        self.assertEqual(action["res_model"], "randevu.consent.record")
        context = action["context"]
        self.assertEqual(context["default_source"], "chat")
        wizard_id = self.call_kw_result("randevu.consent.record", "create", {}, context=context)
        [wizard] = self.call_kw_result("randevu.consent.record", "read", [wizard_id], ["source", "address", "text"])
        self.assertEqual((wizard["source"], wizard["address"]), ("chat", self.number))
        self.assertIn("WhatsApp", wizard["text"])
        self.call_kw_result("randevu.consent.record", "action_record", [wizard_id], context=context)
        consent = self.consent("whatsapp")
        self.assertRecordValues(consent, [{"state": "granted", "source": "chat", "address": self.number}])
        self.assertEqual(consent.event_ids.text, wizard["text"])
        self.assertIn("given in the chat", self.chat_notes(self.whatsapp))
