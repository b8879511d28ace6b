import re
from pathlib import Path

import polib

from odoo.tests import tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    """The tr and fr catalogues load and translate model, view and code terms."""

    def test_tr_and_fr(self):
        for lang, no_show, planner, busy_message, refused in (
            ("tr_TR", "Gelmedi", "Günlük Plan", "Bu saat az önce doldu", "X şubesinde çevrimiçi randevu"),
            ("fr_FR", "Non présenté", "Planning du jour", "Cet horaire vient", "La réservation en ligne chez X"),
        ):
            with self.subTest(lang=lang):
                self.env["res.lang"]._activate_lang(lang)
                self.env["ir.module.module"]._load_module_terms(["randevu_calendar"], [lang], overwrite=True)
                env = self.env(context={"lang": lang})
                states = dict(env["randevu.appointment"]._fields["state"]._description_selection(env))
                self.assertEqual(states["no_show"], no_show)
                self.assertEqual(env.ref("randevu_calendar.randevu_day_planner_menu").name, planner)
                message = env._(
                    "This time was just taken: %(what)s already has an appointment that overlaps "
                    "%(appointments)s. Please pick another time.",
                    what="X",
                    appointments="Y",
                )
                self.assertTrue(message.startswith(busy_message), message)
                message = env._(
                    "Online booking at %(branch)s is closed for you: %(reason)s. Please call %(phone)s to book.",
                    branch="X",
                    reason="Y",
                    phone="Z",
                )
                self.assertTrue(message.startswith(refused), message)

    def test_booking_service_terms(self):
        """The booking service's messages are randevu_calendar's own terms: translated
        without the website addon's catalogue."""
        tr_name_missing = "Lütfen adınızı girin."  # noqa: RUF001 (Turkish dotless i)
        for lang, name_missing in (("tr_TR", tr_name_missing), ("fr_FR", "Merci de saisir votre nom.")):
            with self.subTest(lang=lang):
                self.env["res.lang"]._activate_lang(lang)
                self.env["ir.module.module"]._load_module_terms(["randevu_calendar"], [lang], overwrite=True)
                service = self.env["randevu.booking.service"].with_context(lang=lang)
                _details, errors = service._check_details(self.env.company, {"phone": "+33612345678"})
                self.assertEqual(errors["name"], name_missing)

    def test_catalogues_translate_every_term(self):
        """Every term of the addon's template (.pot) has a tr and a fr translation, and the
        catalogues keep no term the template dropped."""
        folder = Path(__file__).parent.parent / "i18n"
        terms = set(re.findall(r'^msgid "(.+)"$', (folder / "randevu_calendar.pot").read_text(), re.M))
        template = {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(folder / "randevu_calendar.pot"))}
        for lang in ("tr", "fr"):
            with self.subTest(lang=lang):
                entries = polib.pofile(str(folder / f"{lang}.po"))
                untranslated = [entry.msgid for entry in entries if not entry.translated() and not entry.obsolete]
                self.assertFalse(untranslated, f"{lang}.po lacks translations")
                self.assertFalse(entries.fuzzy_entries(), f"{lang}.po has fuzzy entries")
                self.assertGreaterEqual(len(entries.translated_entries()), len(terms))
                self.assertEqual({(entry.msgctxt, entry.msgid) for entry in entries}, template)
