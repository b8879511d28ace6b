from odoo.tests import TransactionCase, tagged

from odoo.addons.randevu_calendar.tests.catalogues import CatalogueChecks


@tagged("post_install", "-at_install")
class TestTranslations(CatalogueChecks, TransactionCase):
    """The tr and fr catalogues of randevu_inbox load and translate its terms."""

    i18n_addon = "randevu_inbox"

    def test_tr_and_fr_terms(self):
        for lang, expected, label, provider in (
            ("tr_TR", "Müşteri WhatsApp mesajlarını kabul etmedi.", "Yanıt Bekliyor", "SMS Sağlayıcısı"),  # noqa: RUF001
            ("fr_FR", "Le client n'a pas accepté les messages WhatsApp.", "En attente de réponse", "Fournisseur SMS"),
        ):
            with self.subTest(lang=lang):
                self.env["res.lang"]._activate_lang(lang)
                self.env["ir.module.module"]._load_module_terms(["randevu_inbox"], [lang], overwrite=True)
                env = self.env(context={"lang": lang})
                self.assertEqual(env._("The customer has not agreed to WhatsApp messages."), expected)
                field = env["randevu.conversation"]._fields["waiting"]
                self.assertEqual(field._description_string(env), label)
                provider_field = env["res.company"]._fields["randevu_sms_provider"]
                self.assertEqual(provider_field._description_string(env), provider)
