# ruff: noqa: RUF001, RUF002 (Turkish dotless i: the text customers write)

from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from odoo.addons.randevu_calendar.tests.common import JsonRpcMixin

from ..models.randevu_assistant_faq import FAQ_THRESHOLD
from .assistant_messages import MESSAGES, NOON_ISTANBUL, NOON_PARIS, TUE
from .common import AssistantMixin, AssistantWhatsAppCase

# (topic, phrasings, answer), each (English, Turkish, French).
ENTRIES = {
    "parking": (
        ("Parking", "Otopark", "Parking"),
        (
            "is there parking\ncar park\nwhere can i park",
            "otopark var mı\npark yeri\narabayla gelebilir miyim",
            "parking\nse garer\nstationnement",
        ),
        ("Car park on Moda Caddesi.", "Moda Caddesi'nde otopark var.", "Un parking sur Moda Caddesi."),
    ),
    "payment": (
        ("Payment methods", "Ödeme yöntemleri", "Moyens de paiement"),
        (
            "can i pay by card\ncredit card\ndo you take cash",
            "kredi kartı geçiyor mu\nkartla ödeme\nnakit",
            "payer par carte\ncarte bancaire\nespèces",
        ),
        ("Cash and cards.", "Nakit ve kart geçer.", "Espèces et cartes."),
    ),
    "children": (
        ("Children", "Çocuklar", "Enfants"),
        (
            "can i bring my kid\nchildren welcome",
            "çocuğumu getirebilir miyim\nçocukla gelmek\nbebek",
            "venir avec mon enfant\nenfants acceptés\nma fille",
        ),
        ("Children are welcome.", "Çocuklar başımızın üstüne.", "Les enfants sont les bienvenus."),
    ),
    "cancellation": (
        ("Cancellation policy", "İptal koşulları", "Conditions d'annulation"),
        ("cancellation policy\ncancellation fee", "iptal koşulları\niptal politikası", "conditions d'annulation"),
        ("Free up to 24 hours before.", "24 saat öncesine kadar ücretsiz.", "Gratuite jusqu'à 24 heures avant."),
    ),
}
LANGS = ("en_US", "tr_TR", "fr_FR")

# (branch, message, the entry it asks about or None, the intent otherwise). Typos and
# WhatsApp spelling included; the threshold (80) sits between these.
TABLE = [
    ("istanbul", "otopark var mı?", "parking", None),
    ("istanbul", "otoprak varmı", "parking", None),
    ("istanbul", "Park yeriniz var mi acaba", "parking", None),
    ("istanbul", "arabayla gelebilir miyim?", "parking", None),
    ("istanbul", "yarın otopark var mı", "parking", None),
    ("istanbul", "kredi kartı geçiyor mu", "payment", None),
    ("istanbul", "kartla odeme yapabiliyor muyuz", "payment", None),
    ("istanbul", "nakit ödeme olur mu", "payment", None),
    ("istanbul", "çocuğumu da getirebilir miyim", "children", None),
    ("istanbul", "bebeğimle gelebilir miyim", "children", None),
    ("istanbul", "iptal koşullarınız neler", "cancellation", None),
    ("istanbul", "iptal politikasi nedir", "cancellation", None),
    ("istanbul", "Is there parking nearby?", "parking", None),
    ("istanbul", "where can I park my car", "parking", None),
    ("istanbul", "can i pay by crad", "payment", None),
    ("istanbul", "do you take cash?", "payment", None),
    ("istanbul", "Can I bring my kid to the appointment?", "children", None),
    ("istanbul", "what's your cancelation policy", "cancellation", None),
    ("istanbul", "Bonjour, on peut payer par carte ?", "payment", None),
    ("istanbul", "vous prenez les especes ?", "payment", None),
    ("istanbul", "je peux venir avec mon enfant ?", "children", None),
    ("istanbul", "où se garer ?", "parking", None),
    ("istanbul", "quelles sont vos conditions d'annulation", "cancellation", None),
    # Built-ins keep priority; unrelated messages are not an FAQ.
    ("istanbul", "otopark var mı, adresiniz nedir?", None, "address"),
    ("istanbul", "Bir yetkiliyle görüşmek istiyorum, otopark yokmuş", None, "human"),
    ("istanbul", "kartla ödeme yaparsam fiyat ne kadar", None, "price"),
    ("istanbul", "kaçta açılıyorsunuz", None, "hours"),
    ("istanbul", "yarın 14:00 saç kesimi istiyorum", None, "book"),
    ("istanbul", "randevumu iptal etmek istiyorum", None, "cancel"),
    ("istanbul", "yarın yer var mı", None, "availability"),
    ("istanbul", "evet", None, "confirm"),
    ("istanbul", "1", None, "confirm"),
    ("istanbul", "merhaba", None, "greeting"),
    ("istanbul", "parti yapıyoruz", None, "unknown"),
    ("istanbul", "maybe tomorrow at 3 for a trim", None, "book"),
    ("istanbul", "I want to cancel my appointment", None, "cancel"),
    ("istanbul", "je voudrais annuler mon rdv", None, "cancel"),
]


