# ruff: noqa: RUF001 (Turkish dotless i)
import html

from lxml import etree
from lxml import html as lxml_html

from odoo.tests import tagged

from .common import RandevuBookingCase

# The home page as the owner builds it in the builder: the salon's live blocks, each
# with its placeholder (views/snippets/s_randevu_home.xml).
LIVE_SECTIONS = "".join(
    f'<section class="s_randevu_{kind} pt64 pb64" data-snippet="s_randevu_{kind}">'
    f'<div class="container"><h2 class="h2 mb-4">{title}</h2>'
    f'<div class="s_randevu_live o_not_editable" data-randevu-block="{kind}">'
    f'<p class="text-muted s_randevu_live_placeholder">{placeholder}</p></div></div></section>'
    for kind, title, placeholder in (
        ("services", "Services and prices", "Your services, with their prices and durations, appear here."),
        ("team", "Meet the team", "The staff who take appointments appear here."),
        ("reviews", "What our clients say", "Your clients' best reviews appear here."),
        ("branches", "Visit us", "Your branches, their address and opening hours appear here."),
    )
)
PLACEHOLDER = "appear here."


@tagged("post_install", "-at_install")
class TestHomeRenderedOnTheServer(RandevuBookingCase):
    """The live blocks of the home page carry their content in the page's HTML (no
    JavaScript needed: crawlers, link previews, slow phones), in the page's language,
    and the page the editor saves keeps the blocks without a copy of the data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.website = cls._website_in_tr_and_fr()
        cls.haircut.with_context(lang="fr_FR").name = "Coupe de cheveux"
        cls.haircut.with_context(lang="tr_TR").name = "Saç kesimi"
        cls.home = cls.website.with_context(website_id=cls.website.id).viewref("website.homepage")
        cls.home.with_context(website_id=cls.website.id, lang="en_US").arch_db = (
            '<t name="Homepage" t-name="website.homepage"><t t-call="website.layout">'
            f'<div id="wrap" class="oe_structure oe_empty">{LIVE_SECTIONS}</div></t></t>'
        )
        cls.home = cls.website.with_context(website_id=cls.website.id).viewref("website.homepage")

    def page(self, url):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return html.unescape(response.text)

    def live(self, text, kind):
        """The HTML inside the live block `kind` of a page."""
        return text.split(f'data-randevu-block="{kind}"', 1)[1].split("</section>", 1)[0]

    def test_home_without_javascript(self):
        text = self.page("/")
        services = self.live(text, "services")
        self.assertIn("s_randevu_live_content", services)
        self.assertIn('data-service-name="Haircut"', services)
        self.assertIn('data-price="40.0"', services)
        self.assertIn("30 min", services)
        self.assertNotIn("Backstage trim", services, "not bookable online")
        team = self.live(text, "team")
        self.assertIn('data-staff-name="Anna"', team)
        self.assertIn('data-staff-name="Bruno"', team)
        branches = self.live(text, "branches")
        self.assertIn("1 rue du Test, 75001 Paris", branches)
        self.assertIn("Opening hours", branches)
        self.assertIn("No reviews yet.", self.live(text, "reviews"))
        self.assertNotIn(PLACEHOLDER, text, "the placeholders are replaced by the content")

    def test_home_in_turkish_and_french(self):
        for url, name, hours, book in (
            ("/fr/", "Coupe de cheveux", "Horaires d'ouverture", "Réserver ici"),
            ("/tr/", "Saç kesimi", "Çalışma saatleri", "Buradan randevu al"),
        ):
            with self.subTest(url=url):
                text = self.page(url)
                services = self.live(text, "services")
                self.assertIn(f'data-service-name="{name}"', services)
                self.assertNotIn("Haircut", services)
                self.assertIn('data-price="40.0"', services)
                self.assertIn('data-staff-name="Anna"', self.live(text, "team"))
                branches = self.live(text, "branches")
                self.assertIn(hours, branches)
                self.assertIn(book, branches)

    def test_block_route_is_the_same_content(self):
        fragment = self.page("/randevu/block/services")
        self.assertTrue(fragment.strip().startswith('<div class="s_randevu_live_content">'))
        self.assertIn('data-service-name="Haircut"', fragment)
        self.assertIn('data-service-name="Coupe de cheveux"', self.page("/randevu/block/services?lang=fr_FR"))

    def test_editor_save_keeps_the_blocks_not_the_data(self):
        """As the editor does: the owner's page is rendered with the editor's branding,
        the edited section (#wrap) is sent back to ir.ui.view.save with its xpath."""
        self.authenticate("admin", "admin")
        page = self.url_open("/").text
        wrap = lxml_html.fromstring(page).xpath('//div[@id="wrap"]')[0]
        self.assertEqual(wrap.get("data-oe-field"), "arch", "the editor's branding is on")
        section = lxml_html.tostring(wrap, encoding="unicode")
        self.assertIn('data-service-name="Haircut"', section, "the editor shows today's data")
        self.assertIn('data-staff-name="Anna"', section)
        # The owner edits a title and saves.
        section = section.replace("Meet the team", "Our stylists")
        view = self.env["ir.ui.view"].browse(int(wrap.get("data-oe-id")))
        view.with_context(website_id=self.website.id).save(section, xpath=wrap.get("data-oe-xpath"))
        self.env.flush_all()
        arch = self.home.with_context(lang="en_US").arch_db
        self.assertIn("Our stylists", arch, "the edit is saved")
        for kind in ("services", "team", "reviews", "branches"):
            self.assertIn(f'data-randevu-block="{kind}"', arch, "the blocks stay")
        for rendered in ("s_randevu_live_content", "Haircut", "Anna", "Bruno", "data-price", "Opening hours"):
            self.assertNotIn(rendered, arch, "no rendered data in the saved page")
        # The next visitor reads today's data again.
        self.authenticate(None, None)
        text = self.page("/")
        self.assertIn("Our stylists", text)
        self.assertIn('data-service-name="Haircut"', self.live(text, "services"))

    def test_outside_a_website_the_placeholder(self):
        """A view holding a live block rendered without a website (no request): the
        placeholder; with the website: the content."""
        qweb = self.env["ir.qweb"].with_context(website_id=self.website.id)

        def block():
            return etree.fromstring('<t><t t-call="randevu_booking.s_randevu_services"/></t>')

        self.assertIn(PLACEHOLDER, qweb._render(block(), {}))
        rendered = qweb._render(block(), {"website": self.website})
        self.assertIn('data-service-name="Haircut"', rendered)
        self.assertNotIn(PLACEHOLDER, rendered)
