from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class RandevuCustomerPortal(CustomerPortal):
    """Pages of one appointment, for its customer or whoever holds its access token
    (the link of the confirmation and of every message)."""

    def _appointment_values(self, appointment_sudo):
        booking_sudo = request.env["randevu.online.booking"].sudo()  # labels only
        branch_sudo = appointment_sudo.company_id
        day = booking_sudo._local_day(branch_sudo, appointment_sudo.start)
        states = dict(appointment_sudo._fields["state"]._description_selection(request.env))
        city = " ".join(filter(None, [branch_sudo.zip, branch_sudo.city]))
        return {
            "appointment": appointment_sudo,
            "branch": branch_sudo,
            "branch_address": ", ".join(filter(None, [branch_sudo.street, branch_sudo.street2, city])),
            "when": (
                f"{booking_sudo._day_labels(day)[2]}, "
                f"{booking_sudo._time_label(branch_sudo, appointment_sudo.start)}"
                f" - {booking_sudo._time_label(branch_sudo, appointment_sudo.stop)}"
            ),
            "state_label": states.get(appointment_sudo.state, ""),
        }

    @http.route(
        "/book/confirmation/<int:appointment_id>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def book_confirmation(self, appointment_id, access_token=None, **kwargs):
        try:
            appointment_sudo = self._document_check_access("randevu.appointment", appointment_id, access_token)
        except (AccessError, MissingError):
            return request.not_found()
        return request.render("randevu_booking.booking_confirmation", self._appointment_values(appointment_sudo))
