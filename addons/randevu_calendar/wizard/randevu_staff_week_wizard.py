from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import format_duration

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class RandevuStaffWeekWizard(models.TransientModel):
    """A staff member's working week in one line ("Mon-Fri 9-18, break 13-14"), written
    as Odoo's working schedule (resource.calendar and its attendances), which the
    availability engine reads. A break is the gap between the morning and the
    afternoon attendance of each day."""

    _name = "randevu.staff.week.wizard"
    _description = "Set a Staff Member's Working Week"

    employee_id = fields.Many2one("hr.employee", string="Staff Member", required=True, ondelete="cascade")
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
        """Write the week into the staff member's own working schedule; a schedule that
        others share (the branch's standard hours, a colleague's) is left alone and the
        staff member gets a schedule of their own."""
        self.ensure_one()
        # Superuser: Randevu managers (the only users of this wizard, ir.model.access) set up
        # their staff's hours without being HR officers or administrators, who alone may
        # write employees and working schedules; only the branches they work in.
        employee_sudo = self.employee_id.sudo()
        if employee_sudo.company_id not in self.env.user.company_ids:
            raise AccessError(self.env._("%s does not work at one of your branches.", employee_sudo.name))
        calendar = employee_sudo.resource_calendar_id
        commands = [(5, 0, 0)] + [(0, 0, values) for values in self._attendance_values()]
        shared = (
            not calendar
            or calendar == employee_sudo.company_id.resource_calendar_id
            or employee_sudo.env["resource.resource"]
            .with_context(active_test=False)
            .search_count([("calendar_id", "=", calendar.id), ("id", "!=", employee_sudo.resource_id.id)], limit=1)
            or employee_sudo.env["randevu.staff.branch"].search_count(
                [("resource_calendar_id", "=", calendar.id)], limit=1
            )
        )
        if shared:
            employee_sudo.resource_calendar_id = employee_sudo.env["resource.calendar"].create(
                {
                    "name": self.env._("%s's hours", employee_sudo.name),
                    "company_id": employee_sudo.company_id.id,
                    "tz": employee_sudo.company_id._randevu_branch_tz(),
                    "two_weeks_calendar": False,
                    "attendance_ids": commands,
                }
            )
        else:
            calendar.write({"two_weeks_calendar": False, "attendance_ids": commands})
            employee_sudo._check_randevu_branch_hours()
        return {"type": "ir.actions.act_window_close"}
