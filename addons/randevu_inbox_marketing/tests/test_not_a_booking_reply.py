from datetime import datetime, timedelta

from odoo.tests import tagged

from odoo.addons.randevu_inbox.tests.common import (
    CUSTOMER,
    AssistantWhatsAppCase,
    interactive_reply,
    sent_texts,
    text_message,
)


@tagged("post_install", "-at_install")
class TestNotABookingReply(AssistantWhatsAppCase):
    """At a branch where the assistant books and cancels, a customer's "evet" that confirms
    a pending marketing consent is a consent reply only: the cancellation the assistant was
    asking about is not confirmed by it. With no consent waiting, "evet" is the assistant's
    as before; a tap on the assistant's own "Evet" button never touches a consent."""

    gateway_tag = "consent"
    gateway_phone = "555000333"
    acts = True
    terms = ("randevu_inbox", "randevu_marketing", "randevu_inbox_marketing")

    def setUp(self):
        super().setUp()
        # Ayşe's haircut on Thursday 7 January, 10:00 in Istanbul: outside the 24-hour cutoff
        # (the record in place of the base class's helper that makes it).
        self.appointment = self.appointment(datetime(2027, 1, 7, 10) - timedelta(hours=3))

    def receive(self, message):
        event = super().receive(message)
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
