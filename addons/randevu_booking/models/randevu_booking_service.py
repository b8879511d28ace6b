from datetime import timedelta

from odoo import api, fields, models


class RandevuBookingService(models.AbstractModel):
    """Deposits in the booking service: a service with a deposit is offered only
    where it can be paid online, and a booking with a deposit to pay is held for it
    (confirmed to the customer once paid: randevu.appointment._randevu_record_deposit)."""

    _inherit = "randevu.booking.service"

    @api.model
    def _deposits_payable(self, branch):
        """Whether customers can pay a deposit online at `branch`: a payment provider
        enabled (or in test mode) and published for it."""
        Provider = self.env["payment.provider"]
        return bool(
            Provider.search_count(
                [
                    *Provider._check_company_domain(branch),
                    ("state", "in", ("enabled", "test")),
                    ("is_published", "=", True),
                ],
                limit=1,
            )
        )

    @api.model
    def _services(self, branch, staff=None):
        """Services with a deposit only when the branch can take payments."""
        services = super()._services(branch, staff=staff)
        if not self._deposits_payable(branch):
            services = services.filtered(lambda service: service.randevu_deposit_type == "none")
        return services

    @api.model
    def _randevu_appointment_values(self, branch, service, staff, start, partner, values):
        """With a deposit due (the service's, or the no-show policy's) and a way to pay
        it online, the booking is held for the branch's hold time, decided before it
        is created: its confirmation waits for the payment."""
        values = super()._randevu_appointment_values(branch, service, staff, start, partner, values)
        if not self._deposits_payable(branch):
            return values
        # The deposit the appointment will compute, read on a draft of it (nothing written).
        draft = self.env["randevu.appointment"].new(
            {
                "company_id": branch.id,
                "service_id": service.id,
                "employee_id": staff.id,
                "start": start,
                "partner_id": partner.id,
                "noshow_deposit_required": bool(values.get("noshow_deposit_required")),
            }
        )
        if draft.currency_id.compare_amounts(draft.randevu_deposit_amount, 0.0) <= 0:
            return values
        hold_until = fields.Datetime.now() + timedelta(minutes=branch.randevu_hold_minutes)
        return dict(values, randevu_hold_until=hold_until)
