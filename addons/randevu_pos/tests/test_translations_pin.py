from odoo.tests import TransactionCase, tagged

# pos_hr's till terms that Odoo 18.0 ships untranslated in Turkish (i18n_extra/tr.po).
POS_HR_TR = {
    "Enter your PIN": "PIN'inizi girin",
    "Open Register": "Kasayı Aç",  # noqa: RUF001
    "Unlock Register": "Kasanın Kilidini Aç",  # noqa: RUF001
    "PIN not found": "PIN bulunamadı",  # noqa: RUF001
    "No Cashiers": "Kasiyer yok",
    "There is no cashier available.": "Uygun kasiyer yok.",
}


@tagged("post_install", "-at_install")
class TestTranslationsPin(TransactionCase):
    """The employee login of a Turkish or French till speaks its language: the terms the
    web client loads (all modules' terms merged into one dictionary, as the till does)
    hold Turkish for pos_hr's login terms, which pos_hr 18.0 leaves empty, and French."""

    def webclient_terms(self, lang):
        self.env["res.lang"]._activate_lang(lang)
        modules = ["point_of_sale", "pos_hr", "randevu_pos"]
        translations = self.env["ir.http"].get_translations_for_webclient(modules, lang)[0]
        terms = {}
        for module in translations:
            terms.update({message["id"]: message["string"] for message in translations[module]["messages"]})
        return terms

    def test_pos_hr_login_in_turkish(self):
        terms = self.webclient_terms("tr_TR")
        for term, expected in POS_HR_TR.items():
            with self.subTest(term=term):
                self.assertEqual(terms.get(term), expected)

    def test_pos_hr_login_in_french(self):
        terms = self.webclient_terms("fr_FR")
        self.assertEqual(terms.get("Enter your PIN"), "Saisir votre PIN")
        self.assertEqual(terms.get("Open Register"), "Ouvrir la caisse")
