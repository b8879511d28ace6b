from odoo.tests import tagged

from odoo.addons.randevu_calendar.tests.catalogues import CatalogueChecks

from .common import RandevuBookingCase


@tagged("post_install", "-at_install")
class TestTranslations(CatalogueChecks, RandevuBookingCase):
    """The tr and fr catalogues load and translate the booking pages, from the server
    (code and templates) in the visitor's language."""

    i18n_addon = "randevu_booking"

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
