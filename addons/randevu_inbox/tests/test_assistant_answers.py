# ruff: noqa: RUF001 (Turkish dotless i)
from datetime import datetime

from odoo.tests import tagged

from .common import (
    AssistantWhatsAppCase,
    start_fake_sms_gateway,
    use_sms_gateway,
)

MONDAY_NOON_ISTANBUL = datetime(2026, 12, 7, 9, 0)


@tagged("post_install", "-at_install")
class TestAssistantAnswers(AssistantWhatsAppCase):
    """The assistant answers read-only questions on the conversation, through the inbox's
    background jobs (the webhook's row → the inbox worker → the assistant's cron), against the
    local fake of the Graph API; everything else is left to a person."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.istanbul.write({"street": "Teşvikiye Cad. 12", "city": "İstanbul", "randevu_assistant_answers": True})

    def test_opening_hours_in_the_customers_language(self):
        event = self.receive("Kaçta açılıyorsunuz?")
        self.assertEqual(event.assistant_state, "answered")
        [reply] = self.replies()
        self.assertIn("Pazartesi: 09:00-19:00", reply)
        self.assertIn("Cumartesi: 09:00-19:00", reply)
        self.assertNotIn("Pazar:", reply)
        conversation = event.conversation_id
        self.assertFalse(conversation.waiting)
        self.assertIn("(hours)", conversation.message_ids[0].body)

    def test_french_hours_and_address(self):
        self.receive("Quels sont vos horaires ?", sender="33612345678")
        [reply] = self.replies()
        self.assertIn("lundi: 09:00-19:00", reply)
        self.fake.requests.clear()
        self.receive("Quelle est votre adresse ?", sender="33612345678")
        [reply] = self.replies()
        self.assertIn("Teşvikiye Cad. 12", reply)

    def test_price_of_a_service_with_a_typo(self):
        self.receive("manükür ne kadar?")
        [reply] = self.replies()
        self.assertIn("Manikür: ", reply)
        self.assertIn("500", reply)

    def test_free_times_of_a_part_of_the_day(self):
        """Tuesday afternoon (the branch is open 09:00-19:00, an hour-long manicure): from 12:00 to 18:00."""
        conversation = self.receive("merhaba").conversation_id
        self.fake.requests.clear()
        answered = self.env["randevu.assistant"]._randevu_answer(
            conversation, "yarın öğleden sonra manikür için müsait mi", now=MONDAY_NOON_ISTANBUL
        )
        self.assertTrue(answered)
        [reply] = self.replies()
        self.assertIn("Manikür", reply)
        self.assertIn("12:00", reply)
        self.assertNotIn("09:00", reply)
        self.assertNotIn("18:15", reply)

    def test_other_messages_wait_for_a_person(self):
        for text in ("yarın 14:00 randevu istiyorum", "iptal", "Bir yetkiliyle görüşmek istiyorum"):
            with self.subTest(text=text):
                event = self.receive(text)
                self.assertEqual(event.assistant_state, "person")
                self.assertTrue(event.conversation_id.waiting)
        self.assertFalse(self.fake.sent())

    def test_branch_without_the_assistant_is_left_alone(self):
        self.istanbul.randevu_assistant_answers = False
        event = self.receive("Kaçta açılıyorsunuz?")
        self.assertEqual(event.state, "done")
        self.assertFalse(event.assistant_state)
        self.assertFalse(self.fake.sent())

    def test_sms_question_answered_by_text(self):
        sms_fake = start_fake_sms_gateway(self.__class__)
        use_sms_gateway(self.istanbul, sms_fake.url)
        event = self.Event._randevu_store_sms(self.istanbul, "sms-q-1", "+905329876543", "adresiniz nerede?")
        self.Event._cron_process()
        self.Event._cron_assistant()
        self.assertEqual(event.assistant_state, "answered")
        self.assertEqual(event.conversation_id.channel, "sms")
        [payload] = sms_fake.sent()
        self.assertEqual(payload["to"], "+905329876543")
        self.assertIn("Teşvikiye Cad. 12", payload["message"])
        self.assertFalse(self.fake.sent())
