from odoo import api, models


class RandevuBookingService(models.AbstractModel):
    _inherit = "randevu.booking.service"

    @api.model
    def _randevu_appointment_values(self, branch, service, staff, start, partner, values):
        """The campaign, source and medium of the link the customer came by, passed by
        the channel as ``randevu_utm`` in the context ({"utm_campaign": name, ...}, see
        randevu_booking_marketing): no query when there is none."""
        values = super()._randevu_appointment_values(branch, service, staff, start, partner, values)
        names = self.env.context.get("randevu_utm")
        if not names:
            return values
        utm_values = self.env["randevu.appointment"]._randevu_utm_values(names)
        return dict(values, **utm_values) if utm_values else values
