from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import format_duration

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class RandevuStaffWeekWizard(models.TransientModel):
    """A staff member's working week in one line ("Mon-Fri 9-18, break 13-14"), written
    as Odoo's working schedule (resource.calendar and its attendances), which the
    availability engine reads. A break is the gap between the morning and the
    afternoon attendance of each day.

    A staff member working in several branches has a week per branch: their working
    schedule at the home branch, the schedule of the branch's line
    (randevu.staff.branch) elsewhere; the wizard writes the one of the branch picked."""

    _name = "randevu.staff.week.wizard"
    _description = "Set a Staff Member's Working Week"

    employee_id = fields.Many2one("hr.employee", string="Staff Member", required=True, ondelete="cascade")
    employee_branch_ids = fields.Many2many(related="employee_id.randevu_branch_ids", string="Works At")
    branch_id = fields.Many2one(
        "res.company",
        compute="_compute_branch_id",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        domain="[('id', 'in', employee_branch_ids)]",
        help="The branch whose week this is: the staff member's hours at that branch.",
    )
    mon = fields.Boolean(default=True)
    tue = fields.Boolean(default=True)
    wed = fields.Boolean(default=True)
    thu = fields.Boolean(default=True)
    fri = fields.Boolean(default=True)
    sat = fields.Boolean()
    sun = fields.Boolean()
    hour_from = fields.Float(string="From", default=9.0, required=True)
    hour_to = fields.Float(string="Until", default=18.0, required=True)
    has_break = fields.Boolean(string="Break", default=True)
    break_from = fields.Float(default=13.0)
    break_to = fields.Float(string="Break Until", default=14.0)
    summary = fields.Char(compute="_compute_summary")

    @api.depends("employee_id")
    def _compute_branch_id(self):
        for wizard in self:
            # Superuser: reading an employee's home branch needs no HR rights here.
            home_sudo = wizard.employee_id.sudo().company_id
            if not wizard.branch_id or wizard.branch_id not in wizard.employee_id.sudo().randevu_branch_ids:
                wizard.branch_id = home_sudo

    @api.depends(*WEEKDAYS, "hour_from", "hour_to", "has_break", "break_from", "break_to")
    def _compute_summary(self):
        names = {day: self._fields[day].get_description(self.env)["string"] for day in WEEKDAYS}
        for wizard in self:
            days = [names[day] for day in WEEKDAYS if wizard[day]]
            hours = f"{format_duration(wizard.hour_from)}-{format_duration(wizard.hour_to)}"
            summary = f"{', '.join(days)} {hours}" if days else ""
            if days and wizard.has_break:
                summary = self.env._(
                    "%(week)s, break %(start)s-%(stop)s",
                    week=summary,
                    start=format_duration(wizard.break_from),
                    stop=format_duration(wizard.break_to),
                )
            wizard.summary = summary

    @api.constrains(*WEEKDAYS, "hour_from", "hour_to", "has_break", "break_from", "break_to")
    def _check_hours(self):
        for wizard in self:
            if not any(wizard[day] for day in WEEKDAYS):
                raise ValidationError(self.env._("Pick at least one working day."))
            if not 0 <= wizard.hour_from < wizard.hour_to <= 24:
                raise ValidationError(self.env._("The working day must start before it ends, within 00:00-24:00."))
            if wizard.has_break and not wizard.hour_from < wizard.break_from < wizard.break_to < wizard.hour_to:
                raise ValidationError(self.env._("The break must start after the day starts and end before it ends."))

    def _attendance_values(self):
        """The attendances of the week: a morning and an afternoon per day with a break,
        one block per day without."""
        self.ensure_one()
        periods = (
            [(self.hour_from, self.break_from, "morning"), (self.break_to, self.hour_to, "afternoon")]
            if self.has_break
            else [(self.hour_from, self.hour_to, "morning")]
        )
        return [
            {
                "name": f"{self._fields[day].get_description(self.env)['string']} {period}",
                "dayofweek": str(index),
                "hour_from": start,
                "hour_to": stop,
                "day_period": period,
            }
            for index, day in enumerate(WEEKDAYS)
            if self[day]
            for start, stop, period in periods
        ]

    def action_apply(self):
        """Write the week into the staff member's own working schedule at the branch picked
        (their working schedule at the home branch, the branch line's schedule at another);
        a schedule that others share (the branch's standard hours, a colleague's, another
        branch's) is left alone and the staff member gets a schedule of their own there."""
        self.ensure_one()
        # Superuser: Randevu managers (the only users of this wizard, ir.model.access) set up
        # their staff's hours without being HR officers or administrators, who alone may
        # write employees and working schedules; only at the branches they work in.
        employee_sudo = self.employee_id.sudo()
        branch = self.branch_id
        if branch not in self.env.user.company_ids:
            raise AccessError(self.env._("%s is not one of your branches.", branch.name))
        if branch not in employee_sudo.randevu_branch_ids:
            raise ValidationError(
                self.env._("%(staff)s does not work at %(branch)s.", staff=employee_sudo.name, branch=branch.name)
            )
        home = branch == employee_sudo.company_id
        line_sudo = employee_sudo.randevu_branch_line_ids.filtered(lambda line: line.branch_id == branch)
        calendar = employee_sudo.resource_calendar_id if home else line_sudo.resource_calendar_id
        commands = [(5, 0, 0)] + [(0, 0, values) for values in self._attendance_values()]
        own_resource = employee_sudo.resource_id if home else employee_sudo.env["resource.resource"]
        shared = (
            not calendar
            or calendar == branch.sudo().resource_calendar_id
            or employee_sudo.env["resource.resource"]
            .with_context(active_test=False)
            .search_count([("calendar_id", "=", calendar.id), ("id", "not in", own_resource.ids)], limit=1)
            or employee_sudo.env["randevu.staff.branch"].search_count(
                [("resource_calendar_id", "=", calendar.id), ("id", "not in", line_sudo.ids)], limit=1
            )
        )
        if shared:
            calendar = employee_sudo.env["resource.calendar"].create(
                {
                    "name": self.env._("%(staff)s's hours at %(branch)s", staff=employee_sudo.name, branch=branch.name)
                    if employee_sudo.randevu_branch_line_ids
                    else self.env._("%s's hours", employee_sudo.name),
                    "company_id": branch.id,
                    "tz": branch._randevu_branch_tz(),
                    "two_weeks_calendar": False,
                    "attendance_ids": commands,
                }
            )
            if home:
                employee_sudo.resource_calendar_id = calendar
            else:
                line_sudo.resource_calendar_id = calendar
        else:
            calendar.write({"two_weeks_calendar": False, "attendance_ids": commands})
            employee_sudo._check_randevu_branch_hours()
        return {"type": "ir.actions.act_window_close"}
