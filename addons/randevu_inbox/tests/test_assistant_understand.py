# ruff: noqa: RUF001, RUF002 (Turkish dotless i, typographic apostrophes: the text customers write)
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged

from odoo.addons.randevu_calendar.tests.common import JsonRpcMixin

from .common import AssistantMixin

MON, TUE, WED, THU, FRI, SAT, SUN = (date(2026, 12, 7) + timedelta(days=n) for n in range(7))
NEXT_TUE = date(2026, 12, 15)
# Monday 7 December 2026 at noon, local time: 09:00 UTC in Istanbul (UTC+3), 11:00 UTC in Paris (UTC+1)
NOON_ISTANBUL = datetime(2026, 12, 7, 9, 0)
NOON_PARIS = datetime(2026, 12, 7, 11, 0)

# (text, intent, date, time, part of day, service, staff, lang); lang None: not checked
# (a one-word reply whose language only the conversation knows)
ISTANBUL = [
    ("Yarın 14:00 uygun mu?", "availability", TUE, "14:00", "afternoon", None, None, "tr"),
    ("yarın saat 14:00'e manikür randevusu alabilir miyim", "book", TUE, "14:00", "afternoon", "manicure", None, "tr"),
    (
        "Haftaya salı Merve Hanım'dan saç kesimi için randevu istiyorum",
        "book",
        NEXT_TUE,
        None,
        None,
        "haircut",
        "merve",
        "tr",
    ),
    ("öbür gün 3te müsait misiniz", "availability", WED, "15:00", "afternoon", None, None, "tr"),
    ("Cuma öğleden sonra boş yer var mı?", "availability", FRI, None, "afternoon", None, None, "tr"),
    ("Ali Bey'e yarın sabah 10.30 olur mu", "availability", TUE, "10:30", "morning", None, "ali", "tr"),
    ("cuma 14.00 müsait mi", "availability", FRI, "14:00", "afternoon", None, None, "tr"),
    ("manükür fiyatı ne kadar?", "price", None, None, None, "manicure", None, "tr"),
    ("Saç boyama ne kadar", "price", None, None, None, "colour", None, "tr"),
    ("Kaçta açılıyorsunuz?", "hours", None, None, None, None, None, "tr"),
    ("Pazar günü açık mısınız?", "hours", SUN, None, None, None, None, "tr"),
    ("Adresiniz nedir?", "address", None, None, None, None, None, "tr"),
    ("Neredesiniz, konum atar mısınız", "address", None, None, None, None, None, "tr"),
    ("Randevumu iptal etmek istiyorum", "cancel", None, None, None, None, None, "tr"),
    ("İPTAL", "cancel", None, None, None, None, None, "tr"),
    ("iptal", "cancel", None, None, None, None, None, "tr"),
    ("Evet", "confirm", None, None, None, None, None, "tr"),
    ("tamam geleceğim", "confirm", None, None, None, None, None, "tr"),
    ("Randevumu perşembeye alabilir miyiz, değiştirmek istiyorum", "reschedule", THU, None, None, None, None, "tr"),
    ("değiştir", "reschedule", None, None, None, None, None, "tr"),
    ("yarın gelemeyeceğim", "decline", TUE, None, None, None, None, "tr"),
    ("Bir yetkiliyle görüşmek istiyorum", "human", None, None, None, None, None, "tr"),
    ("Hizmetinizden hiç memnun kalmadım, şikayetçiyim", "human", None, None, None, None, None, "tr"),
    ("Merhaba", "greeting", None, None, None, None, None, "tr"),
    (
        "Merhaba, 15 aralık saat 11'de masaj için yer var mı?",
        "availability",
        NEXT_TUE,
        "11:00",
        "morning",
        "massage",
        None,
        "tr",
    ),
    ("saat 3te Merve hanıma yazar mısınız", "book", None, "15:00", "afternoon", None, "merve", "tr"),
    ("bu akşam 6 gibi müsait mi", "availability", MON, "18:00", "evening", None, None, "tr"),
    ("YARIN SAAT 3", "book", TUE, "15:00", "afternoon", None, None, "tr"),
    ("yarin ogleden sonra manikur", "book", TUE, None, "afternoon", "manicure", None, "tr"),
    ("Tırnak yaptırmak istiyorum cumartesi", "book", SAT, None, None, "manicure", None, "tr"),
    ("saç kestirmek istiyorum haftaya salı Merve'den", "book", NEXT_TUE, None, None, "haircut", "merve", "tr"),
    ("masajj fiyatlarınız nedir", "price", None, None, None, "massage", None, "tr"),
    # English in Istanbul
    ("Hi, can I book a manicure tomorrow at 2pm?", "book", TUE, "14:00", "afternoon", "manicure", None, "en"),
    ("What's free Friday afternoon?", "availability", FRI, None, "afternoon", None, None, "en"),
    ("next Tuesday at 11 with Merve", "book", NEXT_TUE, "11:00", "morning", None, "merve", "en"),
    ("How much is a haircut?", "price", None, None, None, "haircut", None, "en"),
    ("What are your opening hours?", "hours", None, None, None, None, None, "en"),
    ("Where are you located?", "address", None, None, None, None, None, "en"),
    ("I need to cancel my appointment", "cancel", None, None, None, None, None, "en"),
    ("Can I reschedule to Thursday?", "reschedule", THU, None, None, None, None, "en"),
    ("yes", "confirm", None, None, None, None, None, "en"),
    ("I can't make it tomorrow", "decline", TUE, None, None, None, None, "en"),
    ("I want to talk to a real person", "human", None, None, None, None, None, "en"),
    (
        "Do you have any slots the day after tomorrow in the morning?",
        "availability",
        WED,
        None,
        "morning",
        None,
        None,
        "en",
    ),
    ("Is Ali available on Saturday at 3?", "availability", SAT, "15:00", "afternoon", None, "ali", "en"),
    ("hello", "greeting", None, None, None, None, None, "en"),
    ("manicur tomorrow 10am", "book", TUE, "10:00", "morning", "manicure", None, "en"),
    ("Can I get a hair colour on 15 December at 4pm?", "book", NEXT_TUE, "16:00", "afternoon", "colour", None, "en"),
    ("This is unacceptable, I waited 40 minutes", "human", None, None, None, None, None, "en"),
    ("Are you open on Sunday?", "hours", SUN, None, None, None, None, "en"),
    ("I'd like a haircut with Ali this Friday evening", "book", FRI, None, "evening", "haircut", "ali", "en"),
]

