from odoo import models


class PosOrder(models.Model):
    """A code used at the till (pos_loyalty's reward lines: a promotion code, a coupon)
    of a program linked to a campaign attributes the appointments the order pays to
    that campaign, when they have none yet (the link or code they were booked with
    comes first)."""

    _inherit = "pos.order"

    def _process_saved_order(self, draft):
        result = super()._process_saved_order(draft)
        if not draft and self.state in ("paid", "done", "invoiced"):
            self._randevu_attribute_codes()
        return result

    def _randevu_attribute_codes(self):
        """Set the campaign of the program of a reward line of each order of `self` on
        the order's appointments without a campaign."""
        # Superuser: a cashier reads neither programs' campaigns nor writes the
        # appointment's campaign (the marketing team's fields); only this rule writes it.
        for order in self.sudo():
            rewards = order.lines.filtered("is_reward_line")
            programs = rewards.reward_id.program_id | rewards.coupon_id.program_id
            campaign = programs.filtered("randevu_campaign_id")[:1].randevu_campaign_id
            if not campaign:
                continue
            lines = order.lines.filtered(lambda line: line.randevu_appointment_id and not line.refunded_orderline_id)
            lines.randevu_appointment_id.filtered(lambda appt: not appt.campaign_id).write({"campaign_id": campaign.id})
