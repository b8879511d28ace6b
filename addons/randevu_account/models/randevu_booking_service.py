from odoo import api, models


class RandevuBookingService(models.AbstractModel):
    """Deposits in the booking service, for every channel: a service with a deposit
    is offered only where it can be paid online, and a booking with a deposit to pay
    is held for it, decided before it is created (confirmed to the customer once
    paid: randevu.appointment._randevu_record_deposit)."""

    _inherit = "randevu.booking.service"

    @api.model
    def _services(self, branch, staff=None, among=None):
        """Services with a deposit only when the branch can take payments."""
        services = super()._services(branch, staff=staff, among=among)
        if not branch._randevu_deposits_payable():
            services = services.filtered(lambda service: service.randevu_deposit_type == "none")
        return services

    @api.model
    def _randevu_appointment_values(self, branch, service, staff, start, partner, values):
        """With a deposit due (the service's, or the no-show policy's) and a way to pay
        it online, the booking is held for the branch's hold time: the rule of
        randevu.appointment._randevu_hold_values."""
        values = super()._randevu_appointment_values(branch, service, staff, start, partner, values)
        hold = self.env["randevu.appointment"]._randevu_hold_values(branch, service, partner, staff, values)
        return dict(values, **hold) if hold else values

    @api.model
    def _deposit_values(self, branch, service, terms):
        """The deposit of randevu.appointment._randevu_deposit_for on the prices of
        `terms`: the figure the booking will hold the time for (a customer over the
        no-show limit is told on the payment page, once known)."""
        values = super()._deposit_values(branch, service, terms)
        if not branch._randevu_deposits_payable():
            return values
        currency = branch.currency_id
        Appointment = self.env["randevu.appointment"]
        lowest, highest = (Appointment._randevu_deposit_for(branch, service, price) for price in terms["price"])
        if not currency.compare_amounts(max(lowest, highest), 0.0) > 0:
            return values
        return {
            "amount": min(lowest, highest),
            "amount_from": currency.compare_amounts(lowest, highest) != 0,
            "hold_minutes": branch.randevu_hold_minutes,
            "cancel_hours": f"{branch.randevu_cancel_cutoff:g}",
        }
