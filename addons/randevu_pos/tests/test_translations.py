from odoo.tests import TransactionCase, tagged

from odoo.addons.randevu_calendar.tests.catalogues import CatalogueChecks


@tagged("post_install", "-at_install")
class TestTranslations(CatalogueChecks, TransactionCase):
    """The tr and fr catalogues of randevu_pos load and translate its terms."""

    i18n_addon = "randevu_pos"

    def test_tr_and_fr_terms(self):
        for lang, expected, performer in (
            ("tr_TR", "Yalnızca şubenin Randevu kullanıcıları randevuları kasada kapatabilir.", "Hizmeti Veren"),  # noqa: RUF001
            (
                "fr_FR",
                "Seuls les utilisateurs Randevu de la succursale peuvent encaisser les rendez-vous.",
                "Réalisé par",
            ),
        ):
            with self.subTest(lang=lang):
                self.env["res.lang"]._activate_lang(lang)
                self.env["ir.module.module"]._load_module_terms(["randevu_pos"], [lang], overwrite=True)
                env = self.env(context={"lang": lang})
                self.assertEqual(env._("Only the branch's Randevu users may check out appointments."), expected)
                field = env["pos.order.line"]._fields["randevu_employee_id"]
                self.assertEqual(field._description_string(env), performer)