PARIS = [
    ("demain 14h", "book", TUE, "14:00", "afternoon", None, None, "fr"),
    (
        "Je voudrais prendre rendez-vous mardi prochain à 11h avec Élodie pour une coupe",
        "book",
        NEXT_TUE,
        "11:00",
        "morning",
        "haircut",
        "elodie",
        "fr",
    ),
    ("je ne pourrai pas venir demain", "decline", TUE, None, None, None, None, "fr"),
    ("annuler", "cancel", None, None, None, None, None, "fr"),
    ("oui", "confirm", None, None, None, None, None, "fr"),
    ("Vous êtes disponibles samedi après-midi ?", "availability", SAT, None, "afternoon", None, None, "fr"),
    ("Combien coûte une manucure ?", "price", None, None, None, "manicure", None, "fr"),
    ("Quels sont vos horaires ?", "hours", None, None, None, None, None, "fr"),
    ("Quelle est votre adresse ?", "address", None, None, None, None, None, "fr"),
    ("Je voudrais changer mon rendez-vous à jeudi", "reschedule", THU, None, None, None, None, "fr"),
    ("après-demain vers 15h30 avec Julien", "book", WED, "15:30", "afternoon", None, "julien", "fr"),
    ("Bonjour", "greeting", None, None, None, None, None, "fr"),
    ("Je veux parler à quelqu'un", "human", None, None, None, None, None, "fr"),
    ("Une coloration le 3 mars à 10h30 ?", "book", date(2027, 3, 3), "10:30", "morning", "colour", None, "fr"),
    ("massage relaxant ce soir 19h", "book", MON, "19:00", "evening", "massage", None, "fr"),
    ("changer", "reschedule", None, None, None, None, None, "fr"),
    ("c'est possible demain matin ?", "availability", TUE, None, "morning", None, None, "fr"),
    ("Je confirme", "confirm", None, None, None, None, None, "fr"),
    ("Manucure jeudi 10h", "book", THU, "10:00", "morning", "manicure", None, "fr"),
    ("Je souhaite annuler mon rendez-vous de vendredi", "cancel", FRI, None, None, None, None, "fr"),
    (
        "Une manucre avec Elodie samedi à 3h de l'après-midi",
        "book",
        SAT,
        "15:00",
        "afternoon",
        "manicure",
        "elodie",
        "fr",
    ),
]

