from odoo.tests import tagged

from .common import RandevuBookingCase


@tagged("post_install", "-at_install")
class TestBuilderTour(RandevuBookingCase):
    """The website builder's "Book Now Button" options in Chromium: the Service and Staff
    pickers offer only what the picked branch books online, and the saved button links to
    the picked step."""

    def test_book_now_button_options(self):
        self.branch.name = "Tour Paris"
        lyon = self._make_branch("Lyon", "Europe/Paris")
        lyon.randevu_online_booking = True
        carla = self._make_staff("Carla", lyon, self._make_calendar("Lyon hours", lyon, [(9, 18)]))
        self._make_service("Lyon blow-dry", 0.5, carla)  # only Carla does it, in Lyon
        # A page of its own: the tour does not depend on the demo's home page.
        self.make_page(
            "/randevu-builder-tour",
            '<section class="s_text_block pt40 pb40" data-snippet="s_text_block">'
            '<div class="container"><p>Book your next visit.</p></div></section>',
        )
        self.start_tour("/randevu-builder-tour", "randevu_booking_builder_options_tour", login="admin")
        response = self.url_open("/randevu-builder-tour")
        self.assertIn(f'href="/book/{self.branch.id}/{self.haircut.id}?staff={self.anna.id}"', response.text)