@tagged("post_install", "-at_install")
class TestAssistantFaq(AssistantMixin, TransactionCase):
    """The branch's own FAQ entries: phrasings matched with typos in tr/en/fr, built-in
    intents keeping priority, another branch's entries never used."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_assistant_fixtures(cls.env)
        cls.assistant = cls.env["randevu.assistant"]
        cls.entries = {key: cls.make_entry(cls.env, cls.istanbul, *values) for key, values in ENTRIES.items()}
        # Paris has its own parking answer; a third branch has an entry nobody else uses.
        cls.paris_parking = cls.make_entry(
            cls.env, cls.paris, ENTRIES["parking"][0], ENTRIES["parking"][1], ("Metro.", "Metro.", "Le métro.")
        )
        cls.other = cls.env["res.company"].create({"name": "Other branch", "randevu_tz": "Europe/Istanbul"})
        cls.wifi = cls.make_entry(
            cls.env, cls.other, ("Wifi",) * 3, ("wifi password",) * 3, ("The password is 1234.",) * 3
        )

    @staticmethod
    def make_entry(env, branch, topic, questions, answer):
        entry = (
            env["randevu.assistant.faq"]
            .with_context(lang="en_US")
            .create({"company_id": branch.id, "name": topic[0], "questions": questions[0], "answer": answer[0]})
        )
        for fname, values in (("name", topic), ("questions", questions), ("answer", answer)):
            entry.update_field_translations(fname, dict(zip(LANGS[1:], values[1:], strict=True)))
        return entry

    def test_matching_table(self):
        branches = {"istanbul": self.istanbul, "paris": self.paris}
        wrong = []
        for branch, text, entry, intent in TABLE:
            got = self.assistant.understand(text, branches[branch], now=NOON_ISTANBUL)
            expected_entry = self.entries[entry].id if entry else False
            expected_intent = "faq" if entry else intent
            if (got["intent"], got["faq_id"]) != (expected_intent, expected_entry):
                wrong.append((text, expected_intent, entry, got["intent"], got["faq_id"]))
        self.assertFalse(wrong, "\n".join(map(str, wrong)))

    def test_threshold(self):
        """80: a typo in the one word that matters ("otoprak", 85.7) matches; half the words of
        a phrasing ("kredi" of "kredi kartı geçiyor mu") do not."""
        Faq = self.env["randevu.assistant.faq"]
        self.assertEqual(FAQ_THRESHOLD, 80)
        entry, score = Faq._randevu_match("otoprak varmi", self.istanbul, "tr", "tr_TR")
        self.assertEqual(entry, self.entries["parking"])
        self.assertAlmostEqual(score, 85.71, places=2)
        self.assertEqual(Faq._randevu_match("kredi", self.istanbul, "tr", "tr_TR"), (Faq, 0))
        self.assertEqual(Faq._randevu_match("park", self.istanbul, "tr", "tr_TR")[0], Faq)

    def test_date_kept_and_confidence(self):
        got = self.assistant.understand("yarın otopark var mı", self.istanbul, now=NOON_ISTANBUL)
        self.assertEqual((got["intent"], got["faq_id"], got["date"]), ("faq", self.entries["parking"].id, TUE))
        self.assertGreaterEqual(got["confidence"], 0.8)

    def test_the_table_of_messages_has_no_faq(self):
        """The 190 messages of the parser's table, with the FAQ entries in place: none is
        taken for an FAQ."""
        branches = {"istanbul": (self.istanbul, NOON_ISTANBUL), "paris": (self.paris, NOON_PARIS)}
        for key, rows in MESSAGES:
            branch, now = branches[key]
            for row in rows:
                with self.subTest(text=row[0]):
                    self.assertNotEqual(self.assistant.understand(row[0], branch, now=now)["intent"], "faq")

    def test_each_branch_uses_its_own_entries(self):
        got = self.assistant.understand("parking ?", self.paris, now=NOON_PARIS, lang="fr")
        self.assertEqual(got["faq_id"], self.paris_parking.id)
        got = self.assistant.understand("wifi password?", self.istanbul, now=NOON_ISTANBUL)
        self.assertNotEqual(got["intent"], "faq")
        got = self.assistant.understand("wifi password?", self.other, now=NOON_ISTANBUL)
        self.assertEqual((got["intent"], got["faq_id"]), ("faq", self.wifi.id))

    def test_archived_entry_is_not_used(self):
        self.entries["parking"].active = False
        got = self.assistant.understand("otopark var mı?", self.istanbul, now=NOON_ISTANBUL)
        self.assertNotEqual(got["intent"], "faq")

    def test_turkish_phrasing_not_matched_in_a_french_message(self):
        """Phrasings are read in the message's language and English: "bebek" (tr) is not French."""
        got = self.assistant.understand("bebek", self.istanbul, now=NOON_ISTANBUL, lang="fr")
        self.assertNotEqual(got["intent"], "faq")
        got = self.assistant.understand("bebek", self.istanbul, now=NOON_ISTANBUL, lang="tr")
        self.assertEqual(got["faq_id"], self.entries["children"].id)


