import html

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.website.tools import MockRequest

from .common import RandevuBookingCase


@tagged("post_install", "-at_install")
class TestBookingSnippets(RandevuBookingCase):
    """The website builder's "Book now" button and booking block."""

    def test_snippets_are_in_the_builder_panel(self):
        website = self.env["website"].get_current_website()
        with MockRequest(self.env, website=website):
            panel = self.env["ir.ui.view"].render_public_asset("website.snippets")
        self.assertIn('data-snippet="s_randevu_book_button"', panel)
        self.assertIn('data-snippet="s_randevu_booking_embed"', panel)
        self.assertIn('data-js="RandevuBookingSnippet"', panel, "the branch/service/staff options")
        for attribute in ("randevuBranch", "randevuService", "randevuStaff"):
            self.assertIn(f'data-attribute-name="{attribute}"', panel)

    def configured(self, template, path):
        """The snippet's HTML as the builder saves it once its options are set."""
        snippet = str(self.env["ir.qweb"]._render(template))
        snippet = snippet.replace('data-randevu-branch=""', f'data-randevu-branch="{self.branch.id}"')
        snippet = snippet.replace('data-randevu-service=""', f'data-randevu-service="{self.haircut.id}"')
        return snippet.replace('src="/book"', f'src="{path}"').replace('href="/book"', f'href="{path}"')

    def test_page_with_the_booking_block_shows_the_configured_service(self):
        embed_path = f"/book/embed/{self.branch.id}/{self.haircut.id}"
        self.make_page("/salon-booking", self.configured("randevu_booking.s_randevu_booking_embed", embed_path))
        response = self.url_open("/salon-booking")
        self.assertEqual(response.status_code, 200)
        self.assertIn(f'data-randevu-service="{self.haircut.id}"', response.text)
        self.assertIn(f'src="{embed_path}"', response.text)
        # What the block's iframe shows: the service's first step, without the website's chrome.
        frame = self.url_open(embed_path)
        text = html.unescape(frame.text)
        self.assertEqual(frame.status_code, 200)
        self.assertIn("Step 3 of 5", text)
        self.assertIn("With whom?", text)
        self.assertIn(f"{self.haircut.name} · {self.branch.name}", text)
        self.assertIn("o_randevu_embedded", text)
        self.assertNotIn('id="top"', text, "no website header inside the block")
        self.assertIn(f"/book/{self.branch.id}/{self.haircut.id}/time?embed=1", text)

    def test_page_with_the_button_links_to_the_configured_service(self):
        path = f"/book/{self.branch.id}/{self.haircut.id}"
        self.make_page("/salon-button", self.configured("randevu_booking.s_randevu_book_button", path))
        response = self.url_open("/salon-button")
        self.assertEqual(response.status_code, 200)
        self.assertIn(f'href="{path}"', response.text)
        self.assertEqual(self.url_open(path).status_code, 200)

    @mute_logger("odoo.http")
    def test_block_of_a_closed_branch_is_not_found(self):
        closed = self._make_branch("Marseille", "Europe/Paris")
        self.assertEqual(self.url_open(f"/book/embed/{closed.id}").status_code, 404)
        self.assertEqual(self.url_open(f"/book/embed/{self.branch.id}/{self.offline.id}").status_code, 404)

    def test_builder_pickers_offer_what_the_branch_books_online(self):
        lyon = self._make_branch("Lyon", "Europe/Paris")
        lyon.randevu_online_booking = True
        carla = self._make_staff("Carla", lyon, self._make_calendar("Lyon hours", lyon, [(9, 18)]))
        lyon_only = self._make_service("Lyon blow-dry", 0.5, carla)  # only Carla does it, in Lyon
        editor = new_test_user(
            self.env, login="randevu_editor", groups="base.group_user,website.group_website_designer"
        )

        def ids(pairs):
            return {record_id for record_id, _name in pairs}

        choices = self.branch.with_user(editor).randevu_builder_choices()
        self.assertIn([self.haircut.id, self.haircut.display_name], [list(pair) for pair in choices["services"]])
        self.assertNotIn(lyon_only.id, ids(choices["services"]), "nobody does it in Paris")
        self.assertNotIn(self.offline.id, ids(choices["services"]), "not bookable online")
        self.assertEqual(ids(choices["staff"]), {self.anna.id, self.bruno.id})
        lyon_choices = lyon.with_user(editor).randevu_builder_choices(service_id=lyon_only.id)
        self.assertIn(lyon_only.id, ids(lyon_choices["services"]))
        self.assertNotIn(self.haircut.id, ids(lyon_choices["services"]), "Anna and Bruno work in Paris")
        self.assertEqual(ids(lyon_choices["staff"]), {carla.id})
        # With a service: only the staff who do it there.
        anna_only = self._make_service("Anna's cut", 0.5, self.anna)
        choices = self.branch.with_user(editor).randevu_builder_choices(service_id=anna_only.id)
        self.assertEqual(ids(choices["staff"]), {self.anna.id})

    def test_builder_choices_are_for_website_editors_only(self):
        clerk = new_test_user(self.env, login="randevu_clerk", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.branch.with_user(clerk).randevu_builder_choices()
