from odoo import api, models
from odoo.tools.misc import format_amount


class RandevuDayPlanner(models.AbstractModel):
    """The day planner flags the deposits paid online (see randevu_calendar's
    `_planner_markers`): the amount, in the appointment's currency."""

    _inherit = "randevu.day.planner"

    @api.model
    def _planner_markers(self, appointments):
        markers = super()._planner_markers(appointments)
        for appointment in appointments.filtered("randevu_deposit_paid"):
            title = self.env._(
                "Deposit paid: %(amount)s",
                amount=format_amount(self.env, appointment.randevu_deposit_paid, appointment.currency_id),
            )
            others = [marker for marker in markers[appointment.id] if marker["key"] != "deposit"]
            markers[appointment.id] = [*others, {"key": "deposit", "title": title}]
        return markers
