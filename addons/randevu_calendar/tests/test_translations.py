from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from .catalogues import CatalogueChecks


@tagged("post_install", "-at_install")
class TestTranslations(CatalogueChecks, TransactionCase):
    """The tr and fr catalogues load and translate model, view and code terms."""

    i18n_addon = "randevu_calendar"

    def test_tr_and_fr(self):
        for lang, no_show, planner, busy_message, refused in (
            ("tr_TR", "Gelmedi", "Günlük Plan", "Bu saat az önce doldu", "X şubesinde çevrimiçi randevu"),
            ("fr_FR", "Non présenté", "Planning du jour", "Cet horaire vient", "La réservation en ligne chez X"),
        ):
            with self.subTest(lang=lang):
                self.env["res.lang"]._activate_lang(lang)
                self.env["ir.module.module"]._load_module_terms(["randevu_calendar"], [lang], overwrite=True)
                env = self.env(context={"lang": lang})
                states = dict(env["randevu.appointment"]._fields["state"]._description_selection(env))
                self.assertEqual(states["no_show"], no_show)
                self.assertEqual(env.ref("randevu_calendar.randevu_day_planner_menu").name, planner)
                message = env._(
                    "This time was just taken: %(what)s already has an appointment that overlaps "
                    "%(appointments)s. Please pick another time.",
                    what="X",
                    appointments="Y",
                )
                self.assertTrue(message.startswith(busy_message), message)
                message = env._(
                    "Online booking at %(branch)s is closed for you: %(reason)s. Please call %(phone)s to book.",
                    branch="X",
                    reason="Y",
                    phone="Z",
                )
                self.assertTrue(message.startswith(refused), message)

    def test_booking_service_terms(self):
        """The booking service's messages are randevu_calendar's own terms: translated
        without the website addon's catalogue."""
        tr_name_missing = "Lütfen adınızı girin."  # noqa: RUF001 (Turkish dotless i)
        for lang, name_missing in (("tr_TR", tr_name_missing), ("fr_FR", "Merci de saisir votre nom.")):
            with self.subTest(lang=lang):
                self.env["res.lang"]._activate_lang(lang)
                self.env["ir.module.module"]._load_module_terms(["randevu_calendar"], [lang], overwrite=True)
                service = self.env["randevu.booking.service"].with_context(lang=lang)
                _details, errors = service._check_details(self.env.company, {"phone": "+33612345678"})
                self.assertEqual(errors["name"], name_missing)
