# ruff: noqa: RUF001 (Turkish dotless i)
from odoo.tests import TransactionCase, tagged

from ..models.res_company_demo import DEMO_GRAPH_URL


@tagged("post_install", "-at_install")
class TestInboxDemo(TransactionCase):
    """The demo's inbox: FAQ entries and service synonyms in tr/fr, a WhatsApp account per
    branch sending to the local fake, and conversations written through the real path."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kadikoy = cls.env.ref("randevu_calendar.randevu_branch_kadikoy", raise_if_not_found=False)
        cls.paris = cls.env.ref("randevu_calendar.randevu_branch_paris", raise_if_not_found=False)

    def setUp(self):
        super().setUp()
        if not self.kadikoy or not self.env["randevu.assistant.faq"].search_count([]):
            self.skipTest("no demo data")

    def conversation(self, branch, phone):
        return self.env["randevu.conversation"].search([("company_id", "=", branch.id), ("phone", "=", phone)])

    def test_faq_entries_in_three_languages(self):
        Faq = self.env["randevu.assistant.faq"]
        for branch in self.kadikoy | self.paris:
            entries = Faq.search([("company_id", "=", branch.id)])
            self.assertGreaterEqual(len(entries), 4, branch.name)
            for entry in entries:
                english = entry.with_context(lang="en_US").answer
                self.assertNotEqual(entry.with_context(lang="tr_TR").answer, english, entry.name)
                self.assertNotEqual(entry.with_context(lang="fr_FR").answer, english, entry.name)
        assistant = self.env["randevu.assistant"]
        got = assistant.understand("kredi kartı geçiyor mu?", self.kadikoy)
        self.assertEqual(got["intent"], "faq")
        self.assertIn("Troy", Faq.browse(got["faq_id"]).with_context(lang="tr_TR").answer)

    def test_service_synonyms_in_tr_and_fr(self):
        assistant = self.env["randevu.assistant"]
        manicure = self.env.ref("randevu_calendar.randevu_service_manicure")
        self.assertEqual(manicure.with_context(lang="fr_FR").randevu_synonyms, "ongles")
        got = assistant.understand("ongles demain après-midi", self.paris, lang="fr")
        self.assertEqual(got["service_id"], manicure.id)
        got = assistant.understand("yarın tırnak için yer var mı", self.kadikoy, lang="tr")
        self.assertEqual(got["service_id"], self.env.ref("randevu_calendar.randevu_service_manicure_kadikoy").id)

    def test_whatsapp_accounts_send_to_the_local_fake(self):
        gateways = self.env["mail.gateway"].search(
            [("gateway_type", "=", "whatsapp"), ("company_id", "in", (self.kadikoy | self.paris).ids)]
        )
        self.assertEqual(gateways.company_id, self.kadikoy | self.paris)
        self.assertEqual(set(gateways.mapped("randevu_graph_url")), {DEMO_GRAPH_URL})

    def test_conversations(self):
        booked = self.conversation(self.kadikoy, "+905551112201")
        self.assertEqual(booked.partner_id.name, "Gül Aydın")
        appointment = self.env["randevu.appointment"].search([("partner_id", "=", booked.partner_id.id)])
        self.assertEqual(len(appointment), 1)
        self.assertEqual(appointment.source, "whatsapp")
        self.assertFalse(booked.assistant_intent)
        self.assertIn("The assistant booked", "".join(booked.message_ids.mapped("body")))

        answered = self.conversation(self.kadikoy, "+905551112202")
        self.assertFalse(answered.waiting)
        self.assertIn("Moda Caddesi", "".join(answered.message_ids.mapped("body")))

        waiting = self.conversation(self.kadikoy, "+905551112203")
        self.assertTrue(waiting.assistant_handover)
        self.assertEqual(waiting.assistant_handover_reason, "complaint")

        french = self.conversation(self.paris, "+33655512204")
        self.assertEqual(french.assistant_lang, "fr")
        self.assertIn("Nous acceptons la carte", "".join(french.message_ids.mapped("body")))
