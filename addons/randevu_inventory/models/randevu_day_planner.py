from odoo import api, models


class RandevuDayPlanner(models.AbstractModel):
    """The day planner flags (marker ``stock``) the appointments whose products the
    branch's stock does not cover, with the appointment form's warning as its title."""

    _inherit = "randevu.day.planner"

    @api.model
    def _planner_markers(self, appointments):
        markers = super()._planner_markers(appointments)
        for appointment_id, warning in appointments._randevu_stock_warnings().items():
            markers[appointment_id].append({"key": "stock", "title": warning})
        return markers
