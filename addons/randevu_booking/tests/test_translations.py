import re
from pathlib import Path

import polib

from odoo.tests import tagged

from .common import RandevuBookingCase


@tagged("post_install", "-at_install")
class TestTranslations(RandevuBookingCase):
    """The tr and fr catalogues load and translate the booking pages, from the server
    (code and templates) in the visitor's language."""

    def test_tr_and_fr_pages(self):
        for lang, url_code, step, expected in (
            ("tr_TR", "tr", "2 / 5: Hizmet", "Ne için randevu almak istersiniz?"),
            ("fr_FR", "fr", "Étape 2 sur 5 : Prestation", "Que souhaitez-vous réserver ?"),
        ):
            with self.subTest(lang=lang):
                self.env["res.lang"]._activate_lang(lang)
                self.env["ir.module.module"]._load_module_terms(["randevu_booking"], [lang], overwrite=True)
                self.env.ref("website.default_website").language_ids |= self.env["res.lang"]._lang_get(lang)
                response = self.url_open(f"/{url_code}/book/{self.branch.id}")
                self.assertEqual(response.status_code, 200)
                text = response.text.replace("&#39;", "'")
                self.assertIn(step, text)
                self.assertIn(expected, text)

    def test_tr_and_fr_messages(self):
        """The booking's messages and those of the waitlist, the review and the builder."""
        expected = {
            "tr_TR": (
                "Üzgünüz, bu saat az önce doldu. Lütfen başka bir saat seçin.",
                "Üzgünüz, bu teklifin süresi doldu.",
                "Bu ziyareti zaten değerlendirdiniz. Teşekkür ederiz!",
            ),
            "fr_FR": (
                "Désolé, cet horaire vient d'être pris. Merci d'en choisir un autre.",
                "Désolé, cette offre est terminée.",
                "Vous avez déjà donné votre avis sur cette visite. Merci !",
            ),
        }
        for lang, messages in expected.items():
            with self.subTest(lang=lang):
                self.env["res.lang"]._activate_lang(lang)
                self.env["ir.module.module"]._load_module_terms(["randevu_booking"], [lang], overwrite=True)
                env = self.env(context={"lang": lang})
                self.assertEqual(
                    (
                        env._("Sorry, this time was just taken. Please pick another one."),
                        env._("Sorry, this offer has ended."),
                        env._("You already reviewed this visit. Thank you!"),
                    ),
                    messages,
                )

    def test_catalogues_translate_every_term(self):
        """Every term of the addon's template (.pot) has a tr and a fr translation."""
        folder = Path(__file__).parent.parent / "i18n"
        terms = set(re.findall(r'^msgid "(.+)"$', (folder / "randevu_booking.pot").read_text(), re.M))
        for lang in ("tr", "fr"):
            with self.subTest(lang=lang):
                entries = polib.pofile(str(folder / f"{lang}.po"))
                untranslated = [entry.msgid for entry in entries if not entry.translated() and not entry.obsolete]
                self.assertFalse(untranslated, f"{lang}.po lacks translations")
                self.assertGreaterEqual(len(entries.translated_entries()), len(terms))

    def test_catalogues_match_template(self):
        """The tr and fr catalogues hold exactly the template's terms: none fuzzy, none stale."""
        folder = Path(__file__).parent.parent / "i18n"
        template = {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(folder / "randevu_booking.pot"))}
        for lang in ("tr", "fr"):
            with self.subTest(lang=lang):
                entries = polib.pofile(str(folder / f"{lang}.po"))
                self.assertFalse(entries.fuzzy_entries(), f"{lang}.po has fuzzy entries")
                self.assertEqual({(entry.msgctxt, entry.msgid) for entry in entries}, template)
