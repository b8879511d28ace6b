from odoo import fields, models

from odoo.addons.randevu_calendar.const import APPOINTMENT_HOLDING_STATES, ATTENDEE_SEAT_STATES


class ResPartner(models.Model):
    """The customer profile's *Codes Used* button: her appointments booked with a
    discount code (one grouped query for all the customers shown). Whether a customer
    comes for the first time (first-visit offers)."""

    _inherit = "res.partner"

    randevu_code_booking_count = fields.Integer(
        "Codes Used",
        compute="_compute_randevu_code_booking_count",
        groups="randevu_calendar.group_randevu_user",
        help="Her appointments booked with a discount code, not cancelled.",
    )

    def _randevu_code_domain(self):
        return [("partner_id", "in", self.ids), ("randevu_discount_code", "!=", False), ("state", "!=", "cancelled")]

    def _compute_randevu_code_booking_count(self):
        groups = self.env["randevu.appointment"]._read_group(self._randevu_code_domain(), ["partner_id"], ["__count"])
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.randevu_code_booking_count = counts.get(partner.id, 0)

    def action_randevu_code_bookings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("randevu_marketing.randevu_campaign_bookings_action")
        action["name"] = self.env._("Codes Used")
        action["domain"] = [("partner_id", "=", self.id), ("randevu_discount_code", "!=", False)]
        action["context"] = {"search_default_randevu_not_cancelled": 1, "create": False}
        return action

    def _randevu_first_visit(self, exclude=None):
        """Whether this customer has never come and has nothing else booked, at any
        branch: no appointment done or still to come (booked, confirmed, arrived, in
        progress) and no seat in a group class. A cancelled booking or a no-show does
        not count as a visit. `exclude`: an appointment not to count (the one a code
        is applied to)."""
        self.ensure_one()
        # Superuser: every branch's appointments count, whoever asks (the website's
        # visitor, a receptionist of one branch); only a yes or no comes out.
        appointments = self.env["randevu.appointment"].sudo()
        domain = [("partner_id", "=", self.id), ("state", "in", APPOINTMENT_HOLDING_STATES)]
        if exclude:
            domain.append(("id", "not in", exclude.ids))
        if appointments.search_count(domain, limit=1):
            return False
        seats = self.env["randevu.attendee"].sudo()
        return not seats.search_count([("partner_id", "=", self.id), ("state", "in", ATTENDEE_SEAT_STATES)], limit=1)
