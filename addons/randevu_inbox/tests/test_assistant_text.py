# ruff: noqa: RUF001 (Turkish dotless i, typographic apostrophes: the text customers write)
from datetime import date

from odoo.tests import BaseCase

from ..tools import normaliser
from ..tools.casefold import casefold, fold

MONDAY = date(2026, 12, 7)


class TestCasefold(BaseCase):
    def test_turkish_dotted_and_dotless_i(self):
        self.assertEqual(casefold("IĞDIR", "tr"), "ığdır")
        self.assertEqual(casefold("İSTANBUL", "tr"), "istanbul")
        self.assertEqual(casefold("İPTAL", "tr"), "iptal")
        # Python's lower() leaves a combining dot after "İ"; ours never does, in any language
        self.assertNotEqual("İPTAL".lower(), "iptal")
        self.assertEqual(casefold("İPTAL", "en"), "iptal")
        self.assertEqual(casefold("INDIGO", "en"), "indigo")
        self.assertEqual(casefold("INDIGO", "tr"), "ındıgo")

    def test_fold_drops_accents_and_turkish_letters(self):
        self.assertEqual(fold("Öğleden SONRA", "tr"), "ogleden sonra")
        self.assertEqual(fold("YARIN", "tr"), "yarin")
        self.assertEqual(fold("yarın"), fold("yarin"))
        self.assertEqual(fold("Après-midi"), "apres-midi")
        self.assertEqual(fold("Merve Hanım’dan"), "merve hanim'dan")
        self.assertEqual(fold("Élodie"), "elodie")
        self.assertEqual(fold("ŞİKAYET", "tr"), "sikayet")


