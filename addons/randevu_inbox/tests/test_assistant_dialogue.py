# ruff: noqa: RUF001 (Turkish dotless i)
import re
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.randevu_calendar.tests.committed import CommittedCase

from ..tools.whatsapp_api import WhatsAppCloudApi
from .common import (
    CUSTOMER,
    NOW,
    AssistantWhatsAppCase,
    InboxMixin,
    interactive_reply,
    start_fake_sms_gateway,
    text_message,
    use_sms_gateway,
)

STRANGER = "905559998877"


def istanbul(day, hour, minute=0):
    """The naive UTC moment of `hour`:`minute` in Istanbul on January `day`, 2027."""
    return datetime(2027, 1, day, hour, minute) - timedelta(hours=3)


@tagged("post_install", "-at_install")
class TestAssistantDialogue(AssistantWhatsAppCase):
    """The assistant's dialogue that acts, end to end through the inbox's background jobs
    (the webhook's row → the inbox worker → the assistant's cron) against the local fake of
    the Graph API: booking in three messages through the core's booking service, a time
    taken meanwhile, cancelling within the branch's policy, another number refused, and
    handing over to a person and back."""

    gateway_tag = "dialogue"
    gateway_phone = "555000222"
    acts = True
    terms = ("randevu_inbox",)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.receptionist = cls.env["res.users"].create(
            {
                "name": "Receptionist Nişantaşı",
                "login": "dialogue-receptionist",
                "company_id": cls.istanbul.id,
                "company_ids": [Command.set(cls.istanbul.ids)],
                "groups_id": [Command.set(cls.env.ref("randevu_calendar.group_randevu_user").ids)],
            }
        )

    # ------------------------------------------------------------------ booking
    def test_book_in_three_messages(self):
        event = self.receive("Yarın saç kesimi istiyorum")
        conversation = event.conversation_id
        self.assertEqual(conversation.partner_id, self.customer)
        self.assertEqual(event.assistant_state, "answered")
        [offer] = self.replies()
        # Tuesday's free times on the whole hour, from the engine, numbered.
        self.assertTrue(offer.startswith("Salı 5 Ocak günü Kadın saç kesimi için boş saatler:"), offer)
        self.assertIn("1. Salı 5 Ocak, 09:00", offer)
        self.assertIn("2. Salı 5 Ocak, 10:00", offer)
        self.assertEqual(conversation.assistant_intent, "book")
        self.assertEqual(conversation.assistant_step, "slot")
        self.assertEqual(conversation.assistant_lang, "tr")

        self.receive("2")
        [question] = self.replies()
        self.assertIn("10:00", question)
        self.assertIn('"evet"', question)
        self.assertEqual(conversation.assistant_step, "confirm")
        self.assertFalse(self.customer_appointments(), "nothing is booked before the customer's yes")

        self.receive("evet")
        appointment = self.customer_appointments()
        self.assertEqual(len(appointment), 1)
        self.assertEqual(appointment.service_id, self.haircut)
        self.assertEqual(appointment.start, istanbul(5, 10))
        self.assertEqual(appointment.partner_id, self.customer)
        self.assertEqual(appointment.source, "whatsapp")
        staff = appointment.employee_id.name.split()[0]
        self.assertEqual(
            [body for body in self.fake.sent() if body["type"] == "text"],
            [
                {
                    "messaging_product": "whatsapp",
                    "recipient_type": "individual",
                    "to": CUSTOMER,
                    "type": "text",
                    "text": {
                        "preview_url": False,
                        "body": f"Randevunuz alındı: Kadın saç kesimi, Salı 5 Ocak, 10:00, {staff} ile. "
                        "Görüşmek üzere!",
                    },
                }
            ],
        )
        self.assertFalse(conversation.assistant_intent, "nothing pending any more")
        self.assertIn("assistant", " ".join(appointment.message_ids.mapped("body")))
        self.assertIn("The assistant booked", " ".join(conversation.message_ids.mapped("body")))

    def test_one_question_at_a_time(self):
        conversation = self.receive("Randevu almak istiyorum").conversation_id
        [question] = self.replies()
        self.assertEqual(conversation.assistant_step, "service")
        self.assertIn("Kadın saç kesimi", question)
        self.receive("saç kesimi")
        [question] = self.replies()
        self.assertEqual(conversation.assistant_step, "day")
        self.assertIn("hangi gün", question)
        self.receive("yarın öğleden sonra")
        [offer] = self.replies()
        self.assertEqual(conversation.assistant_step, "slot")
        self.assertIn("1. Salı 5 Ocak, 12:00", offer)
        self.assertNotIn("09:00", offer)
        self.receive("14:00")
        self.assertEqual(conversation.assistant_step, "confirm")
        self.assertEqual(conversation.assistant_slot_start, istanbul(5, 14))
        self.receive("hayır")
        self.assertFalse(conversation.assistant_intent)
        self.assertFalse(self.customer_appointments())

    def test_time_taken_meanwhile_offers_the_nearest(self):
        conversation = self.receive("Yarın 14:00 Merve Hanım'dan saç kesimi istiyorum").conversation_id
        self.assertEqual(conversation.assistant_step, "confirm")
        self.assertEqual(conversation.assistant_employee_id, self.merve)
        # Someone else books Merve at 14:00 before the customer says yes.
        other = self.env["res.partner"].create({"name": "Other customer"})
        self.appointment(istanbul(5, 14), partner=other)
        self.receive("evet")
        self.assertFalse(self.customer_appointments())
        [offer] = self.replies()
        self.assertIn("az önce alındı", offer)
        self.assertEqual(conversation.assistant_step, "slot")
        proposals = [fields.Datetime.to_datetime(start) for start in conversation.assistant_proposals.split(",")]
        self.assertTrue(proposals)
        self.assertNotIn(istanbul(5, 14), proposals)
        self.assertTrue(all(abs(start - istanbul(5, 14)) <= timedelta(hours=3) for start in proposals), proposals)
        self.receive("1")
        self.receive("evet")
        appointment = self.customer_appointments()
        self.assertEqual(appointment.start, proposals[0])
        self.assertEqual(appointment.employee_id, self.merve)

    def test_french_customer(self):
        conversation = self.receive("Je voudrais une coupe demain", sender="33612345678").conversation_id
        [offer] = self.replies()
        self.assertEqual(conversation.assistant_lang, "fr")
        self.assertIn("Créneaux libres", offer)
        self.receive("1", sender="33612345678")
        [question] = self.replies()
        self.assertIn('"oui"', question)

    # ------------------------------------------------------------------ cancelling
    def test_cancel_outside_the_cutoff(self):
        appointment = self.appointment(istanbul(7, 10))
        state = appointment.state
        conversation = self.receive("iptal").conversation_id
        [question] = self.replies()
        self.assertIn("Perşembe 7 Ocak, 10:00", question)
        self.assertEqual(conversation.assistant_appointment_id, appointment)
        self.assertEqual(appointment.state, state)
        self.receive("evet")
        self.assertEqual(appointment.state, "cancelled")
        [done] = self.replies()
        self.assertIn("iptal edildi", done)
        self.assertIn("assistant", " ".join(appointment.message_ids.mapped("body")))

    def test_cancel_within_the_cutoff_is_refused(self):
        appointment = self.appointment(istanbul(5, 10))  # tomorrow: within the 24-hour cutoff
        state = appointment.state
        conversation = self.receive("randevumu iptal etmek istiyorum").conversation_id
        [refusal] = self.replies()
        self.assertIn("+90 212 555 00 00", refusal)
        self.assertIn("yetkili", refusal)
        self.assertEqual(appointment.state, state)
        self.assertFalse(conversation.assistant_intent)
        self.receive("evet")
        self.assertEqual(appointment.state, state)

    def test_another_number_cannot_cancel(self):
        appointment = self.appointment(istanbul(7, 10))
        state = appointment.state
        conversation = self.receive("iptal", sender=STRANGER).conversation_id
        self.assertNotEqual(conversation.partner_id, self.customer)
        self.receive("evet", sender=STRANGER)
        self.assertEqual(appointment.state, state)
        self.assertTrue(conversation.assistant_handover)
        self.assertEqual(conversation.assistant_handover_reason, "unverified")

    # ------------------------------------------------------------------ moving
    def test_reschedule_outside_the_cutoff(self):
        appointment = self.appointment(istanbul(7, 10))  # Thursday: outside the 24-hour cutoff
        state = appointment.state
        conversation = self.receive("Perşembe randevumu cumaya alabilir miyiz?").conversation_id
        [offer] = self.replies()
        # Friday's free times from the engine, numbered; the appointment itself is unchanged.
        self.assertTrue(offer.startswith("Cuma 8 Ocak günü Kadın saç kesimi için boş saatler:"), offer)
        self.assertIn("1. Cuma 8 Ocak, 09:00", offer)
        self.assertIn("2. Cuma 8 Ocak, 10:00", offer)
        self.assertEqual(conversation.assistant_intent, "reschedule")
        self.assertEqual(conversation.assistant_appointment_id, appointment)
        self.receive("2")
        [question] = self.replies()
        self.assertIn("Perşembe 7 Ocak, 10:00", question)
        self.assertIn("Cuma 8 Ocak, 10:00", question)
        self.assertIn('"evet"', question)
        self.assertEqual(appointment.start, istanbul(7, 10), "nothing moved before the customer's yes")
        self.receive("evet")
        self.assertEqual(appointment.start, istanbul(8, 10))
        self.assertEqual(appointment.employee_id, self.merve, "the same staff member when free")
        self.assertEqual(appointment.state, state)
        self.assertEqual(
            self.replies(), ["Randevunuz taşındı: Kadın saç kesimi, Cuma 8 Ocak, 10:00, Merve ile. Görüşmek üzere!"]
        )
        self.assertFalse(conversation.assistant_intent)
        self.assertIn("Moved by the assistant", " ".join(appointment.message_ids.mapped("body")))
        self.assertIn("The assistant moved", " ".join(conversation.message_ids.mapped("body")))

    def test_reschedule_to_a_time_the_same_day(self):
        appointment = self.appointment(istanbul(7, 10))
        conversation = self.receive("Can I move my appointment to 5pm?").conversation_id
        [question] = self.replies()
        self.assertEqual(conversation.assistant_lang, "en")
        self.assertEqual(
            question,
            "Shall I move your Women's haircut from Thursday 7 January, 10:00 AM to Thursday 7 January, 5:00 PM? "
            'Reply "yes" to confirm.',
        )
        self.receive("yes")
        self.assertEqual(appointment.start, istanbul(7, 17))
        self.assertEqual(
            self.replies(),
            ["Moved: your Women's haircut is now on Thursday 7 January, 5:00 PM with Merve. See you soon!"],
        )

    def test_reschedule_overlapping_its_own_time(self):
        appointment = self.appointment(istanbul(7, 10))
        # Ali is busy then: 10:30 is free only with Merve, once her own appointment is left out.
        other = self.env["res.partner"].create({"name": "Other customer"})
        self.appointment(istanbul(7, 10), partner=other, staff=self.staff["ali"])
        conversation = self.receive("Can I move my appointment to 10:30?").conversation_id
        self.assertEqual(conversation.assistant_step, "confirm", self.replies())
        self.receive("yes")
        self.assertEqual(appointment.start, istanbul(7, 10, 30))
        self.assertEqual(appointment.employee_id, self.merve)

    def test_reschedule_in_french_asks_the_day(self):
        appointment = self.appointment(istanbul(7, 10))
        conversation = self.receive("Je voudrais décaler mon rendez-vous").conversation_id
        [question] = self.replies()
        self.assertEqual(conversation.assistant_step, "day")
        self.assertIn("Coupe femme", question)
        self.receive("vendredi")
        [offer] = self.replies()
        self.assertIn("1. vendredi 8 janvier, 09:00", offer.lower())
        self.receive("non")
        [kept] = self.replies()
        self.assertIn("maintenu", kept)
        self.assertEqual(appointment.start, istanbul(7, 10))
        self.assertFalse(conversation.assistant_intent)

    def test_reschedule_within_the_cutoff_is_refused(self):
        appointment = self.appointment(istanbul(5, 10))  # tomorrow: within the 24-hour cutoff
        conversation = self.receive("Yarınki randevumu perşembeye alabilir miyiz?").conversation_id
        [refusal] = self.replies()
        self.assertIn("+90 212 555 00 00", refusal)
        self.assertIn("yetkili", refusal)
        self.assertFalse(conversation.assistant_intent)
        self.receive("evet")
        self.assertEqual(appointment.start, istanbul(5, 10))
        self.assertIn("refused", " ".join(appointment.message_ids.mapped("body")))

    def test_reschedule_time_taken_offers_the_nearest(self):
        appointment = self.appointment(istanbul(7, 10))
        conversation = self.receive("Can I move my appointment to Friday at 14:00?").conversation_id
        self.assertEqual(conversation.assistant_step, "confirm")
        self.assertEqual(conversation.assistant_slot_start, istanbul(8, 14))
        # Friday 14:00 is taken with both staff members before the customer says yes.
        other = self.env["res.partner"].create({"name": "Other customer"})
        self.appointment(istanbul(8, 14), partner=other)
        self.appointment(istanbul(8, 14), partner=other, staff=self.staff["ali"])
        self.receive("yes")
        self.assertEqual(appointment.start, istanbul(7, 10), "unchanged")
        [offer] = self.replies()
        self.assertIn("just taken", offer)
        self.assertEqual(conversation.assistant_step, "slot")
        proposals = [fields.Datetime.to_datetime(start) for start in conversation.assistant_proposals.split(",")]
        self.assertTrue(proposals)
        self.assertNotIn(istanbul(8, 14), proposals)
        self.receive("1")
        self.receive("yes")
        self.assertEqual(appointment.start, proposals[0])
        [done] = self.replies()
        self.assertTrue(done.startswith("Moved: "), done)

    def test_another_number_cannot_reschedule(self):
        appointment = self.appointment(istanbul(7, 10))
        conversation = self.receive("Can I move my appointment to 5pm?", sender=STRANGER).conversation_id
        [question] = self.replies()
        self.assertIn("another phone number", question)
        self.assertEqual(conversation.assistant_step, "identify")
        self.receive("I don't know", sender=STRANGER)
        self.assertTrue(conversation.assistant_handover)
        self.assertEqual(conversation.assistant_handover_reason, "unverified")
        self.assertEqual(appointment.start, istanbul(7, 10))

    # ------------------------------------------------------------------ one-time code
    def start_sms(self):
        sms_fake = start_fake_sms_gateway(self.__class__)
        use_sms_gateway(self.istanbul, sms_fake.url)
        return sms_fake

    def sent_code(self, sms_fake):
        """The code of the one text the fake SMS gateway received, to the customer's phone."""
        [(_method, _path, _headers, raw)] = sms_fake.requests
        body = raw.decode()
        self.assertIn("905321234567", body)
        return re.search(r"\b(\d{6})\b", body).group(1)

    def test_code_lets_another_number_cancel(self):
        sms_fake = self.start_sms()
        appointment = self.appointment(istanbul(7, 10))
        state = appointment.state
        conversation = self.receive("iptal", sender=STRANGER).conversation_id
        [question] = self.replies()
        self.assertIn("numara", question)
        self.assertEqual(conversation.assistant_step, "identify")
        self.assertFalse(sms_fake.requests)
        self.receive("+90 532 123 45 67", sender=STRANGER)
        code = self.sent_code(sms_fake)
        [asked] = self.replies()
        self.assertIn("kod", asked)
        self.assertEqual(conversation.assistant_step, "code")
        self.assertEqual(conversation.assistant_code_partner_id, self.customer)
        stored = conversation.assistant_code_hash
        self.assertTrue(stored)
        self.assertNotIn(code, stored, "stored hashed")
        self.assertEqual(appointment.state, state)
        self.receive(code, sender=STRANGER)
        self.assertEqual(conversation.assistant_verified_partner_id, self.customer)
        self.assertFalse(conversation.assistant_code_hash, "used once")
        [question] = self.replies()
        self.assertIn("Perşembe 7 Ocak, 10:00", question)
        self.receive("evet", sender=STRANGER)
        self.assertEqual(appointment.state, "cancelled")
        self.assertIn("one-time code was right", " ".join(conversation.message_ids.mapped("body")))

    def test_wrong_codes_hand_over(self):
        sms_fake = self.start_sms()
        appointment = self.appointment(istanbul(7, 10))
        conversation = self.receive(
            "Randevumu iptal etmek istiyorum, numaram +90 532 123 45 67", sender=STRANGER
        ).conversation_id
        code = self.sent_code(sms_fake)
        wrong = f"{(int(code) + 1) % 10**6:06d}"
        self.receive(wrong, sender=STRANGER)
        self.receive(wrong, sender=STRANGER)
        self.assertFalse(conversation.assistant_handover)
        self.receive(wrong, sender=STRANGER)
        self.assertTrue(conversation.assistant_handover)
        self.assertEqual(conversation.assistant_handover_reason, "wrong_code")
        # The right code after three wrong ones is worth nothing.
        self.receive(code, sender=STRANGER)
        self.assertFalse(conversation.assistant_verified_partner_id)
        self.assertNotEqual(appointment.state, "cancelled")

    def test_one_code_at_a_time(self):
        sms_fake = self.start_sms()
        self.appointment(istanbul(7, 10))
        conversation = self.receive(
            "Randevumu iptal etmek istiyorum, numaram +90 532 123 45 67", sender=STRANGER
        ).conversation_id
        self.sent_code(sms_fake)
        self.receive("hayır", sender=STRANGER)
        self.assertFalse(conversation.assistant_handover)
        self.assertFalse(conversation.assistant_intent, "dropped")
        sms_fake.requests.clear()
        self.receive("Randevumu iptal etmek istiyorum, numaram +90 532 123 45 67", sender=STRANGER)
        self.assertFalse(sms_fake.requests, "no second code within 10 minutes")
        self.assertTrue(conversation.assistant_handover)
        self.assertEqual(conversation.assistant_handover_reason, "unverified")

    def test_expired_code_is_refused(self):
        sms_fake = self.start_sms()
        appointment = self.appointment(istanbul(7, 10))
        conversation = self.receive("Can I move my appointment? +90 532 123 45 67", sender=STRANGER).conversation_id
        code = self.sent_code(sms_fake)
        with freeze_time(NOW + timedelta(minutes=11)):
            self.receive(code, sender=STRANGER)
        [expired] = self.replies()[:1]
        self.assertIn("expired", expired)
        self.assertFalse(conversation.assistant_verified_partner_id)
        self.assertTrue(conversation.assistant_handover)
        self.assertEqual(appointment.start, istanbul(7, 10))

    def test_code_in_time_lets_another_number_move(self):
        sms_fake = self.start_sms()
        appointment = self.appointment(istanbul(7, 10))
        self.receive("Can I move my appointment? +90 532 123 45 67", sender=STRANGER)
        code = self.sent_code(sms_fake)
        with freeze_time(NOW + timedelta(minutes=9)):
            conversation = self.receive(code[:3] + " " + code[3:], sender=STRANGER).conversation_id
        self.assertEqual(conversation.assistant_intent, "reschedule")
        self.assertEqual(conversation.assistant_step, "day")
        self.assertEqual(conversation.assistant_appointment_id, appointment)

    # ------------------------------------------------------------------ deposits
    def test_deposit_service_sends_a_payment_link(self):
        self.env["payment.provider"].create(
            {
                "name": "Test provider",
                "code": "none",
                "state": "test",
                "is_published": True,
                "company_id": self.istanbul.id,
            }
        )
        manicure = self.services["manicure"]
        manicure.write({"randevu_deposit_type": "fixed", "randevu_deposit_value": 100})
        self.receive("Yarın 14:00 manikür istiyorum")
        self.receive("evet")
        appointment = self.env["randevu.appointment"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(appointment.service_id, manicure)
        self.assertEqual(appointment.randevu_deposit_amount, 100)
        self.assertTrue(appointment.randevu_hold_until, "held until the deposit is paid")
        [confirmation] = self.replies()
        self.assertIn("Randevunuz alındı: Manikür", confirmation)
        link = re.search(r"https?://\S+", confirmation).group(0)
        parts = urlsplit(link)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        self.assertEqual(parts.path, "/payment/pay")
        self.assertEqual(float(query["amount"]), 100.0)
        self.assertEqual(int(query["randevu_appointment_id"]), appointment.id)
        self.assertEqual(int(query["partner_id"]), self.customer.id)
        self.assertEqual(
            query["access_token"],
            appointment._randevu_payment_access_token(self.customer.id, 100.0, appointment.currency_id.id),
        )
        self.assertIn(f"{appointment.company_id.randevu_hold_minutes}", confirmation)

    def test_no_deposit_no_link(self):
        self.receive("Yarın 14:00 manikür istiyorum")
        self.receive("evet")
        [confirmation] = self.replies()
        self.assertNotIn("/payment/pay", confirmation)

    # ------------------------------------------------------------------ handing over
    def test_handover_and_hand_back(self):
        event = self.receive("Bir yetkiliyle görüşmek istiyorum")
        conversation = event.conversation_id
        [reply] = self.replies()
        self.assertIn("Ekibimizden", reply)
        self.assertEqual(event.assistant_state, "person")
        self.assertTrue(conversation.assistant_handover)
        self.assertEqual(conversation.assistant_handover_reason, "request")
        self.assertTrue(conversation.waiting)
        # Silent while handed over, even to a question it could answer.
        event = self.receive("Kaçta açılıyorsunuz?")
        self.assertEqual(event.assistant_state, "person")
        self.assertFalse(self.fake.sent())
        self.assertTrue(conversation.waiting)
        conversation.with_user(self.receptionist).action_hand_back()
        self.assertFalse(conversation.assistant_handover)
        self.assertIn("handed the conversation back", conversation.message_ids[0].body)
        event = self.receive("Kaçta açılıyorsunuz?")
        self.assertEqual(event.assistant_state, "answered")
        [reply] = self.replies()
        self.assertIn("Pazartesi: 09:00-19:00", reply)

    def test_complaint_and_two_misunderstandings_hand_over(self):
        conversation = self.receive("Hizmetinizden hiç memnun kalmadım").conversation_id
        self.assertEqual(conversation.assistant_handover_reason, "complaint")
        other = self.receive("qwerty zxcvb", sender=STRANGER).conversation_id
        [sorry] = self.replies()
        self.assertIn("anlayamadım", sorry)
        self.assertFalse(other.assistant_handover)
        self.receive("asdfgh jklö", sender=STRANGER)
        self.assertTrue(other.assistant_handover)
        self.assertEqual(other.assistant_handover_reason, "misunderstood")

    # ------------------------------------------------------------------ interactive messages
    def receive_reply(self, kind, ident, title, description=None):
        """A tap on a reply button or a list row, through the same background jobs."""
        self.fake.requests.clear()
        event = self.Event._randevu_store(self.gateway, interactive_reply(CUSTOMER, kind, ident, title, description))
        self.Event._cron_process()
        self.Event._cron_assistant()
        self.assertNotEqual(event.assistant_state, "error", event.error)
        return event

    def test_whatsapp_list_row_and_yes_button_book(self):
        conversation = self.receive("Yarın saç kesimi istiyorum").conversation_id
        [offer] = self.fake.sent()
        proposals = conversation.assistant_proposals.split(",")
        self.assertEqual(offer["type"], "interactive")
        self.assertEqual(offer["to"], CUSTOMER)
        self.assertEqual(offer["interactive"]["type"], "list")
        # The numbered text is the body; each row's id names the time it offers.
        self.assertTrue(offer["interactive"]["body"]["text"].startswith("Salı 5 Ocak günü Kadın saç kesimi"))
        self.assertIn("2. Salı 5 Ocak, 10:00", offer["interactive"]["body"]["text"])
        self.assertEqual(offer["interactive"]["action"]["button"], "Seçin")
        [section] = offer["interactive"]["action"]["sections"]
        self.assertEqual(
            section["rows"][:2],
            [
                {
                    "id": f"randevu:choice:{proposals[0]}",
                    "title": "09:00 · Sal 5 Oca",
                    "description": "Salı 5 Ocak, 09:00",
                },
                {
                    "id": f"randevu:choice:{proposals[1]}",
                    "title": "10:00 · Sal 5 Oca",
                    "description": "Salı 5 Ocak, 10:00",
                },
            ],
        )
        self.assertEqual(len(section["rows"]), len(proposals))

        # The customer taps the second row: its id, not its title, is the choice.
        event = self.receive_reply(
            "list_reply", f"randevu:choice:{proposals[1]}", "10:00 · Sal 5 Oca", "Salı 5 Ocak, 10:00"
        )
        self.assertEqual(event.assistant_state, "answered")
        self.assertEqual(conversation.assistant_step, "confirm")
        self.assertEqual(conversation.assistant_slot_start, istanbul(5, 10))
        [question] = self.fake.sent()
        self.assertEqual(
            question,
            {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": CUSTOMER,
                "type": "interactive",
                "interactive": {
                    "type": "button",
                    "body": {"text": question["interactive"]["body"]["text"]},
                    "action": {
                        "buttons": [
                            {"type": "reply", "reply": {"id": "randevu:yes", "title": "Evet"}},
                            {"type": "reply", "reply": {"id": "randevu:no", "title": "Hayır"}},
                        ]
                    },
                },
            },
        )
        self.assertIn("10:00", question["interactive"]["body"]["text"])
        self.assertFalse(self.customer_appointments())
        # The chat shows what the customer tapped.
        self.assertIn("10:00 · Sal 5 Oca", " ".join(conversation.message_ids.mapped("body")))

        self.receive_reply("button_reply", "randevu:yes", "Evet")
        appointment = self.customer_appointments()
        self.assertEqual(len(appointment), 1)
        self.assertEqual(appointment.start, istanbul(5, 10))
        self.assertFalse(conversation.assistant_intent)

    def test_whatsapp_no_button_books_nothing(self):
        conversation = self.receive("Yarın saç kesimi istiyorum").conversation_id
        self.receive("2")
        self.assertEqual(conversation.assistant_step, "confirm")
        self.receive_reply("button_reply", "randevu:no", "Hayır")
        self.assertFalse(self.customer_appointments())
        self.assertFalse(conversation.assistant_intent)

    def test_whatsapp_row_of_an_older_list_is_not_its_number(self):
        """A row of a list no longer offered is read by its title, never as the number it had."""
        conversation = self.receive("Yarın saç kesimi istiyorum").conversation_id
        self.receive_reply("list_reply", "randevu:choice:2020-01-01 07:00:00", "17:00 · Sal 5 Oca")
        # Its title ("17:00") is a time of that day: asked to confirm 17:00, not the 1st time.
        self.assertEqual(conversation.assistant_step, "confirm")
        self.assertEqual(conversation.assistant_slot_start, istanbul(5, 17))

    def test_interactive_limits(self):
        """Meta's limits are kept by the adapter whatever it is given."""
        api = WhatsAppCloudApi(self.gateway)
        api.send_buttons(CUSTOMER, "Choose", [(f"{'x' * 300}{n}", f"A very long button title {n}") for n in range(5)])
        api.send_list(
            CUSTOMER,
            "b" * 2000,
            "A very long list button text",
            [(f"row{n}", f"A very long row title number {n}", "d" * 100) for n in range(12)],
            section="A very long section title here",
        )
        buttons, listed = self.fake.sent()
        self.assertEqual(len(buttons["interactive"]["action"]["buttons"]), 3)
        for button in buttons["interactive"]["action"]["buttons"]:
            self.assertLessEqual(len(button["reply"]["title"]), 20)
            self.assertLessEqual(len(button["reply"]["id"]), 256)
        self.assertEqual(buttons["interactive"]["action"]["buttons"][0]["reply"]["title"], "A very long button…")
        action = listed["interactive"]["action"]
        self.assertLessEqual(len(action["button"]), 20)
        self.assertLessEqual(len(listed["interactive"]["body"]["text"]), 1024)
        [section] = action["sections"]
        self.assertLessEqual(len(section["title"]), 24)
        self.assertEqual(len(section["rows"]), 10)
        for row in section["rows"]:
            self.assertLessEqual(len(row["title"]), 24)
            self.assertLessEqual(len(row["description"]), 72)

    def test_sms_keeps_the_numbered_text(self):
        """Choices offered on SMS stay a numbered text (no buttons there)."""
        sms_fake = start_fake_sms_gateway(self.__class__)
        use_sms_gateway(self.istanbul, sms_fake.url)
        conversation = self.env["randevu.conversation"]._randevu_get(
            self.istanbul, "sms", "+" + CUSTOMER, self.env["mail.gateway"], partner=self.customer
        )
        self.env["randevu.assistant"]._randevu_say(
            conversation.with_company(self.istanbul), "1. A\n2. B", choices=[("a", "A", False)]
        )
        self.assertFalse(self.fake.sent())
        self.assertIn("1. A", str(sms_fake.requests[-1]))

    # ------------------------------------------------------------------ reminders' buttons
    def send_reminder(self, appointment):
        """The outbox's WhatsApp reminder of `appointment`, sent now through the fake."""
        self.fake.requests.clear()
        Message = self.env["randevu.message"]
        row = Message._randevu_insert(
            [
                {
                    "appointment": appointment,
                    "kind": "reminder",
                    "channel": "whatsapp",
                    "key": f"test-reminder-{appointment.id}",
                    "rule_id": None,
                    "planned": NOW,
                    "partner_id": None,
                }
            ],
            NOW,
        )
        row._randevu_dispatch(NOW)
        self.assertEqual(row.state, "sent", row.error)
        return row

    def receive_reminder_reply(self, reminder, ident=None, title=None, text=None):
        """The customer's tap on a reminder's button (or a swiped text reply): Meta sends
        the reminder's wamid as the message's context."""
        self.fake.requests.clear()
        if ident:
            message = interactive_reply(CUSTOMER, "button_reply", ident, title)
        else:
            message = text_message(CUSTOMER, text)
        message["context"] = {"from": "902120000000", "id": reminder.whatsapp_message_id}
        event = self.Event._randevu_store(self.gateway, message)
        self.Event._cron_process()
        self.Event._cron_assistant()
        self.assertNotEqual(event.assistant_state, "error", event.error)
        return event

    def reminded(self):
        """Two upcoming appointments (Thursday, then Saturday) of a Turkish customer who wrote
        an hour ago; the reminder is the Saturday one's."""
        self.customer.write({"lang": "tr_TR", "randevu_whatsapp_opt_in": True})
        self.conversation._randevu_receive("Merhaba", NOW - timedelta(hours=1))
        first = self.appointment(istanbul(7, 10))
        second = self.appointment(istanbul(9, 15))
        return first, second, self.send_reminder(second)

    def test_reminder_within_the_window_has_reply_buttons(self):
        _first, second, reminder = self.reminded()
        [payload] = self.fake.sent()
        self.assertEqual(payload["type"], "interactive")
        self.assertEqual(payload["interactive"]["type"], "button")
        self.assertEqual(
            payload["interactive"]["action"]["buttons"],
            [
                {"type": "reply", "reply": {"id": "randevu:reminder:confirm", "title": "Onayla"}},
                {"type": "reply", "reply": {"id": "randevu:reminder:change", "title": "Değiştir"}},
                {"type": "reply", "reply": {"id": "randevu:reminder:cancel", "title": "İptal"}},
            ],
        )
        self.assertTrue(payload["interactive"]["body"]["text"])
        self.assertEqual(reminder.whatsapp_message_id, f"wamid.fake{self.fake._count}")
        # French and English titles, each within Meta's 20 characters.
        for lang, titles in (
            ("fr_FR", ["Confirmer", "Modifier", "Annuler"]),
            ("en_US", ["Confirm", "Reschedule", "Cancel"]),
        ):
            self.customer.lang = lang
            self.assertEqual([title for _ident, title in reminder._randevu_reminder_buttons()], titles)
        self.assertEqual(second.state, "booked")

    def test_change_button_moves_the_reminded_appointment(self):
        first, second, reminder = self.reminded()
        conversation = self.receive_reminder_reply(reminder, "randevu:reminder:change", "Değiştir").conversation_id
        # Saturday's appointment (the reminder's), not Thursday's (the next one).
        self.assertEqual(conversation.assistant_intent, "reschedule")
        self.assertEqual(conversation.assistant_appointment_id, second)
        [question] = self.replies()
        self.assertIn("hangi güne", question)
        self.receive("cuma")
        self.assertEqual(conversation.assistant_appointment_id, second)
        self.receive("1")
        self.assertIn("Cumartesi 9 Ocak", self.replies()[0], "the question names the reminded appointment")
        self.receive("evet")
        self.assertEqual(second.start.date(), istanbul(8, 9).date(), "moved to Friday")
        self.assertEqual(first.start, istanbul(7, 10), "the next appointment is untouched")

    def test_cancel_reply_cancels_the_reminded_appointment(self):
        first, second, reminder = self.reminded()
        conversation = self.receive_reminder_reply(reminder, text="iptal").conversation_id
        self.assertEqual(conversation.assistant_appointment_id, second)
        [question] = self.replies()
        self.assertIn("Cumartesi 9 Ocak, 15:00", question)
        self.receive("evet")
        self.assertEqual(second.state, "cancelled")
        self.assertEqual(first.state, "booked")

    def test_confirm_button_confirms_the_reminded_appointment(self):
        first, second, reminder = self.reminded()
        event = self.receive_reminder_reply(reminder, "randevu:reminder:confirm", "Onayla")
        self.assertEqual(event.assistant_state, "answered")
        self.assertEqual(second.state, "confirmed")
        self.assertEqual(first.state, "booked")
        [thanks] = self.replies()
        self.assertIn("Cumartesi 9 Ocak, 15:00", thanks)
        self.assertIn("replying to its reminder", " ".join(second.message_ids.mapped("body")))

    def test_reply_without_context_is_about_the_next_appointment(self):
        first, _second, _reminder = self.reminded()
        conversation = self.receive("değiştir").conversation_id
        self.assertEqual(conversation.assistant_appointment_id, first)

    def test_reply_to_another_customers_reminder_is_not_theirs(self):
        other = self.env["res.partner"].create({"name": "Zeynep Ak", "phone": "+905551112233"})
        other_appointment = self.appointment(istanbul(9, 11), partner=other)
        self.customer.randevu_whatsapp_opt_in = True
        other.randevu_whatsapp_opt_in = True
        self.env["randevu.conversation"]._randevu_get(
            self.istanbul, "whatsapp", "+905551112233", self.gateway, partner=other
        )._randevu_receive("Merhaba", NOW - timedelta(hours=1))
        reminder = self.send_reminder(other_appointment)
        mine = self.appointment(istanbul(7, 10))
        conversation = self.receive_reminder_reply(reminder, text="iptal").conversation_id
        self.assertEqual(conversation.assistant_appointment_id, mine, "never another customer's appointment")

    # ------------------------------------------------------------------ confidence threshold
    def test_low_confidence_hands_over_with_the_reason(self):
        self.istanbul.randevu_assistant_min_confidence = 0.7
        # A date and time alone: a booking inferred (confidence 0.6), below 0.7.
        event = self.receive("yarın 14:00")
        conversation = event.conversation_id
        self.assertEqual(event.assistant_state, "person")
        self.assertTrue(conversation.assistant_handover)
        self.assertEqual(conversation.assistant_handover_reason, "low_confidence")
        self.assertIn("book", conversation.assistant_handover_detail)
        self.assertIn("0.60", conversation.assistant_handover_detail)
        self.assertIn("0.70", conversation.assistant_handover_detail)
        self.assertIn("0.60", conversation.message_ids[0].body, "the note tells the receptionist why")
        [reply] = self.replies()
        self.assertIn("Ekibimizden", reply)
        self.assertFalse(conversation.assistant_intent)
        conversation.with_user(self.receptionist).action_hand_back()
        self.assertFalse(conversation.assistant_handover_detail)

    def test_threshold_spares_answers_to_the_pending_question(self):
        self.istanbul.randevu_assistant_min_confidence = 0.7
        conversation = self.receive("Yarın saç kesimi istiyorum").conversation_id
        self.assertEqual(conversation.assistant_step, "slot")
        self.receive("14:00")  # 0.6 alone, but the answer to the times offered
        self.assertFalse(conversation.assistant_handover)
        self.assertEqual(conversation.assistant_step, "confirm")

    def test_default_threshold_goes_on(self):
        self.assertEqual(self.istanbul.randevu_assistant_min_confidence, 0.5)
        conversation = self.receive("yarın 14:00").conversation_id
        self.assertFalse(conversation.assistant_handover)
        self.assertEqual(conversation.assistant_intent, "book")
        with self.assertRaises(ValidationError):
            self.istanbul.randevu_assistant_min_confidence = 1.5

    # ------------------------------------------------------------------ the customer's language
    def test_new_customer_gets_the_chat_language(self):
        conversation = self.receive("Yarın saç kesimi istiyorum", sender=STRANGER).conversation_id
        self.assertTrue(conversation.assistant_customer_created)
        self.assertNotEqual(conversation.partner_id, self.customer)
        self.assertEqual(conversation.partner_id.lang, "tr_TR")
        self.receive("1", sender=STRANGER)
        self.receive("evet", sender=STRANGER)
        appointment = self.env["randevu.appointment"].search([("partner_id", "=", conversation.partner_id.id)])
        self.assertEqual(len(appointment), 1)
        # The core's confirmation is rendered in the customer's language: Turkish.
        self.assertEqual(appointment.partner_id.lang, "tr_TR")
        french = "33612345678"
        conversation = self.receive("Bonjour, je voudrais une coupe demain", sender=french).conversation_id
        self.assertEqual(conversation.partner_id.lang, "fr_FR")

    def test_known_customer_keeps_their_language(self):
        self.customer.lang = "fr_FR"
        self.receive("Yarın saç kesimi istiyorum")
        self.assertFalse(self.conversation.assistant_customer_created)
        self.assertEqual(self.conversation.assistant_lang, "tr")
        self.assertEqual(self.customer.lang, "fr_FR", "a known customer's language is theirs")

    def test_conversation_language_seeded_from_the_customer(self):
        customer = self.env["res.partner"].create({"name": "Claire Dubois", "phone": "+905551234000", "lang": "fr_FR"})
        conversation = self.env["randevu.conversation"]._randevu_get(
            self.istanbul, "whatsapp", "+905551234000", self.gateway, partner=customer
        )
        self.assertEqual(conversation.assistant_lang, "fr")
        self.appointment(istanbul(7, 10), partner=customer)
        self.fake.requests.clear()
        event = self.Event._randevu_store(self.gateway, text_message("905551234000", "2"))
        self.Event._cron_process()
        self.Event._cron_assistant()
        self.assertEqual(event.conversation_id, conversation)
        [question] = self.replies()
        self.assertIn("jeudi 7 janvier", question, "a bare reminder reply answered in the customer's French")
        # Odoo's default language is no choice of the customer's: not seeded.
        self.assertFalse(self.conversation.assistant_lang)

    # ------------------------------------------------------------------ the code by email, its expiry
    def email_customer(self):
        customer = self.env["res.partner"].create({"name": "Deniz Ak", "email": "Deniz.Ak@example.com"})
        return customer, self.appointment(istanbul(7, 10), partner=customer)

    def sent_email_code(self, customer):
        [mail] = self.env["mail.mail"].sudo().search([("email_to", "ilike", "deniz.ak@example.com")])
        return re.search(r"\b(\d{6})\b", mail.body_html).group(1)

    def test_code_by_email_when_the_customer_has_no_mobile(self):
        sms_fake = self.start_sms()
        customer, appointment = self.email_customer()
        customer.lang = "tr_TR"
        conversation = self.receive("iptal", sender=STRANGER).conversation_id
        [question] = self.replies()
        self.assertIn("e-posta", question)
        self.receive("deniz.ak@example.com", sender=STRANGER)
        self.assertFalse(sms_fake.requests, "no phone: nothing texted")
        code = self.sent_email_code(customer)
        mail = self.env["mail.mail"].sudo().search([("email_to", "ilike", "deniz.ak@example.com")])
        self.assertIn("kodunuz", mail.body_html, "in the customer's language")
        [asked] = self.replies()
        self.assertIn("e-posta", asked)
        self.assertEqual(conversation.assistant_step, "code")
        self.assertEqual(conversation.assistant_code_partner_id, customer)
        self.assertNotIn(code, conversation.sudo().assistant_code_hash)
        self.assertIn("by email", " ".join(conversation.message_ids.mapped("body")))
        self.receive(code, sender=STRANGER)
        self.assertEqual(conversation.assistant_verified_partner_id, customer)
        self.assertEqual(conversation.assistant_verified_until, NOW + timedelta(hours=24))
        self.receive("evet", sender=STRANGER)
        self.assertEqual(appointment.state, "cancelled")

    def test_verification_expires_after_a_day(self):
        self.start_sms()
        customer, appointment = self.email_customer()
        conversation = self.receive("iptal deniz.ak@example.com", sender=STRANGER).conversation_id
        code = self.sent_email_code(customer)
        self.receive(code, sender=STRANGER)
        self.receive("hayır", sender=STRANGER)
        self.assertEqual(conversation.assistant_verified_partner_id, customer)
        with freeze_time(NOW + timedelta(hours=23)):
            self.receive("iptal", sender=STRANGER)
            self.assertEqual(conversation.assistant_appointment_id, appointment, "still verified")
            self.receive("hayır", sender=STRANGER)
        with freeze_time(NOW + timedelta(hours=25)):
            self.receive("iptal", sender=STRANGER)
            self.assertFalse(conversation.assistant_appointment_id, "expired: asked whose appointment")
            self.assertEqual(conversation.assistant_step, "identify")
        self.assertEqual(appointment.state, "booked")

    def test_receptionist_clears_the_verification(self):
        sms_fake = self.start_sms()
        appointment = self.appointment(istanbul(7, 10))
        conversation = self.receive("iptal +90 532 123 45 67", sender=STRANGER).conversation_id
        self.receive(self.sent_code(sms_fake), sender=STRANGER)
        self.receive("hayır", sender=STRANGER)
        self.assertEqual(conversation.assistant_verified_partner_id, self.customer)
        staff_user = self.env["res.users"].create(
            {
                "name": "Staff Nişantaşı",
                "login": "dialogue-staff",
                "company_id": self.istanbul.id,
                "company_ids": [Command.set(self.istanbul.ids)],
                "groups_id": [Command.set(self.env.ref("randevu_calendar.group_randevu_staff").ids)],
            }
        )
        with self.assertRaises(AccessError):
            conversation.with_user(staff_user).action_clear_verification()
        conversation.with_user(self.receptionist).action_clear_verification()
        self.assertFalse(conversation.assistant_verified_partner_id)
        self.assertFalse(conversation.assistant_verified_until)
        self.assertIn("cleared the verification", conversation.message_ids[0].body)
        self.receive("iptal", sender=STRANGER)
        self.assertEqual(conversation.assistant_step, "identify")
        self.assertEqual(appointment.state, "booked")


@tagged("post_install", "-at_install")
class TestDialogueConcurrency(InboxMixin, CommittedCase):
    """Two workers answering the customer's "yes" twice at once (a double tap): one
    booking, never two."""

    def setUp(self):
        super().setUp()
        self.fake = self.start_fake_graph()
        with self.committed_env() as env:
            branch, _staff, service = self.make_salon(
                env,
                "Dialogue",
                "Europe/Istanbul",
                staff_count=2,
                hours=(9, 19),
                branch_values={"randevu_assistant_acts": True},
                service_values={"randevu_duration": 1.0, "list_price": 300},
            )
            gateway = env["mail.gateway"].create(
                {
                    "name": f"WhatsApp {self.tag}",
                    "gateway_type": "whatsapp",
                    "token": f"token-{self.tag}",
                    "webhook_key": f"key-{self.tag}",
                    "webhook_secret": "secret",
                    "whatsapp_from_phone": f"2{self.tag}",
                    "whatsapp_security_key": "verify-me",
                    "company_id": branch.id,
                    "randevu_graph_url": self.fake.url,
                    "member_ids": [Command.set([])],
                }
            )
            customer = env["res.partner"].create({"name": f"Customer {self.tag}", "phone": "+905321110000"})
            conversation = env["randevu.conversation"]._randevu_get(
                branch, "whatsapp", "+905321110000", gateway, partner=customer
            )
            # Three days ahead at 11:00 in Istanbul: free with both staff members.
            day = branch._randevu_local_today() + timedelta(days=3)
            if day.weekday() == 6:
                day += timedelta(days=1)
            start = branch._randevu_clock().to_utc(datetime.combine(day, datetime.min.time()).replace(hour=11))
            conversation.write(
                {
                    "last_customer_message_at": fields.Datetime.now(),
                    "assistant_lang": "en",
                    "assistant_intent": "book",
                    "assistant_step": "confirm",
                    "assistant_service_id": service.id,
                    "assistant_slot_start": start,
                }
            )
            self.conversation_id, self.customer_id, self.gateway_id = conversation.id, customer.id, gateway.id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.committed_env() as env:
            env["randevu.appointment"].search([("partner_id", "=", self.customer_id)]).unlink()
            env["randevu.conversation"].browse(self.conversation_id).unlink()
            env["mail.gateway"].browse(self.gateway_id).unlink()
            env["res.partner"].browse(self.customer_id).unlink()

    def test_yes_twice_at_once_books_once(self):
        def snapshot(env, index):
            env["randevu.conversation"].browse(self.conversation_id).assistant_step  # noqa: B018 (the snapshot)

        def act(env, index):
            conversation = env["randevu.conversation"].browse(self.conversation_id)
            env["randevu.assistant"]._randevu_answer(conversation, "yes")

        outcomes = self.run_at_once(snapshot, act)
        self.assertEqual(sorted(outcome for outcome, _attempt in outcomes.values()), ["ok", "ok"], outcomes)
        with self.committed_env() as env:
            appointments = env["randevu.appointment"].search([("partner_id", "=", self.customer_id)])
            self.assertEqual(len(appointments), 1, "booked once")
            self.assertFalse(env["randevu.conversation"].browse(self.conversation_id).assistant_intent)
        # Only the confirmation reached the customer: the second worker waited for the first
        # before saying anything (it would otherwise have offered other times, then rolled back).
        [confirmation] = [body["text"]["body"] for body in self.fake.sent() if body["type"] == "text"]
        self.assertTrue(confirmation.startswith("Booked: "), confirmation)
