from odoo.tests import tagged

from odoo.addons.randevu_calendar.tests.catalogues import CatalogueChecks

from .common import RandevuBookingCase


@tagged("post_install", "-at_install")
class TestTranslations(CatalogueChecks, RandevuBookingCase):
    """The tr and fr catalogues load and translate the booking pages, from the server
    (code and templates) in the visitor's language."""

    i18n_addon = "randevu_booking"

    def test_tr_and_fr_pages(self):
        for lang, url_code, step, expected in (
            ("tr_TR", "tr", "2 / 5: Hizmet", "Ne için randevu almak istersiniz?"),
            ("fr_FR", "fr", "Étape 2 sur 5 : Prestation", "Que souhaitez-vous réserver ?"),
        ):
            with self.subTest(lang=lang):
                self.env["res.lang"]._activate_lang(lang)
                self.env["ir.module.module"]._load_module_terms(["randevu_booking"], [lang], overwrite=True)
                self.env.ref("website.default_website").language_ids |= self.env["res.lang"]._lang_get(lang)
                response = self.url_open(f"/{url_code}/book/{self.branch.id}")
                self.assertEqual(response.status_code, 200)
                text = response.text.replace("&#39;", "'")
                self.assertIn(step, text)
                self.assertIn(expected, text)

    def test_category_labels_in_tr_and_fr(self):
        """Service categories read in the visitor's language on the booking pages (their
        translatable label), in the backend's services too; a category without a label
        shows its name."""
        manager = self.make_user("categ_mgr", "base.group_user,randevu_calendar.group_randevu_manager", self.branch)
        for lang in ("tr_TR", "fr_FR"):
            self.env["res.lang"]._activate_lang(lang)
            self.env.ref("website.default_website").language_ids |= self.env["res.lang"]._lang_get(lang)
        # A Randevu manager names the category for clients, in each language.
        hair = self.hair.with_user(manager)
        hair.randevu_label = "Hair"
        hair.update_field_translations("randevu_label", {"tr_TR": "Saç", "fr_FR": "Coiffure"})
        self.assertEqual(self.hair.with_context(lang="en_US").randevu_display_name, "Hair")
        for url_code, hair_label in (("tr", "Saç"), ("fr", "Coiffure")):
            with self.subTest(lang=url_code):
                prefix = f"/{url_code}"
                page = self.url_open(f"{prefix}/book/{self.branch.id}").text
                self.assertIn(f'<span class="fw-bold">{hair_label}</span>', page)
                self.assertIn('<span class="fw-bold">Booking Colour</span>', page, "no label: the name")
                page = self.url_open(f"{prefix}/book/{self.branch.id}?category={self.hair.id}").text
                self.assertIn(f">{hair_label}</h1>", page)
        # The backend in Turkish: the services' category column and field.
        self.authenticate(manager.login, manager.login)
        action = self.env.ref("randevu_calendar.product_template_action_randevu_service")
        views = self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {
                "model": "product.template",
                "method": "get_views",
                "args": [],
                "kwargs": {"views": [[view.view_id.id, view.view_mode] for view in action.view_ids], "options": {}},
            },
        )
        arch = views["views"]["list"]["arch"]
        self.assertIn("randevu_category_label", arch, "the column asks for the label")
        [service] = self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {
                "model": "product.template",
                "method": "web_read",
                "args": [self.haircut.ids],
                "kwargs": {
                    "specification": {
                        "categ_id": {"fields": {"display_name": {}}, "context": {"randevu_category_label": True}}
                    },
                    "context": {"lang": "tr_TR", "allowed_company_ids": self.branch.ids},
                },
            },
        )
        self.assertEqual(service["categ_id"]["display_name"], "Saç")
        self.assertEqual(self.hair.with_context(lang="tr_TR").display_name, "Booking Hair", "other apps: the name")

    def test_tr_and_fr_messages(self):
        """The booking's messages and those of the waitlist, the review and the builder."""
        expected = {
            "tr_TR": (
                "Üzgünüz, bu saat az önce doldu. Lütfen başka bir saat seçin.",
                "Üzgünüz, bu teklifin süresi doldu.",
                "Bu ziyareti zaten değerlendirdiniz. Teşekkür ederiz!",
            ),
            "fr_FR": (
                "Désolé, cet horaire vient d'être pris. Merci d'en choisir un autre.",
                "Désolé, cette offre est terminée.",
                "Vous avez déjà donné votre avis sur cette visite. Merci !",
            ),
        }
        for lang, messages in expected.items():
            with self.subTest(lang=lang):
                self.env["res.lang"]._activate_lang(lang)
                self.env["ir.module.module"]._load_module_terms(["randevu_booking"], [lang], overwrite=True)
                env = self.env(context={"lang": lang})
                self.assertEqual(
                    (
                        env._("Sorry, this time was just taken. Please pick another one."),
                        env._("Sorry, this offer has ended."),
                        env._("You already reviewed this visit. Thank you!"),
                    ),
                    messages,
                )
