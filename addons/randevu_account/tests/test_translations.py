from odoo.tests import TransactionCase, tagged

from odoo.addons.randevu_calendar.tests.catalogues import CatalogueChecks


@tagged("post_install", "-at_install")
class TestTranslations(CatalogueChecks, TransactionCase):
    """The tr and fr catalogues of randevu_account load and translate its terms."""

    i18n_addon = "randevu_account"

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
