from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..const import APPOINTMENT_HOLDING_STATES
from ..tools.intervals import intersect, normalize


class RandevuOverview(models.AbstractModel):
    """Figures of the owner's overview (client action ``randevu_calendar.overview``) for one
    branch: today and this week (Monday to Sunday, local days) — appointments, revenue,
    no-shows, occupancy per staff member —, the free gaps left today and tomorrow and the messages to
    customers that failed.

    Revenue is the price of the appointments that hold time (booked to done), in the
    branch's currency; `_randevu_overview_revenue` is the hook for addons that know what
    was really paid (invoices, point of sale).
    """

    _name = "randevu.overview"
    _description = "Owner Overview"

    # Free time shorter than this is not a gap worth showing (minutes).
    _MIN_GAP = 30
    # The overview lists this many upcoming gaps at most, the earliest first.
    _MAX_GAPS = 10

    @api.model
    def get_overview(self, branch_id=False):
        if not self.env.user.has_group("randevu_calendar.group_randevu_manager"):
            raise AccessError(self.env._("The overview is for Randevu managers."))
        branch = self._overview_branch(branch_id)
        self = self.with_company(branch)
        branch = branch.with_env(self.env)  # readable even when not one of the active companies yet
        now = fields.Datetime.now()
        today = branch._randevu_local_today()
        monday = today - timedelta(days=today.weekday())
        today_bounds = branch._randevu_day_bounds(today)
        week_bounds = branch._randevu_day_bounds(monday, monday + timedelta(days=6))

        # Bookable staff of the branch, name only: managers are not necessarily HR officers.
        staff_sudo = (
            self.env["hr.employee"]
            .sudo()
            .search([("randevu_branch_ids", "in", branch.id), ("randevu_bookable", "=", True)], order="name, id")
        )
        appointments = self.env["randevu.appointment"].search(
            [("company_id", "=", branch.id), ("start", "<", week_bounds[1]), ("stop", ">", week_bounds[0])],
            order="start, id",
        )
        today_appts = appointments.filtered(lambda appt: appt.start < today_bounds[1] and appt.stop > today_bounds[0])
        # Upcoming gaps: the rest of today and tomorrow (which may be in next week).
        gap_days = {today: self.env._("Today"), today + timedelta(days=1): self.env._("Tomorrow")}
        gap_window = (max(now, today_bounds[0]), branch._randevu_day_bounds(today + timedelta(days=1))[1])
        plan = self.env["randevu.availability"]._load(
            branch, staff_sudo, self.env["resource.resource"], week_bounds[0], max(week_bounds[1], gap_window[1])
        )

        def hours(intervals):
            return sum((stop - start).total_seconds() for start, stop in intervals) / 3600

        held = defaultdict(list)
        for appt in appointments.filtered(lambda appt: appt.state in APPOINTMENT_HOLDING_STATES):
            held[appt.employee_id.id].append((appt.start, appt.stop))
        occupancy = []
        for employee in staff_sudo:
            row = {"id": employee.id, "name": employee.name}
            for key, window in (("today", today_bounds), ("week", week_bounds)):
                work = intersect(plan["work"][employee.id].intervals, [window])
                booked = intersect(normalize(held[employee.id]), work)
                work_hours, booked_hours = hours(work), hours(booked)
                row[key] = {
                    "work": round(work_hours, 1),
                    "booked": round(booked_hours, 1),
                    "percent": round(100 * booked_hours / work_hours) if work_hours else 0,
                    "bar": min(round(100 * booked_hours / work_hours), 100) if work_hours else 0,
                }
            occupancy.append(row)

        gaps = []
        for employee in staff_sudo:
            for start, stop in intersect(plan["free"][employee.id].intervals, [gap_window]):
                minutes = round((stop - start).total_seconds() / 60)
                if minutes >= self._MIN_GAP:
                    local_start = branch._randevu_to_local(start)
                    gaps.append(
                        {
                            "day": gap_days.get(local_start.date(), ""),
                            "staff": employee.name,
                            "start": local_start.strftime("%H:%M"),
                            "stop": branch._randevu_to_local(stop).strftime("%H:%M"),
                            "minutes": minutes,
                            "sort": start,
                        }
                    )
        gaps.sort(key=lambda gap: (gap["sort"], gap["staff"]))
        gaps = gaps[: self._MAX_GAPS]
        for gap in gaps:
            del gap["sort"]

        branches = self._overview_branches()
        failed = self.env["randevu.message"].search(
            [("company_id", "=", branch.id), ("state", "=", "error"), ("appointment_start", ">=", week_bounds[0])],
            order="appointment_start, id",
        )
        channels = dict(failed._fields["channel"]._description_selection(self.env))
        return {
            "branch": {"id": branch.id, "name": branch.name, "currency_id": branch.currency_id.id},
            # Names of her own companies, active in the web client or not.
            "branches": [{"id": company.id, "name": company.sudo().name} for company in branches],
            "summary": self._overview_summary(branches) if len(branches) > 1 else [],
            "today": self._overview_figures(today_appts, today),
            "week": self._overview_figures(appointments, monday, monday + timedelta(days=6)),
            "occupancy": occupancy,
            "gaps": gaps,
            "failed_count": len(failed),
            "failed": [
                {
                    "id": message.id,
                    "appointment_id": message.appointment_id.id,
                    "customer": message.partner_id.display_name or "",
                    "channel": channels.get(message.channel, message.channel),
                    "when": branch._randevu_to_local(message.appointment_start).strftime("%d/%m %H:%M")
                    if message.appointment_start
                    else "",
                    "error": message.error or "",
                }
                for message in failed[:8]
            ],
        }

    @api.model
    def _overview_figures(self, appointments, first_day, last_day=None):
        holding = appointments.filtered(lambda appt: appt.state in APPOINTMENT_HOLDING_STATES)
        return {
            "first_day": fields.Date.to_string(first_day),
            "last_day": fields.Date.to_string(last_day or first_day),
            "appointments": len(holding),
            "done": len(holding.filtered(lambda appt: appt.state == "done")),
            "revenue": self._randevu_overview_revenue(holding),
            "revenue_done": self._randevu_overview_revenue(holding.filtered(lambda appt: appt.state == "done")),
            "no_shows": len(appointments.filtered(lambda appt: appt.state == "no_show")),
            "cancelled": len(appointments.filtered(lambda appt: appt.state == "cancelled")),
        }

    @api.model
    def _overview_summary(self, branches):
        """Today and this week at each of `branches`, side by side (each in its currency)."""
        rows = []
        for branch in branches:
            branch = branch.with_company(branch)  # each readable, active or not
            today = branch._randevu_local_today()
            monday = today - timedelta(days=today.weekday())
            today_start, today_end = branch._randevu_day_bounds(today)
            week_start, week_end = branch._randevu_day_bounds(monday, monday + timedelta(days=6))
            appointments = branch.env["randevu.appointment"].search(
                [("company_id", "=", branch.id), ("start", "<", week_end), ("stop", ">", week_start)]
            )
            today_appts = appointments.filtered(
                lambda appt, s=today_start, e=today_end: appt.start < e and appt.stop > s
            )
            rows.append(
                {
                    "id": branch.id,
                    "name": branch.name,
                    "currency_id": branch.currency_id.id,
                    "today": self._overview_figures(today_appts, today),
                    "week": self._overview_figures(appointments, monday, monday + timedelta(days=6)),
                }
            )
        return rows

    @api.model
    def _randevu_overview_revenue(self, appointments):
        """Revenue of `appointments` in their branch's currency: their prices. Hook for
        addons that know what was actually paid (randevu_account, point of sale)."""
        return sum(appointments.mapped("price"))

    @api.model
    def _overview_branch(self, branch_id):
        """The branch asked for; by default the one the owner works in: her current company
        when it has bookable staff, else the branch of her employee record."""
        user = self.env.user
        if branch_id:
            branch = self.env["res.company"].browse(branch_id)
            if branch not in user.sudo().company_ids:  # all her companies, active or not
                raise AccessError(self.env._("You do not work at this branch."))
            return branch
        branches = self._overview_branches()
        if self.env.company in branches:
            return self.env.company
        # Her employee record's branch (read for its company only).
        home_sudo = self.env["hr.employee"].sudo().search([("user_id", "=", user.id)], limit=1).company_id
        if home_sudo in branches:
            return home_sudo.sudo(False)
        return branches[:1] or self.env.company

    @api.model
    def _overview_branches(self):
        """The owner's branches: her companies where someone takes appointments."""
        # All her companies, not only the active ones the res.company rule lets her read.
        companies = self.env.user.sudo().company_ids.sudo(False)
        staffed = (
            self.env["hr.employee"]
            .sudo()  # only which companies have bookable staff is read
            .search([("randevu_bookable", "=", True), ("randevu_branch_ids", "in", companies.ids)])
            .randevu_branch_ids
        )
        return (companies & staffed.sudo(False)).sudo().sorted("name").sudo(False) or companies.sudo().sorted(
            "name"
        ).sudo(False)
