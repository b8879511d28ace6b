from odoo.tests import TransactionCase, tagged

from odoo.addons.randevu_calendar.tests.catalogues import CatalogueChecks


@tagged("post_install", "-at_install")
class TestTranslations(CatalogueChecks, TransactionCase):
    """The tr and fr catalogues of randevu_inventory load and translate its terms."""

    i18n_addon = "randevu_inventory"

    def test_tr_and_fr_terms(self):
        message = "The products of a done appointment are written off: reopen it to change them."
        for lang, expected, label in (
            (
                "tr_TR",
                "Tamamlanan bir randevunun ürünleri stoktan düşüldü: değiştirmek için randevuyu yeniden açın.",  # noqa: RUF001
                "Kullanılan Partiler",  # noqa: RUF001
            ),
            (
                "fr_FR",
                "Les produits d'un rendez-vous terminé sont sortis du stock : rouvrez-le pour les modifier.",
                "Lots utilisés",
            ),
        ):
            with self.subTest(lang=lang):
                self.env["res.lang"]._activate_lang(lang)
                self.env["ir.module.module"]._load_module_terms(["randevu_inventory"], [lang], overwrite=True)
                env = self.env(context={"lang": lang})
                self.assertEqual(env._(message), expected)
                field = env["randevu.appointment.consumable"]._fields["used_lot_ids"]
                self.assertEqual(field._description_string(env), label)
