from odoo import api, models
from odoo.exceptions import UserError

from odoo.addons.randevu_calendar.exceptions import TermsChanged
from odoo.addons.randevu_calendar.models.randevu_booking_service import terms_token


class DiscountRefused(TermsChanged):
    """The discount code was valid when the form was checked but no longer is when the
    booking is made (a single-use coupon another booking just used, a first-visit code
    of a customer found to have come before): nothing is booked, the form comes back
    with the message."""


class RandevuBookingService(models.AbstractModel):
    _inherit = "randevu.booking.service"

    @api.model
    def _randevu_discount_context(self):
        """(code, offers) of the context: the discount code typed in the website's
        booking form (``randevu_discount_code``) and whether the website's offers
        applied without a code (first visits) are looked for (``randevu_booking_offers``)."""
        return self.env.context.get("randevu_discount_code"), self.env.context.get("randevu_booking_offers")

    @api.model
    def _randevu_appointment_values(self, branch, service, staff, start, partner, values):
        """With a discount code (or the website's first-visit offers) in the context,
        the discount taken off the price before the appointment is created, so that its
        deposit, and whether it is held for it (randevu_account), are those of the
        discounted price; checked for `partner`, the customer found or created by the
        booking. The program's campaign wins over the link's (the code is the later,
        surer sign). Without either, nothing changes (no query)."""
        code, offers = self._randevu_discount_context()
        found = None
        if code or offers:
            price = values["price"] if "price" in values else service._randevu_duration_price(staff)[1]
            Program = self.env["loyalty.program"]
            if code:
                try:
                    found = Program._randevu_code_discount(code, branch, service, price, partner)
                except UserError as error:
                    raise DiscountRefused(error.args[0]) from error
            else:
                found = Program._randevu_first_visit_offer(branch, service, price, partner)
        if found and not found["program"]._randevu_usage_left(lock=True):
            # Its last use taken by another booking since the form was checked.
            if code:
                raise DiscountRefused(found["program"]._randevu_limit_message())
            found = None
        if not found:
            return super()._randevu_appointment_values(branch, service, staff, start, partner, values)
        discount = self.env["randevu.appointment"]._randevu_discount_values(found, price, code)
        values = super()._randevu_appointment_values(branch, service, staff, start, partner, dict(values, **discount))
        # Kept for _book, which uses the coupon once the appointment exists (ids: the
        # context stays plain data).
        holder = self.env.context.get("randevu_discount_found")
        if holder is not None:
            holder.update(amount=found["amount"], card=found["card"].id, reward=found["reward"].id)
        return dict(values, **discount)

    @api.model
    def _book(self, branch, service, staff, start, details, partner=None, terms=None, slot=None, source="website"):
        """With ``randevu_discount_code`` in the context (the website's booking form),
        the code's discount taken off the appointment booked, all or nothing: a code
        that no longer applies books nothing; with ``randevu_booking_offers``, a
        first-visit offer applied without a code. `terms` are the undiscounted
        duration and price the customer saw. Without either, the booking as it was
        (no query)."""
        code, offers = self._randevu_discount_context()
        if not code and not offers:
            return super()._book(branch, service, staff, start, details, partner, terms, slot, source)
        holder = {}
        booking = self.with_context(randevu_discount_found=holder)
        with self.env.cr.savepoint():
            appointment = super(RandevuBookingService, booking)._book(
                branch, service, staff, start, details, partner, None, slot, source
            )
            appointment = appointment.with_env(self.env)
            price = appointment.price + holder.get("amount", 0.0)
            if terms is not None and terms_token(appointment.duration, price, branch.currency_id) != terms:
                raise TermsChanged(self._terms_changed_message())
            if holder.get("card"):
                card = self.env["loyalty.card"].browse(holder["card"])
                try:
                    appointment._randevu_use_coupon(card, self.env["loyalty.reward"].browse(holder["reward"]))
                except UserError as error:
                    raise DiscountRefused(error.args[0]) from error
        return appointment

    @api.model
    def _book_seat(self, branch, session, details, partner=None, source="website"):
        """With ``randevu_discount_code`` in the context (the website's class form), the
        code checked for the session's price and the customer found or created, before
        the seat is given (a first-visit code: this seat is not her visit yet), then
        recorded on the seat and its coupon used, all or nothing. A place on the
        waitlist takes no code (nothing to pay yet): the code is not used. Without a
        code, the seat as it was (no query)."""
        code = self.env.context.get("randevu_discount_code")
        if not code:
            return super()._book_seat(branch, session, details, partner, source)
        with self.env.cr.savepoint():
            if not partner:
                partner = self._find_or_create_customer(branch, details)
            try:
                found = self.env["loyalty.program"]._randevu_code_discount(
                    code, branch, session.service_id, session.price, partner
                )
                if not found["program"]._randevu_usage_left(lock=True):
                    raise UserError(found["program"]._randevu_limit_message())
            except UserError as error:
                raise DiscountRefused(error.args[0]) from error
            attendee = super()._book_seat(branch, session, details, partner, source)
            if attendee.state != "waitlist":
                try:
                    attendee._randevu_apply_discount(found, code)
                except UserError as error:
                    raise DiscountRefused(error.args[0]) from error
        return attendee
