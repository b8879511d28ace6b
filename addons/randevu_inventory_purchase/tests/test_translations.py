from odoo.tests import TransactionCase, tagged

from odoo.addons.randevu_calendar.tests.catalogues import CatalogueChecks


@tagged("post_install", "-at_install")
class TestTranslations(CatalogueChecks, TransactionCase):
    """The tr and fr catalogues of randevu_inventory_purchase load and translate its terms."""

    i18n_addon = "randevu_inventory_purchase"

    def test_tr_and_fr_terms(self):
        message = "Proposed purchase: %(order)s, %(quantity)s %(unit)s from %(vendor)s (draft, to confirm)."
        for lang, expected, label in (
            (
                "tr_TR",
                "Önerilen satın alma: %(order)s, %(vendor)s tedarikçisinden %(quantity)s %(unit)s "  # noqa: RUF001
                "(taslak, onaylanacak).",
                "Önerilen Satın Alma",  # noqa: RUF001
            ),
            (
                "fr_FR",
                "Achat proposé : %(order)s, %(quantity)s %(unit)s chez %(vendor)s (brouillon, à confirmer).",
                "Achat proposé",
            ),
        ):
            with self.subTest(lang=lang):
                self.env["res.lang"]._activate_lang(lang)
                self.env["ir.module.module"]._load_module_terms(["randevu_inventory_purchase"], [lang], overwrite=True)
                env = self.env(context={"lang": lang})
                self.assertEqual(env._(message), expected)
                field = env["stock.warehouse.orderpoint"]._fields["randevu_purchase_order_id"]
                self.assertEqual(field._description_string(env), label)
