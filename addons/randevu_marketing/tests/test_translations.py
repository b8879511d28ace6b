from odoo.tests import TransactionCase, tagged

from odoo.addons.randevu_calendar.tests.catalogues import CatalogueChecks


@tagged("post_install", "-at_install")
class TestTranslations(CatalogueChecks, TransactionCase):
    """The tr and fr catalogues of randevu_marketing load and translate its terms."""

    i18n_addon = "randevu_marketing"

    def test_tr_and_fr_terms(self):
        message = "A consent changes only by recording a new consent or withdrawal, never by editing it."
        for lang, expected, label in (
            (
                "tr_TR",
                "Bir izin yalnızca yeni bir izin ya da geri çekme kaydedilerek değişir, asla düzenlenerek değil.",  # noqa: RUF001
                "Mesaj gönderilebilir",
            ),
            (
                "fr_FR",
                "Un consentement ne change qu'en enregistrant un nouveau consentement ou un retrait, "
                "jamais en le modifiant.",
                "Peut recevoir des messages",
            ),
        ):
            with self.subTest(lang=lang):
                self.env["res.lang"]._activate_lang(lang)
                self.env["ir.module.module"]._load_module_terms(["randevu_marketing"], [lang], overwrite=True)
                env = self.env(context={"lang": lang})
                self.assertEqual(env._(message), expected)
                field = env["randevu.consent"]._fields["applies"]
                self.assertEqual(field._description_string(env), label)
