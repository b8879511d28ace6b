import psycopg2

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common import ConsentMixin


@tagged("post_install", "-at_install")
class TestConsent(ConsentMixin, TransactionCase):
    """A consent per channel and purpose, its state taken from an append-only history of
    events that keeps the proof; it applies to the address it was given for only."""

    def test_grant_at_the_till_keeps_its_proof(self):
        event = self.grant(self.ayse, "sms", source="till")
        consent = self.consent(self.ayse, "sms")
        self.assertEqual((consent.state, consent.address, consent.source), ("granted", "+905321234567", "till"))
        self.assertTrue(consent.applies)
        self.assertEqual(event.text, self.text)
        self.assertEqual(event.user_id, self.env.user)
        self.assertEqual((event.channel, event.purpose, event.partner_id), ("sms", "marketing", self.ayse))
        self.withdraw(self.ayse, "sms")
        self.assertEqual(consent.state, "withdrawn")
        self.assertFalse(consent.applies)
        history = self.env["randevu.consent.event"].search([("consent_id", "=", consent.id)])
        self.assertEqual(history.mapped("state"), ["withdrawn", "granted"], "the grant stays in the history")

    def test_a_grant_on_the_web_waits_for_the_confirmation_email(self):
        self.grant(self.chloe, "email", source="booking_form", ip_address="203.0.113.7", user_agent="Firefox")
        consent = self.consent(self.chloe)
        self.assertEqual(consent.state, "pending")
        self.assertFalse(consent.applies)
        mail = self.env["mail.mail"].search([("email_to", "=", "chloe@example.com")])
        self.assertEqual(len(mail), 1)
        self.assertIn("/randevu/consent/confirm/", mail.body_html)
        self.assertEqual(consent.event_ids.ip_address, "203.0.113.7")
        self.assertEqual(consent.event_ids.user_agent, "Firefox")

    def test_a_new_address_is_not_covered(self):
        self.grant(self.ayse, "email")
        consent = self.consent(self.ayse)
        self.assertTrue(consent.applies)
        self.ayse.email = "ayse.new@example.com"
        self.assertEqual(consent.state, "granted")
        self.assertFalse(consent.applies, "the consent was for the former address")
        self.ayse.mobile = "+905320000000"
        self.grant(self.ayse, "sms")
        self.ayse.mobile = "+905321111111"
        self.assertFalse(self.consent(self.ayse, "sms").applies)

    def test_the_history_is_never_rewritten_by_the_orm(self):
        event = self.grant(self.ayse)
        with self.assertRaises(UserError):
            event.write({"state": "withdrawn"})
        with self.assertRaises(UserError):
            event.unlink()
        consent = self.consent(self.ayse)
        with self.assertRaises(UserError):
            consent.write({"state": "withdrawn"})
        with self.assertRaises(UserError):
            consent.unlink()
        self.assertEqual(consent.state, "granted")

    def test_the_database_refuses_to_update_or_delete_the_history(self):
        event = self.grant(self.ayse)
        self.env.flush_all()
        for statement in (
            "UPDATE randevu_consent_event SET state = 'withdrawn' WHERE id = %s",
            "UPDATE randevu_consent_event SET text = 'something else' WHERE id = %s",
            "DELETE FROM randevu_consent_event WHERE id = %s",
        ):
            with self.subTest(statement=statement):
                with self.assertRaises(psycopg2.Error), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                    self.env.cr.execute(statement, [event.id])
        self.env.cr.execute("SELECT state, text FROM randevu_consent_event WHERE id = %s", [event.id])
        self.assertEqual(self.env.cr.fetchall(), [("granted", self.text)])

    def test_bad_input_is_refused_and_nothing_is_written(self):
        nobody = self.env["res.partner"].create({"name": "No Address"})
        with self.assertRaises(UserError):
            self.grant(nobody, "email")
        with self.assertRaises(UserError):
            self.Consent._randevu_record(self.ayse, "email", "granted", "till", "  ")
        with self.assertRaises(UserError):
            self.Consent._randevu_record(self.ayse, "fax", "granted", "till", self.text)
        self.assertFalse(self.env["randevu.consent.event"].search([("partner_id", "in", (nobody | self.ayse).ids)]))

    def test_sms_and_whatsapp_replies_confirm_or_withdraw(self):
        for word in ("EVET", "yes", "Oui."):
            with self.subTest(word=word):
                self.withdraw(self.ayse, "sms")
                self.grant(self.ayse, "sms", source="booking_form")
                consent = self.consent(self.ayse, "sms")
                self.assertEqual(consent.state, "pending")
                self.assertFalse(self.Consent._randevu_handle_reply("+905321234567", "evet ama yarın", "sms"))  # noqa: RUF001
                self.assertFalse(self.Consent._randevu_handle_reply("+905329999999", word, "sms"), "another number")
                events = self.Consent._randevu_handle_reply("+90 532 123 45 67", word, "sms")
                self.assertEqual(events.mapped("source"), ["message_reply"])
                self.assertEqual(consent.state, "granted")
                self.assertTrue(consent.applies)
        for word in ("STOP", "dur", "arrêt", "ARRET"):
            with self.subTest(word=word):
                self.grant(self.ayse, "whatsapp", source="chat")
                consent = self.consent(self.ayse, "whatsapp")
                self.assertEqual(consent.state, "granted")
                self.assertTrue(self.Consent._randevu_handle_reply("+905321234567", word, "whatsapp"))
                self.assertEqual(consent.state, "withdrawn")
        self.assertEqual(self.consent(self.ayse, "sms").state, "granted", "a WhatsApp STOP leaves the SMS consent")

    def test_odoo_blacklists_record_a_withdrawal(self):
        self.grant(self.ayse, "email")
        self.grant(self.ayse, "sms")
        self.grant(self.ayse, "whatsapp")
        self.grant(self.chloe, "sms")
        self.env["phone.blacklist"].sudo().add("+90 532 123 45 67")
        self.assertEqual(self.consent(self.ayse, "sms").state, "withdrawn")
        self.assertEqual(self.consent(self.ayse, "sms").source, "blacklist")
        self.assertEqual(self.consent(self.ayse, "whatsapp").state, "granted")
        self.assertEqual(self.consent(self.chloe, "sms").state, "granted")
        self.assertEqual(self.consent(self.ayse).state, "granted")
        self.env["mail.blacklist"].sudo()._add("Ayse@Example.com")
        self.assertEqual(self.consent(self.ayse).state, "withdrawn")
