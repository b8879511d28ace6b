from odoo import models
from odoo.exceptions import UserError


class PosOrder(models.Model):
    """A code used at the till (pos_loyalty's reward lines: a promotion code, a coupon)
    of a program linked to a campaign attributes the appointments the order pays to
    that campaign, when they have none yet (the link or code they were booked with
    comes first). A first-visit program's reward is refused, when the order is synced,
    to a returning customer (or to an order without a customer)."""

    _inherit = "pos.order"

    def _process_saved_order(self, draft):
        if not draft:
            self._randevu_check_first_visit()
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

    def _randevu_check_first_visit(self):
        """Refuse the order (its sync fails, nothing is saved) when a reward line is of a
        First Visit Only program and its customer is not a first visit: the website's
        rule (res.partner._randevu_first_visit), the appointments and class seats the
        order pays and the order itself not counted. The till does not offer these programs
        to a returning customer; this is the server's word on it.

        :raise UserError: the program's name and why
        """
        # Superuser: the cashier reads the programs of the rewards she applied; the
        # customer's visits are read across branches by the rule itself.
        for order in self.sudo():
            rewards = order.lines.filtered("is_reward_line")
            programs = (rewards.reward_id.program_id | rewards.coupon_id.program_id).filtered("randevu_first_visit")
            if not programs or order.amount_total < 0:
                continue
            partner = order.partner_id
            if not partner:
                raise UserError(
                    self.env._(
                        "%(program)s is for a first visit only: choose the customer on the order.",
                        program=programs[0].name,
                    )
                )
            lines = order.lines
            if not partner._randevu_first_visit(
                exclude=lines.randevu_appointment_id, exclude_order=order, exclude_seats=lines.randevu_attendee_id
            ):
                raise UserError(
                    self.env._(
                        "%(program)s is for a first visit only, and %(customer)s has come or booked before: "
                        "remove the reward.",
                        program=programs[0].name,
                        customer=partner.display_name,
                    )
                )
