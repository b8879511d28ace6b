from odoo import api, fields, models
from odoo.exceptions import ValidationError


class RandevuRecurrenceWizardLine(models.TransientModel):
    """One occurrence of the series being previewed: free or in conflict (with the
    reason), and what to do with it: book it, skip it or book another time."""

    _name = "randevu.recurrence.wizard.line"
    _description = "Occurrence to Create"
    _order = "sequence"

    wizard_id = fields.Many2one("randevu.recurrence.wizard", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(string="#", readonly=True)
    start = fields.Datetime(readonly=True)
    stop = fields.Datetime(readonly=True)
    date = fields.Date(compute="_compute_local", help="Branch local date.")
    local_label = fields.Char(compute="_compute_local", string="When (Branch Time)")
    status = fields.Selection([("free", "Free"), ("conflict", "Conflict")], readonly=True, required=True)
    reason = fields.Text(readonly=True)
    action = fields.Selection(
        [("book", "Book"), ("skip", "Skip"), ("alternative", "Another Time")], required=True, default="book"
    )
    alternative_ids = fields.One2many("randevu.recurrence.wizard.slot", "line_id", string="Free Times Nearby")
    alternative_id = fields.Many2one(
        "randevu.recurrence.wizard.slot", string="Other Time", domain="[('line_id', '=', id)]"
    )

    @api.depends("start", "wizard_id.appointment_id.company_id")
    def _compute_local(self):
        for line in self:
            if not line.start:
                line.date = line.local_label = False
                continue
            local = line.wizard_id.appointment_id.company_id._randevu_to_local(line.start)
            line.date = local.date()
            line.local_label = f"{local:%a %d %b %Y %H:%M}"

    @api.constrains("alternative_id")
    def _check_alternative(self):
        wrong = self.filtered(lambda line: line.alternative_id and line.alternative_id.line_id != line)
        if wrong:
            raise ValidationError(
                self.env._(
                    "Pick another time among those proposed for occurrences %(numbers)s.",
                    numbers=", ".join(str(number) for number in wrong.mapped("sequence")),
                )
            )

    @api.onchange("alternative_id")
    def _onchange_alternative_id(self):
        if self.alternative_id:
            self.action = "alternative"
