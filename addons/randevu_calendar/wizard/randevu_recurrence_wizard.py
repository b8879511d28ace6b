from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..models.randevu_appointment_recurrence import occurrence_starts


class RandevuRecurrenceWizard(models.TransientModel):
    """Repeat an appointment: the rule, its end date and a preview of every occurrence
    with its conflicts, computed before anything is created.

    Flow: set the rule (the end date follows as you type), click Preview: each
    occurrence is checked against working hours, leave, closures and other
    appointments; a conflicting one is skipped or moved to one of the nearest free
    times (find_alternatives). Confirm then creates every occurrence kept in one
    create(), all or nothing.
    """

    _name = "randevu.recurrence.wizard"
    _description = "Repeat an Appointment"

    appointment_id = fields.Many2one(
        "randevu.appointment", string="First Occurrence", required=True, readonly=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="appointment_id.company_id")
    branch_tz = fields.Selection(related="appointment_id.branch_tz")
    interval = fields.Integer(string="Repeat Every", default=1, required=True)
    unit = fields.Selection([("day", "Days"), ("week", "Weeks"), ("month", "Months")], default="week", required=True)
    end_type = fields.Selection(
        [("count", "After a number of occurrences"), ("until", "On a date")],
        string="Ends",
        default="count",
        required=True,
    )
    count = fields.Integer(string="Occurrences", default=4, help="Number of appointments, this one included.")
    until = fields.Date(help="Last day (branch local date) an occurrence may fall on.")
    end_date = fields.Date(
        compute="_compute_rule_summary", string="Last Occurrence", help="Branch local date of the last occurrence."
    )
    occurrence_count = fields.Integer(compute="_compute_rule_summary", string="Total Occurrences")
    rule_error = fields.Text(compute="_compute_rule_summary")
    state = fields.Selection([("rule", "Rule"), ("preview", "Preview")], default="rule", required=True)
    line_ids = fields.One2many("randevu.recurrence.wizard.line", "wizard_id", string="Preview")
    conflict_count = fields.Integer(compute="_compute_line_counts")
    book_count = fields.Integer(compute="_compute_line_counts", string="Appointments to Create")

    @api.depends("appointment_id.start", "interval", "unit", "end_type", "count", "until")
    def _compute_rule_summary(self):
        Recurrence = self.env["randevu.appointment.recurrence"]
        for wizard in self:
            source = wizard.appointment_id
            problems = (
                Recurrence._rule_problems(
                    source.start,
                    source.company_id,
                    wizard.interval,
                    wizard.unit,
                    wizard.end_type,
                    wizard.count,
                    wizard.until,
                )
                if source
                else []
            )
            starts = wizard._starts() if source and not problems else []
            wizard.rule_error = "\n".join(problems) or False
            wizard.occurrence_count = len(starts)
            wizard.end_date = wizard.appointment_id.company_id._randevu_local_day(starts[-1]) if starts else False

    @api.depends("line_ids.status", "line_ids.action")
    def _compute_line_counts(self):
        for wizard in self:
            wizard.conflict_count = len(wizard.line_ids.filtered(lambda line: line.status == "conflict"))
            wizard.book_count = len(wizard.line_ids.filtered(lambda line: line.action != "skip"))

    # ------------------------------------------------------------------ helpers
    def _tz(self):
        return pytz.timezone(self.appointment_id.company_id._randevu_branch_tz())

    def _starts(self):
        """Naive UTC starts of every occurrence, the existing appointment first."""
        self.ensure_one()
        return occurrence_starts(
            self.appointment_id.start, self._tz(), self.interval, self.unit, self.end_type, self.count, self.until
        )

    def _check_rule(self):
        self.ensure_one()
        source = self.appointment_id
        if source.recurrence_id:
            raise UserError(self.env._("%s already belongs to a series.", source._local_labels()[0]))
        problems = self.env["randevu.appointment.recurrence"]._rule_problems(
            source.start, source.company_id, self.interval, self.unit, self.end_type, self.count, self.until
        )
        if problems:
            raise UserError("\n".join(problems))
        if len(self._starts()) < 2:
            raise UserError(self.env._("This rule gives no occurrence after the first one."))

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Repeat Appointment"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    # ------------------------------------------------------------------ actions
    def action_preview(self):
        """List every occurrence after the first with its conflicts (working hours,
        leave, closures, other appointments) and, for a conflict, the nearest free times."""
        self.ensure_one()
        self._check_rule()
        source = self.appointment_id
        starts = self._starts()[1:]
        Appointment = self.env["randevu.appointment"]
        occurrences = Appointment.concat(*(Appointment.new(source._occurrence_values(start)) for start in starts))
        conflicts = self.env["randevu.availability"]._appointment_conflicts(occurrences)
        self.line_ids.unlink()
        lines = self.env["randevu.recurrence.wizard.line"].create(
            [
                {
                    "wizard_id": self.id,
                    "sequence": number,
                    "start": start,
                    "stop": occurrence.stop,
                    "status": "conflict" if conflicts.get(occurrence) else "free",
                    "reason": "\n".join(conflicts.get(occurrence, [])) or False,
                    "action": "skip" if conflicts.get(occurrence) else "book",
                }
                for number, (start, occurrence) in enumerate(zip(starts, occurrences, strict=True), start=2)
            ]
        )
        slot_vals = []
        for line in lines.filtered(lambda line: line.status == "conflict"):
            slot_vals += self._alternative_values(line)
        self.env["randevu.recurrence.wizard.slot"].create(slot_vals)
        self.state = "preview"
        return self._reopen()

    def _alternative_values(self, line, count=3, days=3):
        """The free times nearest to a conflicting occurrence (same staff member first),
        nearest first, as randevu.recurrence.wizard.slot values."""
        source = self.appointment_id
        if not source.service_id:
            return []
        # The engine counts the booking horizon from "now": start it just before the
        # window, so that an occurrence months ahead still gets alternatives, never
        # earlier than the real now (no slot in the past).
        now = max(fields.Datetime.now(), line.start - timedelta(days=days + 1))
        found = self.env["randevu.availability"].find_alternatives(
            source.service_id, source.company_id, line.start, staff=source.employee_id, count=count, days=days, now=now
        )
        slots = [slot for slot in found["before"] + found["after"] if not slot.get("appointment_id")]
        slots.sort(key=lambda slot: (abs(slot["start"] - line.start), slot["start"] < line.start))
        employees = self.env["hr.employee"].browse({slot["employee_id"] for slot in slots})
        names = {employee.id: employee.name for employee in employees}
        values = []
        for slot in slots:
            resource_id = next(
                (rid for rid in slot["resource_ids"] if rid in source.resource_ids.ids),
                slot["resource_ids"][0] if slot["resource_ids"] else False,
            )
            values.append(
                {
                    "line_id": line.id,
                    "start": slot["start"],
                    "stop": slot["stop"],
                    "employee_id": slot["employee_id"],
                    "resource_id": resource_id,
                    "name": f"{source.company_id._randevu_to_local(slot['start']):%a %d %b %Y %H:%M} - "
                    f"{names[slot['employee_id']]}",
                }
            )
        return values

    def action_confirm(self):
        """Create every occurrence not skipped, in one create(), inside a savepoint:
        when one of them cannot be booked, none is (and the first appointment does
        not join a series)."""
        self.ensure_one()
        self._check_rule()
        lines = self.line_ids.sorted("sequence")
        if self.state != "preview" or lines.mapped("start") != self._starts()[1:]:
            raise UserError(self.env._("The rule changed since the preview: click Preview again before confirming."))
        problems = []
        for line in lines:
            if line.action == "book" and line.status == "conflict":
                problems.append(
                    self.env._(
                        "Occurrence %(number)s (%(when)s) conflicts: skip it or pick another time.",
                        number=line.sequence,
                        when=line.local_label,
                    )
                )
            elif line.action == "alternative" and not line.alternative_id:
                problems.append(
                    self.env._(
                        "Occurrence %(number)s (%(when)s): choose the other time.",
                        number=line.sequence,
                        when=line.local_label,
                    )
                )
        if problems:
            raise UserError("\n".join(problems))
        to_book = lines.filtered(lambda line: line.action != "skip")
        if not to_book:
            raise UserError(self.env._("Every occurrence is skipped: there is nothing to create."))
        source = self.appointment_id
        try:
            with self.env.cr.savepoint():
                recurrence = self.env["randevu.appointment.recurrence"].create(
                    {
                        "interval": self.interval,
                        "unit": self.unit,
                        "end_type": self.end_type,
                        "count": self.count,
                        "until": self.until,
                        "first_start": source.start,
                        "company_id": source.company_id.id,
                    }
                )
                source.recurrence_id = recurrence
                vals_list = []
                for line in to_book:
                    if line.action == "alternative":
                        slot = line.alternative_id
                        resources = slot.resource_id if source.service_id.randevu_resource_ids else None
                        vals_list.append(source._occurrence_values(slot.start, slot.employee_id, resources))
                    else:
                        vals_list.append(source._occurrence_values(line.start))
                self.env["randevu.appointment"].create(vals_list)
        except ValidationError as error:
            raise ValidationError(
                self.env._("Nothing was created: %(reason)s", reason=error.args[0] if error.args else error)
            ) from error
        return {
            "type": "ir.actions.act_window",
            "name": recurrence.display_name,
            "res_model": "randevu.appointment",
            "view_mode": "list,form",
            "domain": [("recurrence_id", "=", recurrence.id)],
            "context": {"create": False},
        }
