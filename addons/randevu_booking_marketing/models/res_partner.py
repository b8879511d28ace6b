from odoo import fields, models


class ResPartner(models.Model):
    """The customer profile's *Codes Used* button: her appointments booked with a
    discount code (one grouped query for all the customers shown). Whether a customer
    comes for the first time is randevu_marketing's _randevu_first_visit."""

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
        self._randevu_check_profile_action()
        action = self.env["ir.actions.act_window"]._for_xml_id("randevu_marketing.randevu_campaign_bookings_action")
        action["name"] = self.env._("Codes Used")
        action["domain"] = [("partner_id", "=", self.id), ("randevu_discount_code", "!=", False)]
        action["context"] = {"search_default_randevu_not_cancelled": 1, "create": False}
        return action
