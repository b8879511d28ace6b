from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestTranslationsCourseTill(TransactionCase):
    """A course refunded at the till and the till's course session and Refund to Account
    Credit speak Turkish and French: the sync's refusal, the course's state and the
    JavaScript terms."""

    def test_tr_and_fr_course_till_terms(self):
        message = "%(course)s is refunded by whole units."
        for lang, expected, state, session, button in (
            ("tr_TR", "X tam adetlerle iade edilir.", "İade Edildi", "Kür seansı 3/6", "Hesap Bakiyesine İade"),  # noqa: RUF001
            (
                "fr_FR",
                "X se rembourse par unités entières.",
                "Remboursé",
                "Séance de cure 3/6",
                "Rembourser en crédit de compte",
            ),
        ):
            with self.subTest(lang=lang):
                self.env["res.lang"]._activate_lang(lang)
                self.env["ir.module.module"]._load_module_terms(["randevu_pos"], [lang], overwrite=True)
                env = self.env(context={"lang": lang})
                self.assertEqual(env._(message, course="X"), expected)
                states = dict(env["randevu.course"]._fields["state"]._description_selection(env))
                self.assertEqual(states["refunded"], state)
                translations = self.env["ir.http"].get_translations_for_webclient(["randevu_pos"], lang)[0]
                messages = {message["id"]: message["string"] for message in translations["randevu_pos"]["messages"]}
                self.assertEqual(messages["Course session %(session)s"].replace("%(session)s", "3/6"), session)
                self.assertEqual(messages["Refund to Account Credit"], button)
