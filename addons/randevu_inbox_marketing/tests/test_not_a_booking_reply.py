# ruff: noqa: RUF001 (Turkish dotless i)
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import TransactionCase, tagged

from odoo.addons.randevu_inbox.tests.common import (
    AssistantMixin,
    InboxMixin,
    interactive_reply,
    sent_texts,
    text_message,
)

# Monday 4 January 2027, noon in Istanbul (UTC+3).
NOW = datetime(2027, 1, 4, 9, 0)
CUSTOMER = "905321234567"


@tagged("post_install", "-at_install")
class TestNotABookingReply(AssistantMixin, InboxMixin, TransactionCase):
    """At a branch where the assistant books and cancels, a customer's "evet" that confirms
    a pending marketing consent is a consent reply only: the cancellation the assistant was
    asking about is not confirmed by it. With no consent waiting, "evet" is the assistant's
    as before; a tap on the assistant's own "Evet" button never touches a consent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_assistant_fixtures(cls.env)
        cls.env["ir.module.module"]._load_module_terms(
            ["randevu_inbox", "randevu_marketing", "randevu_inbox_marketing"], ["tr_TR", "fr_FR"], overwrite=True
        )
        cls.fake = cls.start_fake_graph()
        cls.istanbul.write(
            {"phone": "+90 212 555 00 00", "randevu_assistant_answers": True, "randevu_assistant_acts": True}
        )
        cls.gateway = cls.env["mail.gateway"].create(
            {
                "name": "WhatsApp Nişantaşı consent",
                "gateway_type": "whatsapp",
                "token": "token-consent",
                "webhook_key": "key-consent",
                "webhook_secret": "secret",
                "whatsapp_from_phone": "555000333",
                "whatsapp_security_key": "verify-me",
                "company_id": cls.istanbul.id,
                "randevu_graph_url": cls.fake.url,
                "member_ids": [Command.set([])],
            }
        )
        cls.gateway.integrated_webhook_state = "integrated"
        cls.customer = cls.env["res.partner"].create({"name": "Ayşe Kaya", "phone": "+905321234567"})

    def setUp(self):
        super().setUp()
        self.Event = self.env["randevu.inbox.event"]
        self.frozen = freeze_time(NOW)
        self.frozen.start()
        self.addCleanup(self.frozen.stop)
        self.conversation = self.env["randevu.conversation"]._randevu_get(
            self.istanbul, "whatsapp", "+" + CUSTOMER, self.gateway, partner=self.customer
        )
        # Thursday 7 January, 10:00 in Istanbul: outside the 24-hour cutoff.
        self.appointment = self.env["randevu.appointment"].create(
            {
                "company_id": self.istanbul.id,
                "service_id": self.services["haircut"].id,
                "employee_id": self.staff["merve"].id,
                "start": datetime(2027, 1, 7, 10) - timedelta(hours=3),
                "partner_id": self.customer.id,
            }
        )

    def receive(self, message):
        self.fake.requests.clear()
        event = self.Event._randevu_store(self.gateway, message)
        self.Event._cron_process()
        self.Event._cron_assistant()
        self.assertEqual(event.state, "done", event.error)
        return event

    def test_evet_confirms_the_consent_not_the_cancellation(self):
        self.receive(text_message(CUSTOMER, "iptal"))
        self.assertEqual(self.conversation.assistant_intent, "cancel")
        self.assertEqual(self.conversation.assistant_step, "confirm")
        Consent = self.env["randevu.consent"]
        Consent._randevu_record(self.customer, "whatsapp", "granted", "booking_form", "WhatsApp ile kampanyalar")
        consent = Consent.search([("partner_id", "=", self.customer.id), ("channel", "=", "whatsapp")])
        self.assertEqual(consent.state, "pending")
        state = self.appointment.state

        event = self.receive(text_message(CUSTOMER, "evet"))
        self.assertEqual(consent.state, "granted")
        self.assertFalse(event.assistant_state, "the assistant never saw the consent reply")
        self.assertEqual(self.appointment.state, state, "the cancellation was not confirmed by it")
        self.assertEqual(self.conversation.assistant_intent, "cancel", "the question is still pending")
        [answer] = sent_texts(self.fake)
        self.assertIn("Teşekkürler", answer)

        # No consent waiting any more: "evet" is the answer to the assistant's question.
        event = self.receive(text_message(CUSTOMER, "evet"))
        self.assertEqual(event.assistant_state, "answered")
        self.assertEqual(self.appointment.state, "cancelled")
        self.assertEqual(len(consent.event_ids), 2, "no second consent event")

    def test_the_assistants_yes_button_is_never_a_consent(self):
        self.receive(text_message(CUSTOMER, "iptal"))
        Consent = self.env["randevu.consent"]
        Consent._randevu_record(self.customer, "whatsapp", "granted", "booking_form", "WhatsApp ile kampanyalar")
        event = self.receive(interactive_reply(CUSTOMER, "button_reply", "randevu:yes", "Evet"))
        self.assertEqual(event.assistant_state, "answered")
        self.assertEqual(self.appointment.state, "cancelled")
        consent = Consent.search([("partner_id", "=", self.customer.id), ("channel", "=", "whatsapp")])
        self.assertEqual(consent.state, "pending", "the booking's button confirms no consent")
