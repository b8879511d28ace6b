"""The check every Randevu addon's translation tests share: its tr and fr catalogues
against its template."""

from pathlib import Path

import polib

from odoo.modules.module import get_module_path


class CatalogueChecks:
    """Mixin of an addon's TestTranslations (set `i18n_addon`): every term of the
    addon's template (.pot) has a tr and a fr translation, none fuzzy, and the
    catalogues hold exactly the template's terms (none the template dropped)."""

    i18n_addon = None
    # Odoo's loader runs only the test methods a class defines itself, unless told.
    allow_inherited_tests_method = True

    def test_catalogues_translate_every_term(self):
        folder = Path(get_module_path(self.i18n_addon)) / "i18n"
        template = {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(folder / f"{self.i18n_addon}.pot"))}
        self.assertTrue(template, "the template has terms")
        for lang in ("tr", "fr"):
            with self.subTest(lang=lang):
                entries = polib.pofile(str(folder / f"{lang}.po"))
                untranslated = [entry.msgid for entry in entries if not entry.translated() and not entry.obsolete]
                self.assertFalse(untranslated, f"{lang}.po lacks translations")
                self.assertFalse(entries.fuzzy_entries(), f"{lang}.po has fuzzy entries")
                self.assertEqual({(entry.msgctxt, entry.msgid) for entry in entries}, template)