class TestNormaliser(BaseCase):
    def date_of(self, text, today=MONDAY):
        return normaliser.parse_date(fold(text), today)[0]

    def time_of(self, text):
        found = normaliser.parse_time(fold(text))
        return found and found[:3]

    def test_relative_days(self):
        self.assertEqual(self.date_of("yarın saat 14:00"), date(2026, 12, 8))
        self.assertEqual(self.date_of("demain 14h"), date(2026, 12, 8))
        self.assertEqual(self.date_of("tomorrow"), date(2026, 12, 8))
        self.assertEqual(self.date_of("öbür gün"), date(2026, 12, 9))
        self.assertEqual(self.date_of("yarından sonra"), date(2026, 12, 9))
        self.assertEqual(self.date_of("après-demain"), date(2026, 12, 9))
        self.assertEqual(self.date_of("the day after tomorrow"), date(2026, 12, 9))
        self.assertEqual(self.date_of("bugün"), MONDAY)
        self.assertEqual(self.date_of("ce soir"), MONDAY)
        self.assertEqual(self.date_of("3 gün sonra"), date(2026, 12, 10))
        self.assertEqual(self.date_of("dans 3 jours"), date(2026, 12, 10))
        # what customers type for short, and common typos
        for text in ("yrn", "yarn saat 3", "tmrw", "tmr", "tomorow", "tommorow"):
            self.assertEqual(self.date_of(text), date(2026, 12, 8), text)

    def test_weekdays(self):
        # next week's Tuesday, whatever the language
        for text in ("haftaya salı", "Haftaya Salıya", "gelecek salı", "mardi prochain", "next Tuesday"):
            self.assertEqual(self.date_of(text), date(2026, 12, 15), text)
        # a bare weekday is the next one, today included
        self.assertEqual(self.date_of("cuma"), date(2026, 12, 11))
        self.assertEqual(self.date_of("cumaya"), date(2026, 12, 11))
        self.assertEqual(self.date_of("cumartesi"), date(2026, 12, 12))
        self.assertEqual(self.date_of("pazartesi"), MONDAY)
        self.assertEqual(self.date_of("pazar"), date(2026, 12, 13))
        self.assertEqual(self.date_of("ce vendredi"), date(2026, 12, 11))
        # on a Sunday, next week's Tuesday is two days later
        self.assertEqual(self.date_of("haftaya salı", date(2026, 12, 13)), date(2026, 12, 15))
        # "mon" (French "my") is not Monday
        self.assertIsNone(self.date_of("mon rendez-vous"))
        # short day names: Turkish ones in any language, English ones in English only
        # ("sat" is also a typo of Turkish "saat")
        self.assertEqual(self.date_of("pzt"), MONDAY)
        self.assertEqual(self.date_of("cmt günü"), date(2026, 12, 12))
        self.assertEqual(normaliser.parse_date("on sat at 4", MONDAY, "en")[0], date(2026, 12, 12))
        self.assertEqual(normaliser.parse_date("next fri", MONDAY, "en")[0], date(2026, 12, 18))
        self.assertIsNone(normaliser.parse_date("sat 3te", MONDAY, "tr")[0])

    def test_dates_with_month_names(self):
        self.assertEqual(self.date_of("15 aralık"), date(2026, 12, 15))
        self.assertEqual(self.date_of("3 mars"), date(2027, 3, 3))
        self.assertEqual(self.date_of("December 15th"), date(2026, 12, 15))
        self.assertEqual(self.date_of("le 1er janvier"), date(2027, 1, 1))
        self.assertEqual(self.date_of("5 şubat"), date(2027, 2, 5))
        self.assertEqual(self.date_of("15/12"), date(2026, 12, 15))
        self.assertEqual(self.date_of("15.12.2026"), date(2026, 12, 15))
        self.assertEqual(self.date_of("1/12"), date(2027, 12, 1))

    def test_times(self):
        self.assertEqual(self.time_of("14:00"), (14, 0, True))
        self.assertEqual(self.time_of("14.00"), (14, 0, True))
        self.assertEqual(self.time_of("10.30"), (10, 30, True))
        self.assertEqual(self.time_of("14h"), (14, 0, True))
        self.assertEqual(self.time_of("à 10h30"), (10, 30, True))
        self.assertEqual(self.time_of("2pm"), (14, 0, True))
        self.assertEqual(self.time_of("12 am"), (0, 0, True))
        self.assertEqual(self.time_of("at 11"), (11, 0, False))
        self.assertEqual(self.time_of("saat 3te"), (3, 0, False))
        self.assertEqual(self.time_of("3te"), (3, 0, False))
        self.assertEqual(self.time_of("11'de"), (11, 0, False))
        self.assertEqual(self.time_of("à midi"), (12, 0, True))
        self.assertEqual(self.time_of("öğlen"), (12, 0, True))
        self.assertIsNone(self.time_of("après-midi"))
        self.assertIsNone(self.time_of("15.12"))
        self.assertIsNone(self.time_of("1"))
        self.assertIsNone(self.time_of("2 kişiyiz"))
        # the Turkish dative of a bare hour
        self.assertEqual(self.time_of("5'e yer var mı"), (5, 0, False))
        self.assertEqual(self.time_of("sabah 10'a"), (10, 0, False))
        self.assertEqual(self.time_of("2ye"), (2, 0, False))
        self.assertIsNone(self.time_of("2 e"))

    def test_bare_hours_resolved_against_opening_hours(self):
        def open_9_to_19(hour):
            return 9 <= hour < 19

        self.assertEqual(normaliser.resolve_hour(3, False, None, open_9_to_19), 15)
        self.assertEqual(normaliser.resolve_hour(10, False, None, open_9_to_19), 10)
        self.assertEqual(normaliser.resolve_hour(8, False, None, open_9_to_19), 8)
        self.assertEqual(normaliser.resolve_hour(3, True, None, open_9_to_19), 3)
        self.assertEqual(normaliser.resolve_hour(6, False, "evening", open_9_to_19), 18)
        self.assertEqual(normaliser.resolve_hour(2, True, "afternoon", open_9_to_19), 14)

    def test_parts_of_day(self):
        self.assertEqual(normaliser.parse_part_of_day(fold("öğleden sonra")), "afternoon")
        self.assertEqual(normaliser.parse_part_of_day(fold("après-midi")), "afternoon")
        self.assertEqual(normaliser.parse_part_of_day(fold("Friday afternoon")), "afternoon")
        self.assertEqual(normaliser.parse_part_of_day(fold("yarın sabah")), "morning")
        self.assertEqual(normaliser.parse_part_of_day(fold("demain matin")), "morning")
        self.assertEqual(normaliser.parse_part_of_day(fold("bu akşam")), "evening")
        self.assertEqual(normaliser.parse_part_of_day(fold("ce soir")), "evening")
        self.assertIsNone(normaliser.parse_part_of_day(fold("yarın")))
        # a greeting names a part of the day it does not ask for
        self.assertIsNone(normaliser.parse_part_of_day(fold("Merhaba iyi akşamlar")))
        self.assertIsNone(normaliser.parse_part_of_day(fold("good morning, any slot on Saturday?")))
        self.assertEqual(normaliser.parse_part_of_day(fold("good morning, tomorrow evening?")), "evening")

    def test_dateparser_alone_misreads_what_we_handle(self):
        """Why the normaliser exists: dateparser alone gets these wrong or not at all."""
        import dateparser

        base = {"RELATIVE_BASE": normaliser._midnight(MONDAY)}
        self.assertIsNone(dateparser.parse("haftaya salı", languages=["tr"], settings=base))
        self.assertIsNone(dateparser.parse("mardi prochain", languages=["fr"], settings=base))
        tomorrow_2pm = dateparser.parse("yarın saat 14:00", languages=["tr"], settings=base)
        self.assertNotEqual(tomorrow_2pm and (tomorrow_2pm.date(), tomorrow_2pm.hour), (date(2026, 12, 8), 14))
