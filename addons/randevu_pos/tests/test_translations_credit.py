from odoo.tests import TransactionCase, tagged

TR_MESSAGE = "Bir müşterinin kredi limitini yalnızca Randevu yöneticileri değiştirebilir."  # noqa: RUF001
FR_MESSAGE = "Seuls les responsables Randevu peuvent modifier la limite de crédit d'un client."


@tagged("post_install", "-at_install")
class TestTranslationsCredit(TransactionCase):
    """Account credit's terms reach the Turkish and French front desks."""

    def test_tr_and_fr_credit_terms(self):
        for lang, message, label in (
            ("tr_TR", TR_MESSAGE, "Hesap Bakiyesi"),
            ("fr_FR", FR_MESSAGE, "Crédit de compte"),
        ):
            with self.subTest(lang=lang):
                self.env["res.lang"]._activate_lang(lang)
                self.env["ir.module.module"]._load_module_terms(["randevu_pos"], [lang], overwrite=True)
                env = self.env(context={"lang": lang})
                self.assertEqual(env._("Only Randevu managers may change a customer's credit limit."), message)
                field = env["res.partner"]._fields["randevu_credit_balance"]
                self.assertEqual(field._description_string(env), label)
