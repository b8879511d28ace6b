from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestTranslationsSettle(TransactionCase):
    """Settling what is due speaks Turkish and French: the sync's refusal, the field the
    till shows and the JavaScript terms of the Settle Due button."""

    def test_tr_and_fr_settle_terms(self):
        message = "%(order)s settles a due: choose the customer."
        for lang, expected, label, button in (
            ("tr_TR", "X bir borcu kapatıyor: müşteriyi seçin.", "Şubedeki Borç", "Tahsil Et"),  # noqa: RUF001
            ("fr_FR", "X règle un dû : choisissez le client.", "Dû à la succursale", "Régler"),
        ):
            with self.subTest(lang=lang):
                self.env["res.lang"]._activate_lang(lang)
                self.env["ir.module.module"]._load_module_terms(["randevu_pos"], [lang], overwrite=True)
                env = self.env(context={"lang": lang})
                self.assertEqual(env._(message, order="X"), expected)
                field = env["res.partner"]._fields["randevu_pos_due"]
                self.assertEqual(field._description_string(env), label)
                translations = self.env["ir.http"].get_translations_for_webclient(["randevu_pos"], lang)[0]
                messages = {message["id"]: message["string"] for message in translations["randevu_pos"]["messages"]}
                self.assertEqual(messages["Settle"], button)
