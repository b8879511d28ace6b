import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_date

from ..tools.local_clock import LocalClock

# Longest series one rule may create (a weekly appointment for almost four years).
MAX_OCCURRENCES = 200

UNITS = {"day": "days", "week": "weeks", "month": "months"}


def occurrence_starts(first_start, tz, interval, unit, end_type, count=0, until=None, limit=MAX_OCCURRENCES + 1):
    """Naive UTC starts of a series, the first one included, at most `limit`.

    Occurrence k is the first one's local wall-clock time in `tz` on the local date
    first + k * interval units (relativedelta: months are counted from the first date,
    so 31 January gives 28 February then 31 March, not 28 March). Converting each local
    time through `tz` keeps 10:00 at 10:00 across DST changes, where adding fixed UTC
    hours would drift by one hour. A time the clock shows twice that day is its first
    time, one it skips is the change (LocalClock.to_utc, as working hours).

    :param first_start: naive UTC datetime of the first occurrence
    :param tz: pytz timezone of the branch
    :param end_type: 'count' (`count` occurrences) or 'until' (local dates up to `until`, included)
    """
    if interval < 1 or unit not in UNITS:
        return [first_start]
    clock = LocalClock(tz)
    local_first = clock.to_local(first_start)
    starts = []
    index = 0
    while len(starts) < limit:
        if end_type == "count" and index >= count:
            break
        local = local_first + relativedelta(**{UNITS[unit]: index * interval})
        if end_type == "until" and (not until or local.date() > until):
            break
        starts.append(clock.to_utc(local))
        index += 1
    return starts


class RandevuAppointmentRecurrence(models.Model):
    """A rule repeating an appointment: every `interval` days, weeks or months,
    `count` times or until a date. Its occurrences are ordinary appointments
    (`appointment_ids`) created once, by the recurrence wizard, after a preview
    that lists the conflicts of each one."""

    _name = "randevu.appointment.recurrence"
    _description = "Recurring Appointments"
    _order = "first_start desc, id desc"
    _check_company_auto = True

    interval = fields.Integer(string="Repeat Every", default=1, required=True)
    unit = fields.Selection([("day", "Days"), ("week", "Weeks"), ("month", "Months")], default="week", required=True)
    end_type = fields.Selection(
        [("count", "Number of occurrences"), ("until", "Until a date")], string="Ends", default="count", required=True
    )
    count = fields.Integer(string="Occurrences", default=4, help="Number of appointments, the first one included.")
    until = fields.Date(help="Last day (branch local date) an occurrence may fall on.")
    first_start = fields.Datetime(required=True, help="Start of the first occurrence.")
    end_date = fields.Date(
        compute="_compute_end_date", store=True, help="Local date of the last occurrence the rule gives."
    )
    appointment_ids = fields.One2many("randevu.appointment", "recurrence_id", string="Appointments")
    appointment_count = fields.Integer(compute="_compute_appointment_count")
    company_id = fields.Many2one(
        "res.company", string="Branch", required=True, default=lambda self: self.env.company, index=True
    )

    _sql_constraints = [
        ("interval_positive", 'CHECK("interval" >= 1)', "A series repeats every 1 or more days, weeks or months."),
        (
            "count_range",
            "CHECK(end_type != 'count' OR (count >= 1 AND count <= 200))",
            "A series has between 1 and 200 occurrences.",
        ),
        ("until_set", "CHECK(end_type != 'until' OR until IS NOT NULL)", "A series ending on a date needs that date."),
    ]

    @api.depends("first_start", "interval", "unit", "end_type", "count", "until", "company_id.randevu_tz")
    def _compute_end_date(self):
        for recurrence in self:
            recurrence.end_date = recurrence._last_local_date() if recurrence.first_start else False

    @api.depends("appointment_ids")
    def _compute_appointment_count(self):
        counts = dict(
            self.env["randevu.appointment"]._read_group(
                [("recurrence_id", "in", self.ids)], ["recurrence_id"], ["__count"]
            )
        )
        for recurrence in self:
            recurrence.appointment_count = counts.get(recurrence, 0)

    @api.depends("interval", "unit", "end_type", "count", "until")
    def _compute_display_name(self):
        for recurrence in self:
            recurrence.display_name = recurrence._describe()

    @api.constrains("first_start", "interval", "unit", "end_type", "count", "until")
    def _check_rule(self):
        problems = []
        for recurrence in self:
            problems += self._rule_problems(
                recurrence.first_start,
                recurrence.company_id,
                recurrence.interval,
                recurrence.unit,
                recurrence.end_type,
                recurrence.count,
                recurrence.until,
            )
        if problems:
            raise ValidationError("\n".join(problems))

    # ------------------------------------------------------------------ rule helpers (shared with the wizard)
    def _starts(self):
        self.ensure_one()
        return occurrence_starts(
            self.first_start,
            pytz.timezone(self.company_id._randevu_branch_tz()),
            self.interval,
            self.unit,
            self.end_type,
            self.count,
            self.until,
        )

    def _last_local_date(self):
        starts = self._starts()
        if not starts or len(starts) > MAX_OCCURRENCES:
            return False
        return self.company_id._randevu_local_day(starts[-1])

    def _describe(self):
        """'Every 2 weeks, 6 times' / 'Every month until 30/04/2031'."""
        self.ensure_one()
        units = {
            "day": self.env._("day(s)"),
            "week": self.env._("week(s)"),
            "month": self.env._("month(s)"),
        }
        every = self.env._("Every %(interval)s %(unit)s", interval=self.interval, unit=units.get(self.unit, ""))
        if self.end_type == "until":
            return self.env._("%(every)s until %(date)s", every=every, date=format_date(self.env, self.until))
        return self.env._("%(every)s, %(count)s times", every=every, count=self.count)

    @api.model
    def _rule_problems(self, first_start, branch, interval, unit, end_type, count, until):
        """Messages for every reason the rule cannot make a series (empty when it can)."""
        problems = []
        if interval < 1:
            problems.append(self.env._("The series must repeat every 1 or more days, weeks or months."))
        if end_type == "count" and count < 1:
            problems.append(self.env._("The number of occurrences must be greater than zero."))
        first_date = branch._randevu_local_day(first_start) if first_start else False
        if end_type == "until":
            if not until:
                problems.append(self.env._("Choose the date the series ends."))
            elif first_date and until <= first_date:
                problems.append(
                    self.env._(
                        "The series must end after its first occurrence (%(first)s): %(until)s is too early.",
                        first=format_date(self.env, first_date),
                        until=format_date(self.env, until),
                    )
                )
        if problems or not first_start:
            return problems
        tz = pytz.timezone(branch._randevu_branch_tz())
        starts = occurrence_starts(first_start, tz, interval, unit, end_type, count, until)
        if len(starts) > MAX_OCCURRENCES:
            problems.append(
                self.env._(
                    "This rule gives more than %(max)s occurrences. Repeat less often or end the series earlier.",
                    max=MAX_OCCURRENCES,
                )
            )
        return problems
