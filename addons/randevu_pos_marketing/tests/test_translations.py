from odoo.tests import TransactionCase, tagged

from odoo.addons.randevu_calendar.tests.catalogues import CatalogueChecks


@tagged("post_install", "-at_install")
class TestTranslations(CatalogueChecks, TransactionCase):
    """The tr and fr catalogues of randevu_pos_marketing load and translate its terms."""

    i18n_addon = "randevu_pos_marketing"