# Replies to a reminder: the conversation's language is passed
REMINDER_REPLIES = [
    ("1", "tr", "confirm"),
    ("2", "tr", "cancel"),
    ("1", "fr", "confirm"),
    ("2", "en", "cancel"),
    ("ok", "en", "confirm"),
    ("OK", "fr", "confirm"),
    ("evet", "tr", "confirm"),
    ("cancel", "en", "cancel"),
    ("change", "en", "reschedule"),
    ("hayır", "tr", "decline"),
    ("non", "fr", "decline"),
]


class TestAssistantUnderstand(AssistantMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_assistant_fixtures(cls.env)
        cls.assistant = cls.env["randevu.assistant"]

    def check_table(self, rows, branch, now):
        for text, intent, day, time, part, service, staff, lang in rows:
            with self.subTest(text=text):
                got = self.assistant.understand(text, branch, now=now)
                expected = {
                    "intent": intent,
                    "date": day,
                    "time": time,
                    "part_of_day": part,
                    "service_id": self.services[service].id if service else False,
                    "employee_id": self.staff[staff].id if staff else False,
                }
                if lang:
                    expected["lang"] = lang
                self.assertEqual({key: got[key] for key in expected}, expected, text)
                self.assertTrue(0 < got["confidence"] <= 1, text)

    def test_table_istanbul(self):
        self.check_table(ISTANBUL, self.istanbul, NOON_ISTANBUL)

    def test_table_paris(self):
        self.check_table(PARIS, self.paris, NOON_PARIS)

    def test_table_is_large_enough(self):
        self.assertGreaterEqual(len(ISTANBUL) + len(PARIS) + len(REMINDER_REPLIES), 80)

    def test_reminder_replies(self):
        for text, lang, intent in REMINDER_REPLIES:
            with self.subTest(text=text, lang=lang):
                got = self.assistant.understand(text, self.istanbul, now=NOON_ISTANBUL, lang=lang)
                self.assertEqual((got["intent"], got["lang"]), (intent, lang))
                self.assertGreaterEqual(got["confidence"], 0.8)
        # the conversation's language may come as an Odoo code
        self.assertEqual(self.assistant.understand("1", self.istanbul, lang="tr_TR")["lang"], "tr")

    def test_unknown_and_empty(self):
        for text in ("", "   ", "asdfgh qwerty"):
            got = self.assistant.understand(text, self.istanbul, now=NOON_ISTANBUL, lang="tr")
            self.assertEqual(got["intent"], "unknown", text)
            self.assertLess(got["confidence"], 0.5)

    def test_tomorrow_late_at_night_in_istanbul(self):
        """At 23:30 in Istanbul (20:30 UTC, the same day) "yarın" is the day after the local date;
        at 00:30 local (still the previous day in UTC) it is the day after that."""
        late = self.assistant.understand("yarın 14:00 uygun mu", self.istanbul, now=datetime(2026, 12, 7, 20, 30))
        self.assertEqual(late["date"], TUE)
        after_midnight = self.assistant.understand("yarın", self.istanbul, now=datetime(2026, 12, 7, 21, 30))
        self.assertEqual(after_midnight["date"], WED)
        aware = datetime(2026, 12, 8, 0, 30, tzinfo=ZoneInfo("Europe/Istanbul"))
        self.assertEqual(self.assistant.understand("bugün", self.istanbul, now=aware)["date"], TUE)

    def test_paris_dst_nights(self):
        """ "demain" and "aujourd'hui" every 15 minutes across both DST nights of 2026 in Paris,
        against zoneinfo's local date of each moment."""
        paris = ZoneInfo("Europe/Paris")
        for night in (datetime(2026, 3, 28, 20, 0), datetime(2026, 10, 24, 20, 0)):
            for step in range(8 * 4):
                moment = night + timedelta(minutes=15 * step)
                local_day = moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(paris).date()
                with self.subTest(moment=moment):
                    got = self.assistant.understand("demain 14h", self.paris, now=moment)
                    self.assertEqual(got["date"], local_day + timedelta(days=1))
                    self.assertEqual(got["time"], "14:00")
                    today = self.assistant.understand("aujourd'hui", self.paris, now=moment)["date"]
                    self.assertEqual(today, local_day)

    def test_bare_hour_follows_the_days_opening_hours(self):
        """ "3te" is 15:00 when the branch is closed at 03:00 and open at 15:00; "8'de" stays 08:00
        when neither is open; the Paris branch closes at 18:00, so "vers 7" on Friday is 07:00."""
        self.assertEqual(self.assistant.understand("cuma 3te", self.istanbul, now=NOON_ISTANBUL)["time"], "15:00")
        self.assertEqual(self.assistant.understand("cuma 8'de", self.istanbul, now=NOON_ISTANBUL)["time"], "08:00")
        self.assertEqual(self.assistant.understand("yarın saat 6", self.istanbul, now=NOON_ISTANBUL)["time"], "18:00")
        self.assertEqual(self.assistant.understand("vendredi vers 7", self.paris, now=NOON_PARIS)["time"], "07:00")

    def test_staff_of_another_branch_not_matched(self):
        got = self.assistant.understand("yarın Élodie'den randevu", self.istanbul, now=NOON_ISTANBUL)
        self.assertFalse(got["employee_id"])

    def test_synonyms_are_translated(self):
        """A synonym in French is not a synonym in Turkish: "ongles" is the manicure only in
        the French messages (and in English, the fallback)."""
        manicure = self.services["manicure"]
        self.assertEqual(manicure.with_context(lang="fr_FR").randevu_synonyms, "ongles")
        self.assertEqual(manicure.with_context(lang="tr_TR").randevu_synonyms, "tırnak")
        got = self.assistant.understand("ongles demain", self.paris, now=NOON_PARIS, lang="fr")
        self.assertEqual(got["service_id"], manicure.id)
        got = self.assistant.understand("ongles yarın", self.istanbul, now=NOON_ISTANBUL, lang="tr")
        self.assertFalse(got["service_id"])


@tagged("post_install", "-at_install")
class TestAssistantAccess(AssistantMixin, JsonRpcMixin, HttpCase):
    """`understand` over JSON-RPC: staff, receptionists and managers of the branch may ask it
    (the answer holds only ids, a date and words), a user of another branch or a portal user
    may not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.make_assistant_fixtures(cls.env)
        for login, group in (
            ("assistant_staff", "group_randevu_staff"),
            ("assistant_user", "group_randevu_user"),
            ("assistant_manager", "group_randevu_manager"),
        ):
            new_test_user(
                cls.env,
                login=login,
                password=login,
                groups=f"base.group_user,randevu_calendar.{group}",
                company_id=cls.istanbul.id,
                company_ids=[(6, 0, cls.istanbul.ids)],
            )
        new_test_user(
            cls.env,
            login="assistant_paris",
            password="assistant_paris",
            groups="base.group_user,randevu_calendar.group_randevu_user",
            company_id=cls.paris.id,
            company_ids=[(6, 0, cls.paris.ids)],
        )
        new_test_user(cls.env, login="assistant_portal", password="assistant_portal", groups="base.group_portal")

    def ask(self, login, branch):
        self.authenticate(login, login)
        return self.call_kw("randevu.assistant", "understand", "Merve Hanım'dan yarın 3te manikür", branch.id)

    def test_branch_users_may_ask(self):
        for login in ("assistant_staff", "assistant_user", "assistant_manager"):
            with self.subTest(login=login):
                result = self.ask(login, self.istanbul)["result"]
                self.assertEqual(result["intent"], "book")
                self.assertEqual(result["service_id"], self.services["manicure"].id)
                self.assertEqual(result["employee_id"], self.staff["merve"].id)
                self.assertEqual(result["time"], "15:00")

    def test_other_branch_and_portal_may_not(self):
        self.assert_access_error(self.ask("assistant_paris", self.istanbul), "another branch")
        self.assert_access_error(self.ask("assistant_portal", self.istanbul), "portal")
