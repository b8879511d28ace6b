from odoo import models


class RandevuAttendee(models.Model):
    """A seat (or waitlist place) in a group class, booked online: its page is
    reached with the access token of the portal mixin (the link of the
    confirmation page and of the portal list)."""

    _name = "randevu.attendee"
    _inherit = ["randevu.attendee", "portal.mixin"]

    def _compute_access_url(self):
        for attendee in self:
            attendee.access_url = f"/book/seat/{attendee.id}"
