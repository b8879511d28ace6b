from odoo import api, fields, models
from odoo.exceptions import UserError


class RandevuSeriesEditWizard(models.TransientModel):
    """Change or cancel an occurrence of a recurring series, the following ones or
    all of them (randevu.appointment.action_apply_to_series)."""

    _name = "randevu.series.edit.wizard"
    _description = "Edit a Recurring Series"

    appointment_id = fields.Many2one("randevu.appointment", required=True, readonly=True, ondelete="cascade")
    recurrence_id = fields.Many2one(related="appointment_id.recurrence_id")
    company_id = fields.Many2one(related="appointment_id.company_id")
    scope = fields.Selection(
        [("one", "This appointment"), ("following", "This and the following"), ("all", "All appointments")],
        string="Apply To",
        default="one",
        required=True,
    )
    operation = fields.Selection(
        [("change", "Change time or staff"), ("cancel", "Cancel")], default="change", required=True
    )
    start = fields.Datetime(
        string="New Start",
        compute="_compute_from_appointment",
        store=True,
        readonly=False,
        help="This appointment's new start; the others keep their own date and take the same time of day.",
    )
    employee_id = fields.Many2one(
        "hr.employee",
        string="Staff Member",
        compute="_compute_from_appointment",
        store=True,
        readonly=False,
        domain="[('randevu_bookable', '=', True), ('company_id', '=', company_id)]",
    )
    cancel_reason = fields.Char()

    @api.depends("appointment_id")
    def _compute_from_appointment(self):
        for wizard in self:
            wizard.start = wizard.appointment_id.start
            wizard.employee_id = wizard.appointment_id.employee_id

    def action_apply(self):
        self.ensure_one()
        appointment = self.appointment_id
        if self.operation == "cancel":
            vals = {"state": "cancelled", "cancel_reason": self.cancel_reason or False}
        else:
            vals = {}
            if self.start and self.start != appointment.start:
                vals["start"] = self.start
            if self.employee_id and self.employee_id != appointment.employee_id:
                vals["employee_id"] = self.employee_id.id
            if not vals:
                raise UserError(self.env._("Nothing to change: pick a new start or another staff member."))
        appointment.action_apply_to_series(vals, self.scope)
        return {"type": "ir.actions.act_window_close"}
