# ruff: noqa: RUF001 (Turkish dotless i)
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.randevu_inbox.tests.common import sent_texts, text_message

from .common import ConsentInboxMixin


@tagged("post_install", "-at_install")
class TestConsentReplies(ConsentInboxMixin, HttpCase):
    """Consent replies as they really come: posted to the WhatsApp webhook (signed, as Meta
    does) or to the SMS gateway's webhook, filed by the inbox worker, which hands the text
    to randevu.consent._randevu_handle_reply; the change is noted in the chat and the
    customer gets a short acknowledgement in their language, sent through the local fakes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_consent_fixtures("replies")
        cls.Consent = cls.env["randevu.consent"]
        cls.Event = cls.env["randevu.inbox.event"]

    def setUp(self):
        super().setUp()
        self.fake.requests.clear()
        self.fake.errors.clear()
        self.sms_fake.requests.clear()

    def test_whatsapp_stop_withdraws_with_its_proof_and_keeps_the_history(self):
        self.Consent._randevu_record(self.customer, "whatsapp", "granted", "till", "Kampanyalar için WhatsApp: evet")
        consent = self.consent("whatsapp")
        [given] = consent.event_ids
        kept = given.read(["state", "date", "source", "text", "address", "user_id"])[0]
        event = self.post_whatsapp(text_message("905327471829", "STOP"))
        self.Event._cron_process()
        self.assertEqual(event.state, "done", event.error)
        self.assertEqual(consent.state, "withdrawn")
        self.assertFalse(consent.applies)
        withdrawal = consent.event_ids - given
        self.assertRecordValues(
            withdrawal,
            [
                {
                    "state": "withdrawn",
                    "channel": "whatsapp",
                    "source": "message_reply",
                    "text": "STOP",
                    "address": self.number,
                    "partner_id": self.customer.id,
                }
            ],
        )
        # The history is kept as it was: the grant is still there, unchanged.
        given.invalidate_recordset()
        self.assertEqual(given.read(["state", "date", "source", "text", "address", "user_id"])[0], kept)
        conversation = event.conversation_id
        self.assertIn("withdrawn", self.chat_notes(conversation))
        [answer] = sent_texts(self.fake)
        self.assertIn("artık", answer, "acknowledged in Turkish, the customer's language")
        self.assertIn(self.branch.name, answer)
        self.assertFalse(event.assistant_state)
        # STOP again: nothing left to withdraw, no new event; the message is the inbox's as any other.
        self.fake.requests.clear()
        self.post_whatsapp(text_message("905327471829", "stop"))
        self.Event._cron_process()
        self.assertEqual(len(consent.event_ids), 2)
        self.assertFalse(sent_texts(self.fake))
        # WhatsApp's STOP leaves the SMS consent alone.
        self.assertFalse(self.consent("sms"))

    def test_sms_evet_confirms_the_pending_consent(self):
        # Ticked on the booking form: waiting for the customer's confirmation by text.
        self.Consent._randevu_record(self.customer, "sms", "granted", "booking_form", "SMS ile kampanyalar")
        consent = self.consent("sms")
        self.assertEqual(consent.state, "pending")
        event = self.post_sms("in-evet-1", "Evet.")
        self.Event._cron_process()
        self.assertEqual(event.state, "done", event.error)
        self.assertEqual(consent.state, "granted")
        self.assertTrue(consent.applies)
        self.assertEqual(consent.event_ids.sorted("id").mapped("state"), ["pending", "granted"])
        self.assertEqual(consent.event_ids.sorted("id")[-1].source, "message_reply")
        conversation = event.conversation_id
        self.assertEqual(conversation.channel, "sms")
        self.assertIn("confirmed", self.chat_notes(conversation))
        [answer] = self.sms_texts()
        self.assertIn("Teşekkürler", answer)
        self.assertFalse(conversation.waiting, "answered: nothing left for a person")

    def test_french_oui_is_acknowledged_in_french(self):
        partner = self.env["res.partner"].create({"name": "Chloé Martin", "phone": "+33 6 12 34 56 78"})
        self.Consent._randevu_record(partner, "whatsapp", "granted", "portal", "Offres par WhatsApp")
        event = self.post_whatsapp(text_message("33612345678", "Oui"), name="Chloé Martin")
        self.Event._cron_process()
        self.assertEqual(event.conversation_id.partner_id, partner)
        self.assertEqual(self.Consent.search([("partner_id", "=", partner.id)]).state, "granted")
        [answer] = sent_texts(self.fake)
        self.assertIn("Merci", answer)

    def test_other_messages_change_no_consent(self):
        self.Consent._randevu_record(self.customer, "whatsapp", "granted", "portal", "Kampanyalar")
        consent = self.consent("whatsapp")
        for text in ("evet ama yarın", "Merhaba", "DUR!"):
            self.post_whatsapp(text_message("905327471829", text))
        self.Event._cron_process()
        # "DUR!" is a stop word: it withdraws the pending consent; the two others do nothing.
        self.assertEqual(consent.event_ids.sorted("id").mapped("state"), ["pending", "withdrawn"])
        self.assertEqual(len(sent_texts(self.fake)), 1)

    def test_acknowledgement_refused_keeps_the_withdrawal(self):
        self.Consent._randevu_record(self.customer, "whatsapp", "granted", "till", "Kampanyalar için WhatsApp")
        self.fake.errors.append({"message": "Re-engagement message", "code": 131047})
        with mute_logger("odoo.addons.randevu_inbox.tools.whatsapp_api"):
            event = self.post_whatsapp(text_message("905327471829", "DUR"))
            self.Event._cron_process()
        self.assertEqual(event.state, "done", event.error)
        self.assertEqual(self.consent("whatsapp").state, "withdrawn")
        notes = self.chat_notes(event.conversation_id)
        self.assertIn("withdrawn", notes)
        self.assertIn("could not be sent", notes)
        self.assertIn("Re-engagement message", notes)