@tagged("post_install", "-at_install")
class TestAssistantFaqAnswers(AssistantWhatsAppCase):
    """An FAQ answered end to end: the webhook's row → the inbox worker → the assistant's
    cron, against the fake Graph API, with the entry's answer in the conversation's language."""

    gateway_tag = "faq"
    gateway_phone = "555000222"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for key in ("parking", "payment"):
            TestAssistantFaq.make_entry(cls.env, cls.istanbul, *ENTRIES[key])
        cls.istanbul.randevu_assistant_answers = True

    def test_turkish_question_answered_in_turkish(self):
        event = self.receive("otoprak varmı?")
        self.assertEqual(event.assistant_state, "answered")
        self.assertEqual(self.replies(), ["Moda Caddesi'nde otopark var."])
        conversation = event.conversation_id
        self.assertFalse(conversation.waiting)
        self.assertIn("(faq)", conversation.message_ids[0].body)

    def test_french_and_english_questions_answered_in_their_language(self):
        self.receive("Bonjour, on peut payer par carte ?", sender="33612345678")
        self.assertEqual(self.replies(), ["Espèces et cartes."])
        self.fake.requests.clear()
        self.receive("Hi, is there parking near you?", sender="447911123456")
        self.assertEqual(self.replies(), ["Car park on Moda Caddesi."])

    def test_dialogue_answers_in_the_conversations_language(self):
        """At a branch where the assistant acts, a short question ("parking ?") is read in
        the conversation's language (French here) and answered in it; a pending booking
        question is not dropped."""
        self.istanbul.randevu_assistant_acts = True
        conversation = self.receive("Bonjour, je voudrais une coupe femme", sender="33698765432").conversation_id
        self.assertEqual(conversation.assistant_lang, "fr")
        self.assertEqual(conversation.assistant_step, "day")
        self.fake.requests.clear()
        event = self.receive("parking ?", sender="33698765432")
        self.assertEqual(event.assistant_state, "answered")
        self.assertEqual(self.replies(), ["Un parking sur Moda Caddesi."])
        self.assertEqual((conversation.assistant_intent, conversation.assistant_step), ("book", "day"))

    def test_another_branchs_entry_is_not_answered(self):
        other = self.env["res.company"].create({"name": "Elsewhere", "randevu_tz": "Europe/Istanbul"})
        self.env["randevu.assistant.faq"].create(
            {"company_id": other.id, "name": "Wifi", "questions": "wifi password", "answer": "1234"}
        )
        event = self.receive("wifi password?")
        self.assertEqual(event.assistant_state, "person")
        self.assertFalse(self.fake.sent())


