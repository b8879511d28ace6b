from odoo import fields, models


class RandevuRecurrenceWizardSlot(models.TransientModel):
    """A free time near a conflicting occurrence (from the availability engine's
    find_alternatives), offered in its place."""

    _name = "randevu.recurrence.wizard.slot"
    _description = "Alternative Time for an Occurrence"
    _order = "line_id, id"

    line_id = fields.Many2one("randevu.recurrence.wizard.line", required=True, ondelete="cascade", index=True)
    name = fields.Char(required=True)
    start = fields.Datetime(required=True)
    stop = fields.Datetime(required=True)
    employee_id = fields.Many2one("hr.employee", string="Staff Member", required=True)
    resource_id = fields.Many2one("resource.resource")
