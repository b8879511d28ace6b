import re
from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    """The tr and fr catalogues of randevu_account load and translate its terms."""

    def test_tr_and_fr_terms(self):
        for lang, expected, deposit in (
            ("tr_TR", "Depozito zamanında ödenmedi", "Depozito"),  # noqa: RUF001 (Turkish dotless i)
            ("fr_FR", "Acompte non payé à temps", "Acompte"),
        ):
            with self.subTest(lang=lang):
                self.env["res.lang"]._activate_lang(lang)
                self.env["ir.module.module"]._load_module_terms(["randevu_account"], [lang], overwrite=True)
                env = self.env(context={"lang": lang})
                self.assertEqual(env._("Deposit not paid in time"), expected)
                field = env["randevu.appointment"]._fields["randevu_deposit_amount"]
                self.assertEqual(field._description_string(env), deposit)

    def test_catalogues_translate_every_term(self):
        """Every term of the addon's template (.pot) has a tr and a fr translation."""
        folder = Path(__file__).parent.parent / "i18n"
        terms = set(re.findall(r'^msgid "(.+)"$', (folder / "randevu_account.pot").read_text(), re.M))
        for lang in ("tr", "fr"):
            with self.subTest(lang=lang):
                entries = polib.pofile(str(folder / f"{lang}.po"))
                untranslated = [entry.msgid for entry in entries if not entry.translated() and not entry.obsolete]
                self.assertFalse(untranslated, f"{lang}.po lacks translations")
                self.assertGreaterEqual(len(entries.translated_entries()), len(terms))

    def test_catalogues_match_template(self):
        """The tr and fr catalogues hold exactly the template's terms: none fuzzy, none stale."""
        folder = Path(__file__).parent.parent / "i18n"
        template = {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(folder / "randevu_account.pot"))}
        for lang in ("tr", "fr"):
            with self.subTest(lang=lang):
                entries = polib.pofile(str(folder / f"{lang}.po"))
                self.assertFalse(entries.fuzzy_entries(), f"{lang}.po has fuzzy entries")
                self.assertEqual({(entry.msgctxt, entry.msgid) for entry in entries}, template)