@tagged("post_install", "-at_install")
class TestAssistantFaqAccess(JsonRpcMixin, HttpCase):
    """Who reads and changes FAQ entries through JSON-RPC: managers write, receptionists
    and staff read, their branch's only; portal and public users nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Company = cls.env["res.company"]
        cls.branch = Company.create({"name": "FAQ branch A"})
        cls.other_branch = Company.create({"name": "FAQ branch B"})
        Faq = cls.env["randevu.assistant.faq"]
        cls.ours = Faq.create({"company_id": cls.branch.id, "name": "Parking", "questions": "parking", "answer": "Yes"})
        cls.theirs = Faq.create(
            {"company_id": cls.other_branch.id, "name": "Parking", "questions": "parking", "answer": "No"}
        )

        def user(login, groups, branch):
            return new_test_user(
                cls.env,
                login=login,
                password=login,
                groups=groups,
                company_id=branch.id,
                company_ids=[(6, 0, branch.ids)],
            )

        user("faq_staff", "base.group_user,randevu_calendar.group_randevu_staff", cls.branch)
        user("faq_user", "base.group_user,randevu_calendar.group_randevu_user", cls.branch)
        user("faq_manager", "base.group_user,randevu_calendar.group_randevu_manager", cls.branch)
        user("faq_portal", "base.group_portal", cls.branch)

    def test_staff_and_receptionists_read_their_branchs_entries(self):
        for login in ("faq_staff", "faq_user", "faq_manager"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                rows = self.call_kw("randevu.assistant.faq", "search_read", [], ["answer"])["result"]
                ids = {row["id"] for row in rows}
                self.assertIn(self.ours.id, ids)
                self.assertNotIn(self.theirs.id, ids)
                self.assert_access_error(self.call_kw("randevu.assistant.faq", "read", self.theirs.ids, ["answer"]))

    def test_only_managers_write(self):
        for login in ("faq_staff", "faq_user"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                self.assert_access_error(self.call_kw("randevu.assistant.faq", "write", self.ours.ids, {"answer": "x"}))
                self.assert_access_error(
                    self.call_kw(
                        "randevu.assistant.faq",
                        "create",
                        {"company_id": self.branch.id, "name": "x", "questions": "x", "answer": "x"},
                    )
                )
                self.assert_access_error(self.call_kw("randevu.assistant.faq", "unlink", self.ours.ids))
        self.authenticate("faq_manager", "faq_manager")
        self.call_kw("randevu.assistant.faq", "write", self.ours.ids, {"answer": "Free parking"})
        self.assertEqual(self.ours.answer, "Free parking")
        answer = self.call_kw(
            "randevu.assistant.faq",
            "create",
            {"company_id": self.branch.id, "name": "Wifi", "questions": "wifi", "answer": "1234"},
        )
        self.assertTrue(answer["result"])
        self.call_kw("randevu.assistant.faq", "unlink", [answer["result"]])
        self.assert_access_error(
            self.call_kw("randevu.assistant.faq", "write", self.theirs.ids, {"answer": "x"}), "another branch"
        )

    def test_portal_and_public_get_nothing(self):
        self.authenticate("faq_portal", "faq_portal")
        self.assert_access_error(self.call_kw("randevu.assistant.faq", "search_read", [], ["answer"]))
        self.assert_access_error(self.call_kw("randevu.assistant.faq", "read", self.ours.ids, ["answer"]))
        self.authenticate(None, None)
        answer = self.call_kw("randevu.assistant.faq", "search_read", [], ["answer"])
        self.assertIn("error", answer)
        self.assertNotIn("result", answer)
