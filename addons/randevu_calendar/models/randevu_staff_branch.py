from odoo import api, fields, models
from odoo.exceptions import ValidationError


class RandevuStaffBranch(models.Model):
    """A branch where a staff member also works, with the hours worked there.

    The employee's own company is the home branch (hours: the employee's working
    schedule); each line adds another branch with its own schedule. One employee
    record, so the EXCLUDE constraint on segments keeps one person out of two chairs
    in two branches at once."""

    _name = "randevu.staff.branch"
    _description = "Staff Member's Other Branch"
    _order = "employee_id, branch_id"

    employee_id = fields.Many2one("hr.employee", string="Staff Member", required=True, ondelete="cascade", index=True)
    branch_id = fields.Many2one("res.company", required=True, ondelete="cascade", index=True)
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Hours at this Branch",
        required=True,
        domain="[('company_id', 'in', (False, branch_id))]",
        help="Working hours and breaks of the staff member at this branch.",
    )

    _sql_constraints = [
        ("employee_branch_unique", "UNIQUE(employee_id, branch_id)", "A staff member is listed once per branch."),
    ]

    @api.constrains("employee_id", "branch_id")
    def _check_not_home_branch(self):
        for line in self:
            if line.branch_id == line.employee_id.company_id:
                raise ValidationError(
                    self.env._(
                        "%(branch)s is already the home branch of %(staff)s: their working hours there are their "
                        "working schedule.",
                        branch=line.branch_id.name,
                        staff=line.employee_id.name,
                    )
                )

    @api.constrains("employee_id", "branch_id", "resource_calendar_id")
    def _check_hours_do_not_overlap(self):
        """One person cannot be expected in two branches at the same hour of the week."""
        for employee in self.employee_id:
            schedules = [(employee.company_id, employee.resource_calendar_id)] + [
                (line.branch_id, line.resource_calendar_id) for line in employee.randevu_branch_line_ids
            ]
            for index, (branch, calendar) in enumerate(schedules):
                for other_branch, other_calendar in schedules[index + 1 :]:
                    clash = _weekly_clash(calendar, other_calendar)
                    if clash:
                        raise ValidationError(
                            self.env._(
                                "%(staff)s would work at %(branch)s and at %(other)s at the same time (%(when)s).",
                                staff=employee.name,
                                branch=branch.name,
                                other=other_branch.name,
                                when=clash,
                            )
                        )


def _weekly_clash(calendar, other):
    """The first weekday on which two schedules have overlapping attendances, or ''.

    Attendances are local hours of their own calendar's timezone; branches of one
    staff member are assumed to share a timezone (a person commutes, they do not fly)."""
    if not calendar or not other:
        return ""

    def working(schedule):
        return schedule.attendance_ids.filtered(lambda att: not att.display_type and att.day_period != "lunch")

    day_names = dict(calendar.attendance_ids._fields["dayofweek"]._description_selection(calendar.env))
    for mine in working(calendar):
        for theirs in working(other):
            if mine.dayofweek != theirs.dayofweek:
                continue
            if calendar.two_weeks_calendar and other.two_weeks_calendar and mine.week_type != theirs.week_type:
                continue
            if mine.date_to and theirs.date_from and mine.date_to < theirs.date_from:
                continue
            if theirs.date_to and mine.date_from and theirs.date_to < mine.date_from:
                continue
            if mine.hour_from < theirs.hour_to and theirs.hour_from < mine.hour_to:
                return day_names[mine.dayofweek]
    return ""
