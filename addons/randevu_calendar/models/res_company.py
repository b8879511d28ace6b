import math
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models

from odoo.addons.base.models.res_partner import _tz_get

from ..tools.local_clock import LocalClock


class ResCompany(models.Model):
    """A branch of the business: its timezone, opening hours and booking policy.

    Opening hours are the company's working-time calendar (`resource_calendar_id`);
    closures and public holidays are that calendar's leaves without a resource.
    """

    _inherit = "res.company"

    randevu_tz = fields.Selection(
        _tz_get,
        string="Branch Timezone",
        default=lambda self: self.env.user.tz or "UTC",
        help="Appointments are stored in UTC and shown, searched and checked in this timezone.",
    )
    randevu_slot_step = fields.Integer(
        string="Slot Step (minutes)", default=15, help="Bookable start times are multiples of this after midnight."
    )
    randevu_min_notice = fields.Float(
        string="Minimum Notice (hours)", default=2.0, help="Online bookings must start at least this long from now."
    )
    randevu_horizon_days = fields.Integer(
        string="Booking Horizon (days)", default=60, help="How many days ahead customers may book."
    )
    randevu_cancel_cutoff = fields.Float(
        string="Reschedule/Cancel Cutoff (hours)",
        default=24.0,
        help="Customers may move or cancel until this long before the start.",
    )
    randevu_staff_may_cancel = fields.Boolean(
        string="Staff May Cancel Their Appointments",
        default=False,
        help="Staff (not receptionists) may cancel their own appointments from My day. "
        "Otherwise only reception and managers cancel.",
    )
    randevu_noshow_grace = fields.Integer(
        string="No-show Grace (minutes)",
        default=15,
        help="An appointment not checked in this long after its start becomes a no-show.",
    )

    randevu_staff_count = fields.Integer(
        string="Staff", compute="_compute_randevu_staff_count", help="Staff members taking appointments here."
    )

    _sql_constraints = [
        ("randevu_slot_step_positive", "CHECK(randevu_slot_step > 0)", "The slot step must be positive."),
        ("randevu_min_notice_positive", "CHECK(randevu_min_notice >= 0)", "The minimum notice cannot be negative."),
        ("randevu_horizon_positive", "CHECK(randevu_horizon_days > 0)", "The booking horizon must be positive."),
        ("randevu_cutoff_positive", "CHECK(randevu_cancel_cutoff >= 0)", "The cancellation cutoff cannot be negative."),
        ("randevu_grace_positive", "CHECK(randevu_noshow_grace >= 0)", "The no-show grace cannot be negative."),
    ]

    def _compute_randevu_staff_count(self):
        # Superuser: a count only, for users who may not read hr.employee (receptionists).
        counts = dict(
            self.env["hr.employee"]
            .sudo()
            ._read_group(
                [("randevu_bookable", "=", True), ("randevu_branch_ids", "in", self.ids)],
                ["randevu_branch_ids"],
                ["__count"],
            )
        )
        for branch in self:
            branch.randevu_staff_count = counts.get(branch.sudo(), 0)

    def randevu_calendar_view_settings(self):
        """What the appointments' calendar view needs of this branch: its timezone and the
        hours to show, from the earliest opening or shift to the latest closing (whole
        hours, "HH:00:00"), 08:00 to 20:00 when nothing is set."""
        self.ensure_one()
        # Superuser: receptionists and staff are not HR officers and cannot read hr.employee;
        # only the earliest and latest hours come out.
        branch_sudo = self.sudo()
        calendars = (
            branch_sudo.resource_calendar_id
            | branch_sudo.env["hr.employee"]
            .search([("randevu_bookable", "=", True), ("company_id", "=", self.id)])
            .resource_calendar_id
        )
        calendars |= branch_sudo.env["randevu.staff.branch"].search([("branch_id", "=", self.id)]).resource_calendar_id
        hours = [
            (att.hour_from, att.hour_to)
            for att in calendars.attendance_ids
            if not att.display_type and att.day_period != "lunch"
        ]
        first = int(min((start for start, _stop in hours), default=8))
        last = min(24, math.ceil(max((stop for _start, stop in hours), default=20)))
        return {"tz": self._randevu_branch_tz(), "min_time": f"{first:02d}:00:00", "max_time": f"{last:02d}:00:00"}

    def _randevu_branch_tz(self):
        """The branch's timezone name, falling back on the calendar's, then UTC."""
        self.ensure_one()
        return self.randevu_tz or self.resource_calendar_id.tz or "UTC"

    # ------------------------------------------------------------------ branch time (the one home of each rule)
    # Moments are naive UTC datetimes (as stored), days are local dates of the branch.
    # How a local wall time becomes a moment on daylight-saving nights is
    # tools/local_clock.py's rule: a time shown twice is its first time, a skipped one
    # the change itself.
    def _randevu_clock(self):
        """A LocalClock of this branch's timezone (memoised offsets: for loops over many moments)."""
        self.ensure_one()
        return LocalClock(pytz.timezone(self._randevu_branch_tz()))

    def _randevu_to_local(self, moment):
        """The naive local wall time at this branch of the naive UTC `moment`."""
        self.ensure_one()
        tz = pytz.timezone(self._randevu_branch_tz())
        return pytz.utc.localize(moment).astimezone(tz).replace(tzinfo=None)

    def _randevu_local_day(self, moment):
        """The local date at this branch of the naive UTC `moment`."""
        return self._randevu_to_local(moment).date()

    def _randevu_local_today(self):
        """Today's date at this branch."""
        return self._randevu_local_day(fields.Datetime.now())

    def _randevu_day_bounds(self, first_day, last_day=None):
        """Naive UTC bounds [start of `first_day`, start of the day after `last_day`)
        of the local days `first_day` … `last_day` (default: `first_day` alone).

        A day starts at its local midnight; when the clock shows midnight twice, at
        the first one, and when it skips midnight, at the change (the day's first
        moment)."""
        clock = self._randevu_clock()
        return (
            clock.to_utc(datetime.combine(first_day, time.min)),
            clock.to_utc(datetime.combine((last_day or first_day) + timedelta(days=1), time.min)),
        )

    def _randevu_online_window(self, now=None):
        """(earliest, latest): the naive UTC moments between which customers may book
        online at this branch: `now` (default: the current time) plus the minimum
        notice, and `now` plus the booking horizon (exclusive)."""
        self.ensure_one()
        now = now or fields.Datetime.now()
        return now + timedelta(hours=self.randevu_min_notice), now + timedelta(days=self.randevu_horizon_days)

    def _randevu_change_deadline(self, start):
        """The last moment (naive UTC) customers may move or cancel online something
        starting at `start` at this branch: its reschedule/cancel cutoff before it."""
        self.ensure_one()
        return start - timedelta(hours=self.randevu_cancel_cutoff)

    # ------------------------------------------------------------------ no-show policy (issue 4)
    # How the branch handles customers who do not come (randevu.appointment._cron_mark_no_shows)
    # and what online booking asks of those who often do not (res.partner._randevu_online_booking_policy).
    randevu_noshow_mode = fields.Selection(
        [("automatic", "Mark Automatically"), ("propose", "Propose to Reception")],
        string="No-show Handling",
        default="propose",
        required=True,
        help="Once the grace time after the start has passed without arrival: mark the appointment no-show "
        "at once, or flag it as a suspected no-show for the receptionist to confirm.",
    )
    randevu_noshow_limit = fields.Integer(
        string="No-show Limit",
        default=0,
        help="Customers with this many no-shows in the look-back window get the action below when booking "
        "online (website, WhatsApp, Instagram). 0: no limit. Bookings made by staff are never blocked.",
    )
    randevu_noshow_action = fields.Selection(
        [("deposit", "Require a Deposit"), ("refuse", "Refuse Online Booking")],
        string="Over the Limit",
        default="deposit",
        required=True,
    )
    randevu_noshow_months = fields.Integer(
        string="No-show Look-back (months)",
        default=12,
        help="Only no-shows of this many past months count towards the limit. 0: all of them.",
    )

    # The class's constraint list, extended here so that this block stays in one place.
    _sql_constraints += [
        ("randevu_noshow_limit_positive", "CHECK(randevu_noshow_limit >= 0)", "The no-show limit cannot be negative."),
        (
            "randevu_noshow_months_positive",
            "CHECK(randevu_noshow_months >= 0)",
            "The no-show look-back cannot be negative.",
        ),
    ]

    # ------------------------------------------------------------------ messaging (issue 4: reminders, quiet hours)
    # Quiet hours: texts (SMS, WhatsApp) falling between these local hours wait for the end of them.
    randevu_quiet_start = fields.Float(
        string="Quiet Hours From",
        default=21.0,
        help="Local time from which no text message (SMS, WhatsApp) is sent; they wait for the morning. "
        "Emails are not held back.",
    )
    randevu_quiet_end = fields.Float(
        string="Quiet Hours Until",
        default=8.0,
        help="Local time at which held-back text messages go out. Same as the start: no quiet hours.",
    )
    randevu_reminder_rule_ids = fields.One2many("randevu.reminder.rule", "company_id", string="Reminder Rules")

    _sql_constraints = [
        *_sql_constraints,
        (
            "randevu_quiet_hours_range",
            "CHECK(randevu_quiet_start >= 0 AND randevu_quiet_start < 24 AND randevu_quiet_end >= 0 "
            "AND randevu_quiet_end < 24)",
            "Quiet hours are local times between 00:00 and 23:59.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        """A new branch starts with the default reminder rules."""
        companies = super().create(vals_list)
        self.env["randevu.reminder.rule"]._randevu_create_defaults(companies)
        return companies

    def _randevu_quiet_hours_end(self, moment):
        """When the quiet hours around `moment` (naive UTC) end, in naive UTC, or False
        when `moment` is outside this branch's quiet hours."""
        self.ensure_one()
        start, end = self.randevu_quiet_start, self.randevu_quiet_end
        if start == end:
            return False
        local = self._randevu_to_local(moment)
        hour = local.hour + local.minute / 60 + local.second / 3600
        inside = start <= hour < end if start < end else (hour >= start or hour < end)
        if not inside:
            return False
        end_day = local.date() if hour < end else local.date() + timedelta(days=1)
        minutes = round(end * 60)
        # An end the clock shows twice is its first time, a skipped one the change.
        return self._randevu_clock().to_utc(datetime.combine(end_day, time(minutes // 60, minutes % 60)))
