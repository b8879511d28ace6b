# The Turkish service names of the demo (dotless i).
# ruff: noqa: RUF001
from itertools import pairwise

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestDemoSalon(HttpCase):
    """The demo data (`make run`, `make test`) is a believable salon: two branches in
    their own currencies, Turkish and French installed and listed by the website, users
    in their language and branch, and an agenda where nobody is in two places at once.
    Skipped on a database without the demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kadikoy = cls.env.ref("randevu_calendar.randevu_branch_kadikoy", raise_if_not_found=False)
        cls.paris = cls.env.ref("randevu_calendar.randevu_branch_paris", raise_if_not_found=False)

    def setUp(self):
        super().setUp()
        if not self.kadikoy:
            self.skipTest("no demo data")

    def test_branches_in_their_own_currency(self):
        self.assertRecordValues(
            self.kadikoy | self.paris,
            [
                {"currency_id": self.env.ref("base.TRY").id, "parent_id": False},
                {"currency_id": self.env.ref("base.EUR").id, "parent_id": False},
            ],
        )
        self.assertTrue(self.kadikoy.logo and self.paris.logo)
        for branch in self.kadikoy | self.paris:
            services = self.env["product.template"].search(
                [("is_appointment_service", "=", True), ("company_id", "in", [branch.id, False])]
            )
            self.assertTrue(services)
            self.assertEqual(services.company_id, branch, "each branch prices its own services")
            self.assertEqual(services.currency_id, branch.currency_id)
            if "chart_template" in branch._fields:  # randevu_account: deposits and invoices post there
                self.assertTrue(branch.chart_template)

    def test_only_the_salon_staff_is_bookable(self):
        for branch in self.kadikoy | self.paris:
            staff = self.env["hr.employee"].search(
                [("randevu_branch_ids", "in", branch.id), ("randevu_bookable", "=", True)]
            )
            self.assertEqual(len(staff), 3)
            self.assertTrue(
                all(employee.get_external_id()[employee.id].startswith("randevu_calendar.") for employee in staff)
            )

    def test_languages_installed_and_on_the_website(self):
        langs = self.env["res.lang"].search([("code", "in", ("tr_TR", "fr_FR"))])
        self.assertEqual(set(langs.mapped("code")), {"tr_TR", "fr_FR"})
        website = self.env.ref("website.default_website")
        self.assertLessEqual(langs, website.language_ids)
        for prefix in ("tr", "fr"):
            response = self.url_open(f"/{prefix}/book/{(self.kadikoy if prefix == 'tr' else self.paris).id}")
            self.assertEqual(response.status_code, 200)
            self.assertIn(f'lang="{prefix}-', response.text.replace("lang='", 'lang="'))
        haircut = self.env.ref("randevu_calendar.randevu_service_haircut_kadikoy")
        self.assertEqual(haircut.with_context(lang="tr_TR").name, "Kadın saç kesimi")
        self.assertEqual(
            self.env.ref("randevu_calendar.randevu_service_haircut").with_context(lang="fr_FR").name, "Coupe femme"
        )

    def test_service_categories_in_tr_and_fr(self):
        hair = self.env.ref("randevu_calendar.randevu_category_hair")
        self.assertEqual(hair.with_context(lang="tr_TR").randevu_display_name, "Saç")
        self.assertEqual(hair.with_context(lang="fr_FR").randevu_display_name, "Coiffure")
        for prefix, branch, labels in (
            ("tr", self.kadikoy, ("Saç", "Boya", "Güzellik")),
            ("fr", self.paris, ("Coiffure", "Coloration", "Beauté")),
        ):
            page = self.url_open(f"/{prefix}/book/{branch.id}").text
            for label in labels:
                self.assertIn(f'<span class="fw-bold">{label}</span>', page)

    def test_home_page_in_tr_and_fr(self):
        """The demo home page's own texts (hero, section titles), not only its live
        blocks, read in the visitor's language."""
        for prefix, texts in (
            ("", ("Services and prices", "Meet the team", "Haircuts, colour, nails")),
            ("/tr", ("Hizmetler ve fiyatlar", "Ekibimizle tanışın", "saç kesimi, boya, tırnak")),
            ("/fr", ("Services et tarifs", "Découvrez", "Coupe, couleur, ongles")),
        ):
            page = self.url_open(f"{prefix}/").text
            for text in texts:
                self.assertIn(text, page, f"{prefix or '/'}")

    def test_users_have_their_language_and_branch(self):
        users = {
            "admin": ("en_US", self.kadikoy),
            "reception": ("tr_TR", self.kadikoy),
            "stylist": ("tr_TR", self.kadikoy),
            "camille": ("fr_FR", self.paris),
            "customer": ("tr_TR", self.kadikoy),
        }
        for login, (lang, branch) in users.items():
            user = self.env["res.users"].search([("login", "=", login)])
            self.assertEqual((user.lang, user.company_id), (lang, branch), login)
        admin = self.env.ref("base.user_admin")
        self.assertLessEqual(self.kadikoy | self.paris, admin.company_ids)

    def test_nobody_in_two_places_at_once(self):
        """No customer has two appointments that overlap (cancelled ones aside), and no
        staff member two busy segments that overlap."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT a.id, b.id
              FROM randevu_appointment a
              JOIN randevu_appointment b ON a.partner_id = b.partner_id AND a.id < b.id
             WHERE a.state != 'cancelled' AND b.state != 'cancelled'
               AND tsrange(a.start, a.stop) && tsrange(b.start, b.stop)
            """
        )
        self.assertEqual(self.env.cr.fetchall(), [], "a customer in two chairs at once")
        self.env.cr.execute(
            """
            SELECT a.id, b.id
              FROM randevu_appointment_segment a
              JOIN randevu_appointment_segment b ON a.employee_id = b.employee_id AND a.id < b.id
             WHERE tsrange(a.start, a.stop) && tsrange(b.start, b.stop)
            """
        )
        self.assertEqual(self.env.cr.fetchall(), [], "a staff member with two clients at once")

    def test_customers_have_a_story(self):
        Appointment = self.env["randevu.appointment"]

        def visits(xmlid):
            return Appointment.search(
                [("partner_id", "=", self.env.ref(f"randevu_calendar.{xmlid}").id)], order="start"
            )

        for regular in ("randevu_customer_zeynep", "randevu_customer_chloe"):
            done = visits(regular).filtered(lambda appt: appt.state == "done")
            self.assertGreaterEqual(len(done), 5, regular)
            gaps = {(b.start.date() - a.start.date()).days for a, b in pairwise(done)}
            self.assertTrue(all(33 <= gap <= 40 for gap in gaps), f"{regular} comes every 5 weeks: {gaps}")
            self.assertTrue(visits(regular).filtered(lambda appt: appt.state in ("booked", "confirmed")))
        for new in ("randevu_customer_deniz", "randevu_customer_hugo"):
            self.assertEqual(len(visits(new)), 1, new)
            self.assertEqual(visits(new).source, "website")
        for absent in ("randevu_customer_burak", "randevu_customer_thomas"):
            self.assertEqual(visits(absent).mapped("state").count("no_show"), 2, absent)
        # The current week is busy: every open day has appointments at both branches.
        for branch in self.kadikoy | self.paris:
            count = Appointment.search_count([("company_id", "=", branch.id), ("state", "!=", "cancelled")])
            self.assertGreater(count, 150, branch.name)
