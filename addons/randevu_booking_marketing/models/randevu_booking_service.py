from odoo import api, models
from odoo.exceptions import UserError

from odoo.addons.randevu_calendar.exceptions import TermsChanged


class DiscountRefused(TermsChanged):
    """The discount code was valid when the form was checked but no longer is when the
    booking is made (a single-use coupon another booking just used): nothing is booked,
    the form comes back with the message."""


class RandevuBookingService(models.AbstractModel):
    _inherit = "randevu.booking.service"

    @api.model
    def _book(self, branch, service, staff, start, details, partner=None, terms=None, slot=None, source="website"):
        """With ``randevu_discount_code`` in the context (the website's booking form), the
        code's discount taken off the appointment booked, all or nothing: a code that no
        longer applies books nothing. Without a code, the booking as it was (no query)."""
        code = self.env.context.get("randevu_discount_code")
        if not code:
            return super()._book(branch, service, staff, start, details, partner, terms, slot, source)
        with self.env.cr.savepoint():
            appointment = super()._book(branch, service, staff, start, details, partner, terms, slot, source)
            try:
                appointment._randevu_apply_code(code)
            except UserError as error:
                raise DiscountRefused(error.args[0]) from error
        return appointment
