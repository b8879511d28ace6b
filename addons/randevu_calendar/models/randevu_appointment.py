import uuid
from collections import defaultdict
from datetime import datetime, timedelta

import psycopg2.errors
import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from ..const import (
    APPOINTMENT_BEFORE_SERVICE_STATES,
    APPOINTMENT_CALLED_OFF_STATES,
    APPOINTMENT_EXPECTED_STATES,
    APPOINTMENT_HOLDING_STATES,
    APPOINTMENT_NOT_OVER_STATES,
    ATTENDEE_EXPECTED_STATES,
    ATTENDEE_SEAT_STATES,
    CHECK_IN_STATES,
    HELD_TIME_FIELDS,
    NOTICE_FIELDS,
    VISIT_FIELDS,
)
from ..tools.cron_batches import run_batches
from ..tools.local_clock import repeated_time_suffix

# Which occurrences of a series an edit applies to (action_apply_to_series).
SERIES_SCOPES = ("one", "following", "all")


class RandevuAppointment(models.Model):
    _name = "randevu.appointment"
    _description = "Appointment"
    # rating.mixin inherits mail.thread, so it must come before it (Python's MRO refuses the other order).
    _inherit = ["rating.mixin", "mail.thread", "mail.activity.mixin", "portal.mixin"]
    _order = "start desc, id desc"
    _check_company_auto = True

    # Aliases of the state groups of ..const, kept for code that reads them from the model.
    # States that hold the staff member's and resources' time.
    _ACTIVE_STATES = APPOINTMENT_HOLDING_STATES
    # Occurrences that an edit of "this and the following" or "all" changes.
    _SERIES_EDITABLE_STATES = APPOINTMENT_EXPECTED_STATES
    # Group sessions that customers may still join.
    _SESSION_OPEN_STATES = APPOINTMENT_NOT_OVER_STATES

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", tracking=True, index=True, help="Empty for walk-ins and blocked time."
    )
    partner_phone = fields.Char(related="partner_id.phone")
    company_id = fields.Many2one(
        "res.company", string="Branch", required=True, default=lambda self: self.env.company, tracking=True, index=True
    )
    service_id = fields.Many2one(
        "product.template",
        domain=[("is_appointment_service", "=", True)],
        tracking=True,
        check_company=True,
        index=True,
        help="Empty for blocked personal time.",
    )
    employee_id = fields.Many2one(
        "hr.employee",
        string="Staff Member",
        required=True,
        tracking=True,
        index=True,
        # Not check_company: staff may work at several branches (randevu_branch_ids);
        # _eligibility_problems checks the branch instead.
        domain="[('randevu_bookable', '=', True), ('randevu_branch_ids', 'in', company_id)]",
    )
    user_id = fields.Many2one(related="employee_id.user_id", string="Staff User")
    resource_ids = fields.Many2many(
        "resource.resource",
        "randevu_appointment_resource_rel",
        "appointment_id",
        "resource_id",
        string="Resources",
        domain=[("resource_type", "=", "material")],
        check_company=True,
        groups="base.group_user",  # rooms and equipment: the team's business
    )
    start = fields.Datetime(required=True, tracking=True, index=True)
    duration = fields.Float(compute="_compute_duration", store=True, readonly=False, precompute=True)
    stop = fields.Datetime(compute="_compute_stop", store=True, readonly=False, precompute=True, tracking=True)
    branch_tz = fields.Selection(related="company_id.randevu_tz")
    state = fields.Selection(
        [
            ("booked", "Booked"),
            ("confirmed", "Confirmed"),
            ("arrived", "Arrived"),
            ("in_progress", "In Progress"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
            ("no_show", "No-show"),
        ],
        default="booked",
        required=True,
        tracking=True,
        group_expand="_group_expand_states",
        index=True,
    )
    cancel_reason = fields.Char(tracking=True)
    source = fields.Selection(
        [
            ("backend", "Backend"),
            ("website", "Website"),
            ("whatsapp", "WhatsApp"),
            ("instagram", "Instagram"),
            ("phone", "Phone"),
            ("walk_in", "Walk-in"),
        ],
        default="backend",
        required=True,
    )
    # The team's notes: never readable by the customer through the portal or the API.
    customer_note = fields.Text(
        help="Allergies, preferences: carried over from the customer's profile.", groups="base.group_user"
    )
    internal_note = fields.Text(groups="base.group_user")
    price = fields.Monetary(compute="_compute_price", store=True, readonly=False, precompute=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    payment_state = fields.Selection(
        [("not_paid", "Not Paid"), ("deposit", "Deposit Paid"), ("paid", "Paid")],
        default="not_paid",
        required=True,
        tracking=True,
    )
    hours_override = fields.Boolean(
        string="Outside Hours Allowed",
        groups="randevu_calendar.group_randevu_manager",
        help="A manager may book outside working hours, leave or closures (never over another appointment).",
    )
    color = fields.Integer(related="employee_id.randevu_color")
    segment_ids = fields.One2many("randevu.appointment.segment", "appointment_id")
    calendar_event_id = fields.Many2one("calendar.event", copy=False, readonly=True, index="btree_not_null")
    # The staff member's calendar.event is written by a cron right after the change
    # (_cron_sync_calendar_events), not inside the request that books or moves.
    calendar_sync_pending = fields.Boolean(copy=False, readonly=True)
    recurrence_id = fields.Many2one(
        "randevu.appointment.recurrence",
        string="Series",
        copy=False,
        readonly=True,
        check_company=True,
        ondelete="set null",
        index="btree_not_null",
    )
    visit_id = fields.Many2one(
        "randevu.visit",
        copy=False,
        readonly=True,
        check_company=True,
        ondelete="set null",
        index="btree_not_null",
        help="The customer's consecutive appointments at this branch.",
    )
    # Group sessions: a service with a capacity above 1 is a class; the appointment is the
    # session (it holds the staff member and the room), its customers are attendees.
    service_capacity = fields.Integer(related="service_id.randevu_capacity", string="Capacity")
    attendee_ids = fields.One2many("randevu.attendee", "appointment_id", string="Attendees")
    seats_taken = fields.Integer(compute="_compute_seats", store=True)
    seats_left = fields.Integer(compute="_compute_seats", store=True)
    # No-shows: see _cron_mark_no_shows and res.partner._randevu_online_booking_policy.
    noshow_suspected = fields.Boolean(
        string="No-show Suspected",
        compute="_compute_noshow_suspected",
        store=True,
        readonly=False,
        copy=False,
        help="The grace time after the start passed without arrival, at a branch where reception confirms "
        "no-shows. Cleared when the status or the time changes.",
        groups="base.group_user",
    )
    noshow_deposit_required = fields.Boolean(
        string="Deposit Required (No-shows)",
        readonly=True,
        copy=False,
        tracking=True,
        help="Booked online by a customer over the branch's no-show limit: the booking asks for a deposit.",
    )
    partner_noshow_warning = fields.Text(
        string="Customer No-show Warning",
        compute="_compute_partner_noshow_warning",
        groups="randevu_calendar.group_randevu_user",
    )
    partner_shared_contact_warning = fields.Text(
        string="Customer Possible Duplicates",
        related="partner_id.randevu_shared_contact_warning",
        groups="randevu_calendar.group_randevu_user",
    )
    # Messages to the customer (see randevu.message).
    start_set_date = fields.Datetime(
        string="Time Set On",
        readonly=True,
        copy=False,
        help="When the current start time was booked or last moved: reminders due before then are not sent.",
    )
    randevu_message_ids = fields.One2many(
        "randevu.message", "appointment_id", string="Customer Messages", readonly=True
    )
    randevu_message_count = fields.Integer(compute="_compute_randevu_message_counts", string="Message Count")
    randevu_message_failed_count = fields.Integer(compute="_compute_randevu_message_counts", string="Failed Messages")

    _sql_constraints = [
        ("stop_after_start", "CHECK(stop > start)", "An appointment must end after it starts."),
        ("duration_positive", "CHECK(duration > 0)", "An appointment needs a duration."),
        ("price_positive", "CHECK(price >= 0)", "A price cannot be negative."),
    ]

    def init(self):
        # The calendar cron's queue: the few appointments whose event is not written yet.
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS randevu_appointment_calendar_sync_idx "
            "ON randevu_appointment (id) WHERE calendar_sync_pending"
        )

    # ------------------------------------------------------------------ computes
    @api.depends("partner_id.name", "service_id.name", "employee_id.name")
    def _compute_name(self):
        for appointment in self:
            parts = [appointment.service_id.name or self.env._("Blocked time"), appointment.partner_id.name]
            appointment.name = " - ".join(part for part in parts if part)

    @api.depends("service_id", "employee_id")
    def _compute_duration(self):
        for appointment in self:
            service = appointment.service_id
            if not service:
                appointment.duration = appointment.duration or 1.0
                continue
            appointment.duration = service._randevu_duration_price(appointment.employee_id)[0]

    @api.depends("start", "duration")
    def _compute_stop(self):
        for appointment in self:
            if appointment.start and appointment.duration:
                appointment.stop = appointment.start + timedelta(hours=appointment.duration)
            else:
                appointment.stop = appointment.stop or appointment.start

    @api.depends("service_id", "employee_id")
    def _compute_price(self):
        for appointment in self:
            service = appointment.service_id
            appointment.price = service._randevu_duration_price(appointment.employee_id)[1] if service else 0.0

    @api.depends("attendee_ids.state", "service_id.randevu_capacity")
    def _compute_seats(self):
        # Stored: every seat change rewrites the session row, which makes a concurrent
        # transaction waiting on the row lock fail to serialize and retry (see _lock_sessions).
        for appointment in self:
            taken = len(appointment.attendee_ids.filtered(lambda att: att.state in ATTENDEE_SEAT_STATES))
            appointment.seats_taken = taken
            appointment.seats_left = max(appointment.service_id.randevu_capacity - taken, 0)

    @api.depends("state", "start", "attendee_ids.noshow_suspected")
    def _compute_noshow_suspected(self):
        # The cron sets the flag (_cron_mark_no_shows); any change of status or time
        # (arrival, cancellation, a move) clears it. A group session is suspected while
        # one of its attendees is. Attendees are read without their default order, which
        # sorts by session start and would write a new start before its stop is recomputed.
        sessions = self._origin.filtered(lambda appt: appt.service_capacity > 1)
        suspected_ids = set()
        if sessions:
            suspected_ids = {
                session.id
                for [session] in self.env["randevu.attendee"]._read_group(
                    [("appointment_id", "in", sessions.ids), ("noshow_suspected", "=", True)], ["appointment_id"]
                )
            }
        for appointment in self:
            appointment.noshow_suspected = appointment._origin.id in suspected_ids

    @api.depends("partner_id", "company_id")
    def _compute_partner_noshow_warning(self):
        self.partner_noshow_warning = False
        for branch in self.company_id:
            appointments = self.filtered(lambda appt, branch=branch: appt.company_id == branch and appt.partner_id)
            warnings = appointments.partner_id._randevu_noshow_warnings(branch)
            for appointment in appointments:
                appointment.partner_noshow_warning = "\n".join(warnings.get(appointment.partner_id.id, [])) or False

    def _compute_access_url(self):
        super()._compute_access_url()
        for appointment in self:
            appointment.access_url = f"/my/appointments/{appointment.id}"
        return None

    @api.depends("randevu_message_ids.state")
    def _compute_randevu_message_counts(self):
        counts = defaultdict(lambda: [0, 0])
        for appointment, state, count in self.env["randevu.message"]._read_group(
            [("appointment_id", "in", self.ids)], ["appointment_id", "state"], ["__count"]
        ):
            counts[appointment.id][0] += count
            if state == "error":
                counts[appointment.id][1] += count
        for appointment in self:
            appointment.randevu_message_count, appointment.randevu_message_failed_count = counts[appointment.id]

    @api.model
    def _group_expand_states(self, states, domain):
        return [key for key, _label in self._fields["state"].selection]

    @api.constrains("service_id")
    def _check_service_capacity(self):
        self._check_capacity()

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        """A customer given to a new group session (service capacity > 1) becomes its
        first attendee: a session belongs to no single customer."""
        first_attendees = {}
        for index, vals in enumerate(vals_list):
            service = self.env["product.template"].browse(vals.get("service_id"))
            if vals.get("partner_id") and service.randevu_capacity > 1:
                first_attendees[index] = vals.pop("partner_id")
        now = fields.Datetime.now()
        for vals in vals_list:
            self._check_field_rights(vals)
            if vals.get("partner_id") and "customer_note" not in vals:
                partner_sudo = self.env["res.partner"].sudo().browse(vals["partner_id"])  # note is group-restricted
                vals["customer_note"] = partner_sudo.randevu_customer_note or False
            vals.setdefault("start_set_date", now)
            vals.setdefault("access_token", str(uuid.uuid4()))  # the manage link of every message needs one
            if self._randevu_has_staff_calendar(vals.get("employee_id")):
                vals["calendar_sync_pending"] = True
        appointments = super().create(vals_list)
        appointments._check_booking_rules()
        appointments._sync_segments()
        if any(vals.get("calendar_sync_pending") for vals in vals_list):
            self._randevu_trigger_calendar_sync()
        appointments.filtered(lambda appt: appt.sudo().hours_override)._log_override()
        for index, partner_id in first_attendees.items():
            appointments[index]._add_attendee(self.env["res.partner"].browse(partner_id))
        appointments._group_into_visits()
        appointments._randevu_send_confirmations()
        return appointments

    def write(self, vals):
        self._check_field_rights(vals)
        self._check_staff_may_cancel(vals)
        if "stop" in vals and "duration" not in vals and "start" not in vals:
            # A resize in the calendar: keep the start, derive the duration.
            for appointment in self:
                new_stop = fields.Datetime.to_datetime(vals["stop"])
                super(RandevuAppointment, appointment).write(
                    {"duration": (new_stop - appointment.start).total_seconds() / 3600}
                )
        elif "stop" in vals and "start" in vals and "duration" not in vals:
            # A move or resize with both ends: the duration follows.
            start, stop = (fields.Datetime.to_datetime(vals[key]) for key in ("start", "stop"))
            vals = dict(vals, duration=(stop - start).total_seconds() / 3600)
        before = self._randevu_change_snapshot() if NOTICE_FIELDS & set(vals) else None
        if "start" in vals:
            vals = dict(vals, start_set_date=fields.Datetime.now())
        watched = HELD_TIME_FIELDS & set(vals) or "partner_id" in vals
        calendar_change = bool(watched) and self._randevu_calendar_touched(vals)
        if calendar_change:
            vals = dict(vals, calendar_sync_pending=True)
        result = super().write(vals)
        if HELD_TIME_FIELDS & set(vals) or "hours_override" in vals:
            self._check_booking_rules()
            self._sync_segments()
        if calendar_change:
            self._randevu_trigger_calendar_sync()
        if vals.get("hours_override"):
            self._log_override()
        if VISIT_FIELDS & set(vals):
            self._regroup_visits()
        if "start" in vals:
            # A session moved: its attendees are expected again, at the new time.
            self.env["randevu.attendee"].search(
                [("appointment_id", "in", self.ids), ("noshow_suspected", "=", True)], order="id"
            ).noshow_suspected = False
        if before:
            self._randevu_send_change_notices(before)
        return result

    def unlink(self):
        events_sudo = self.sudo().calendar_event_id  # the staff member's event may belong to another user
        result = super().unlink()
        events_sudo.unlink()
        return result

    def _group_into_visits(self):
        """Put these new appointments into visits: one that starts when another active
        appointment of the same customer at the same branch ends (or ends when it starts)
        shares its visit; the others get a new visit. Appointments without a customer
        (walk-ins, blocked time) and those given a visit already are left alone.

        One search for every neighbour, one create for every new visit, whatever the
        number of appointments. Chains are followed within the batch too (a package),
        and an appointment that bridges two visits merges them.
        """
        # Superuser: visits are derived data, and a neighbour may be an appointment of a
        # colleague that the booking user can neither read nor write.
        new_sudo = self.sudo().filtered(lambda appt: appt.partner_id and not appt.visit_id)
        if not new_sudo:
            return
        neighbours_sudo = self.sudo().search(
            [
                ("id", "not in", new_sudo.ids),
                ("partner_id", "in", new_sudo.partner_id.ids),
                ("company_id", "in", new_sudo.company_id.ids),
                ("state", "in", self._ACTIVE_STATES),
                "|",
                ("stop", "in", new_sudo.mapped("start")),
                ("start", "in", new_sudo.mapped("stop")),
            ]
        )
        nodes = new_sudo | neighbours_sudo
        # Union-find over appointments that touch: same customer, same branch, end to start.
        parent = {appt.id: appt.id for appt in nodes}

        def root(appt_id):
            while parent[appt_id] != appt_id:
                parent[appt_id] = parent[parent[appt_id]]
                appt_id = parent[appt_id]
            return appt_id

        by_end = defaultdict(list)
        for appt in nodes:
            by_end[(appt.partner_id.id, appt.company_id.id, appt.stop)].append(appt)
        for appt in nodes.filtered(lambda appt: appt.state in self._ACTIVE_STATES):
            for before in by_end[(appt.partner_id.id, appt.company_id.id, appt.start)]:
                if before != appt and before.state in self._ACTIVE_STATES:
                    parent[root(appt.id)] = root(before.id)
        group_ids = defaultdict(list)
        for appt in nodes:
            group_ids[root(appt.id)].append(appt.id)
        groups = {key: self.sudo().browse(ids) for key, ids in group_ids.items() if set(ids) & set(new_sudo.ids)}
        # A group joins the oldest visit among its neighbours'; the other visits it
        # touches (an appointment bridging two visits) are merged into that one.
        visit_of_group, merged_sudo = {}, self.env["randevu.visit"].sudo()
        for key, group in groups.items():
            existing = group.visit_id.sorted("id")
            if existing:
                visit_of_group[key] = existing[0]
                merged_sudo |= existing[1:]
                groups[key] = group | existing[1:].appointment_ids
        without_visit = [key for key in groups if key not in visit_of_group]
        created_sudo = (
            self.env["randevu.visit"]
            .sudo()
            .create(
                [
                    {"partner_id": groups[key][:1].partner_id.id, "company_id": groups[key][:1].company_id.id}
                    for key in without_visit
                ]
            )
        )
        visit_of_group.update(zip(without_visit, created_sudo, strict=True))
        # Not tracked; each write is only put in the cache, then flushed in one UPDATE.
        for key, group in groups.items():
            group.filtered(lambda appt, key=key: appt.visit_id != visit_of_group[key]).with_context(
                tracking_disable=True
            ).write({"visit_id": visit_of_group[key].id})
        merged_sudo.unlink()

    def _regroup_visits(self):
        """After a move (or a change of customer or branch): leave the old visit, then
        join the visit of the new neighbours or a new one. What stays in an old visit
        keeps it as far as it is still one chain; the rest is regrouped too, and
        visits left empty are deleted."""
        # Superuser: visits are derived data (see _group_into_visits).
        moved_sudo = self.sudo()
        old_visits_sudo = moved_sudo.visit_id
        moved_sudo.with_context(tracking_disable=True).write({"visit_id": False})
        detached_sudo = self.sudo().browse()
        for visit in old_visits_sudo:
            members = visit.appointment_ids.sorted(lambda appt: (appt.start, appt.id))
            for index, appt in enumerate(members[1:], start=1):
                if appt.start != members[index - 1].stop:
                    detached_sudo |= members[index:]  # the chain breaks here
                    break
        detached_sudo.with_context(tracking_disable=True).write({"visit_id": False})
        (moved_sudo | detached_sudo)._group_into_visits()
        old_visits_sudo.filtered(lambda visit: not visit.appointment_ids).unlink()

    def _check_staff_may_cancel(self, vals):
        """Staff (not receptionists) cancel their own appointments only where their branch
        allows it (res.company.randevu_staff_may_cancel, off by default)."""
        if (
            vals.get("state") != "cancelled"
            or self.env.su
            or self.env.user.has_group("randevu_calendar.group_randevu_user")
        ):
            return
        refused = self.filtered(lambda appt: appt.state != "cancelled" and not appt.company_id.randevu_staff_may_cancel)
        if refused:
            raise AccessError(
                self.env._(
                    "Your branch does not let staff cancel appointments (%(appointments)s): ask the reception.",
                    appointments=", ".join(refused.mapped("name")),
                )
            )

    def _check_field_rights(self, vals):
        """Fields a role may not set even on an appointment it may write: booking outside
        hours is for managers; whether it is paid is for the front desk and up (a stylist
        changes the status of her appointments, not what the customer paid)."""
        if self.env.su:
            return
        if "calendar_sync_pending" in vals:
            # Set by write() itself and cleared by the calendar cron: a user clearing it
            # would keep a move out of the staff member's calendar.
            raise AccessError(self.env._("Only Randevu itself marks an appointment for the calendar synchronisation."))
        if vals.get("hours_override") and not self.env.user.has_group("randevu_calendar.group_randevu_manager"):
            raise AccessError(self.env._("Only a Randevu manager may book outside working hours."))
        if "payment_state" in vals and not self.env.user.has_group("randevu_calendar.group_randevu_user"):
            if vals["payment_state"] != "not_paid" or any(appt.payment_state != "not_paid" for appt in self):
                raise AccessError(self.env._("Only the front desk or a manager may record what a customer paid."))

    def _log_override(self):
        for appointment in self:
            appointment.message_post(
                body=self.env._(
                    "Working hours, leave and closures overridden by %(user)s for %(appointment)s.",
                    user=self.env.user.name,
                    appointment=appointment._local_labels()[0],
                ),
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------------ rules
    def _check_booking_rules(self):
        """Working hours, leave, closures, eligibility and overlaps, with clear messages.

        The overlap part is a courtesy (it names the conflict); the EXCLUDE constraints
        on randevu.appointment.segment are what guarantees it.
        """
        active = self.filtered(lambda appt: appt.state in self._ACTIVE_STATES)
        if not active:
            return
        problems = []
        for appointment in active:
            problems += appointment._eligibility_problems()
        if problems:
            raise ValidationError("\n".join(problems))
        checked = self.env.context.get("randevu_checked_slot")
        if checked:
            # The engine found exactly this time free in this transaction (one engine
            # pass per booking): only an appointment with the very values of that slot
            # skips the second pass.
            active = active.filtered(lambda appt: not appt._randevu_matches_slot(checked))
        if active:
            self.env["randevu.availability"]._check_appointments(active)

    def _randevu_matches_slot(self, key):
        """Whether this appointment has exactly the values of the slot `key` (see
        randevu.availability._checked_slot_key)."""
        self.ensure_one()
        branch_id, service_id, employee_id, start, stop, resource_ids = key
        return (
            (self.company_id.id, self.service_id.id, self.employee_id.id, self.start, self.stop)
            == (branch_id, service_id, employee_id, start, stop)
            and set(self.resource_ids.ids) <= set(resource_ids)
            and not self.sudo().hours_override
        )

    def _eligibility_problems(self):
        self.ensure_one()
        problems = []
        # Superuser for the staff member: receptionists are not HR officers (Odoo gives them
        # hr.employee.public, without our fields) and the home branch may be another one.
        service, employee = self.service_id, self.employee_id.sudo()
        if not employee.randevu_bookable:
            problems.append(self.env._("%s does not take appointments.", employee.name))
        if self.company_id not in employee.randevu_branch_ids:
            problems.append(
                self.env._("%(staff)s does not work at %(branch)s.", staff=employee.name, branch=self.company_id.name)
            )
        if service:
            if not service.is_appointment_service:
                problems.append(self.env._("%s is not an appointment service.", service.name))
            if service.randevu_staff_line_ids and not service._randevu_staff_line(employee):
                problems.append(
                    self.env._("%(staff)s does not perform %(service)s.", staff=employee.name, service=service.name)
                )
            wrong_resources = self.resource_ids - service.randevu_resource_ids
            if service.randevu_resource_ids and wrong_resources:
                problems.append(
                    self.env._(
                        "%(service)s cannot use %(resources)s.",
                        service=service.name,
                        resources=", ".join(wrong_resources.mapped("name")),
                    )
                )
            if service.randevu_resource_ids and not self.resource_ids:
                problems.append(
                    self.env._(
                        "%(service)s needs one of: %(resources)s.",
                        service=service.name,
                        resources=", ".join(service.randevu_resource_ids.mapped("name")),
                    )
                )
        return problems

    def _segment_values(self):
        """The busy times this appointment holds (see randevu.appointment.segment)."""
        self.ensure_one()
        if self.state not in self._ACTIVE_STATES:
            return []
        staff_parts, (held_start, held_stop) = self.service_id._randevu_held_intervals(self.start, self.stop)
        values = [
            {"appointment_id": self.id, "employee_id": self.employee_id.id, "start": start, "stop": stop}
            for start, stop in staff_parts
        ]
        values += [
            {"appointment_id": self.id, "resource_id": resource.id, "start": held_start, "stop": held_stop}
            for resource in self.resource_ids
        ]
        return values

    def _sync_segments(self):
        # Segments are derived data with no access of their own for users: written as superuser.
        segments_sudo = self.env["randevu.appointment.segment"].sudo()
        try:
            with self.env.cr.savepoint():
                segments_sudo.search([("appointment_id", "in", self.ids)]).unlink()
                segments_sudo.create([vals for appointment in self for vals in appointment._segment_values()])
                segments_sudo.flush_model()
        except psycopg2.errors.ExclusionViolation as error:
            constraint = error.diag.constraint_name or ""
            what = self.env._("a resource it needs") if "resource" in constraint else self.env._("the staff member")
            raise ValidationError(
                self.env._(
                    "This time was just taken: %(what)s already has an appointment that overlaps "
                    "%(appointments)s. Please pick another time.",
                    what=what,
                    appointments=", ".join(self._local_labels()),
                )
            ) from error

    def _local_labels(self):
        """'Name (Mon 10 Mar 10:00-11:00)' in each appointment's branch timezone."""
        labels = []
        for appointment in self:
            branch = appointment.company_id
            tz = pytz.timezone(branch._randevu_branch_tz())
            start, stop = branch._randevu_to_local(appointment.start), branch._randevu_to_local(appointment.stop)
            start_suffix = repeated_time_suffix(tz, appointment.start)
            stop_suffix = repeated_time_suffix(tz, appointment.stop)
            labels.append(f"{appointment.name} ({start:%a %d %b %H:%M}{start_suffix}-{stop:%H:%M}{stop_suffix})")
        return labels

    # ------------------------------------------------------------------ calendar.event (Google/Outlook sync)
    def _calendar_event_values(self):
        self.ensure_one()
        # Superuser: hr.employee is private to non-HR users (receptionists book too); only its user is read.
        user = self.employee_id.sudo().user_id
        return {
            "name": self.name,
            "start": self.start,
            "stop": self.stop,
            "user_id": user.id,
            "partner_ids": [(6, 0, user.partner_id.ids)],
            "privacy": "private",
            "show_as": "busy",
            "description": self.service_id.name or "",
        }

    @api.model
    def _randevu_has_staff_calendar(self, employee_id):
        """Whether the staff member `employee_id` has a user, whose calendar carries
        their appointments (the others have no calendar.event to write)."""
        # Superuser: hr.employee is private to non-HR users (receptionists book too).
        return bool(employee_id and self.env["hr.employee"].sudo().browse(employee_id).user_id)

    def _randevu_calendar_touched(self, vals):
        """Whether writing `vals` on these appointments changes a staff calendar: one
        of them has an event already, or its staff member (the new one in `vals`) has a
        calendar. A fixed number of queries for any number of appointments."""
        if "employee_id" in vals and self._randevu_has_staff_calendar(vals["employee_id"]):
            return True
        # Superuser: the events are the staff members' own, and hr.employee is private
        # to non-HR users (receptionists move appointments too); only booleans come out.
        appointments_sudo = self.sudo()
        if appointments_sudo.calendar_event_id:
            return True
        return "employee_id" not in vals and bool(appointments_sudo.employee_id.user_id)

    @api.model
    def _randevu_trigger_calendar_sync(self):
        """Have the calendar cron write the pending events once the current transaction
        commits: a booking or a move does not wait for the staff member's calendar."""
        cron = self.env.ref("randevu_calendar.ir_cron_randevu_calendar_sync", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger()  # superuser: any user's change may wake the cron

    @api.model
    def _cron_sync_calendar_events(self, batch_size=200, limit=5000, auto_commit=None):
        """Write the calendar.event of every appointment changed since the last run
        (`calendar_sync_pending`), batch by batch. A run that is cut short leaves the
        rest pending; an appointment changed again meanwhile is simply written again."""
        pending = self.sudo().with_context(active_test=False)  # superuser: every branch's appointments
        ids = pending.search([("calendar_sync_pending", "=", True)], order="id", limit=limit).ids

        def process(batch_ids):
            appointments = pending.browse(batch_ids)
            appointments._sync_calendar_events()
            appointments.write({"calendar_sync_pending": False})

        return run_batches(self.env, ids, process, batch_size=batch_size, auto_commit=auto_commit, name="calendar sync")

    def _sync_calendar_events(self):
        """One calendar.event per active appointment of a staff member who has a user,
        so that Odoo's Google/Outlook synchronisation carries it to their calendar."""
        # The event belongs to the staff member's user, not to whoever books: superuser.
        Event_sudo = (
            self.env["calendar.event"]
            .sudo()
            .with_context(no_mail_to_attendees=True, dont_notify=True, mail_create_nolog=True, mail_notrack=True)
        )
        to_create = []
        for appointment in self:
            event_sudo = appointment.sudo().calendar_event_id
            # Superuser for the staff member's user: hr.employee is private to non-HR users
            # (reading it prefetches the employee's private fields).
            keep = appointment.state in self._ACTIVE_STATES and appointment.employee_id.sudo().user_id
            if not keep:
                if event_sudo:
                    event_sudo.with_env(Event_sudo.env).unlink()
                continue
            if event_sudo:
                event_sudo.with_env(Event_sudo.env).write(appointment._calendar_event_values())
            else:
                to_create.append(appointment)
        if to_create:
            events = Event_sudo.create([appointment._calendar_event_values() for appointment in to_create])
            for appointment, event in zip(to_create, events, strict=True):
                appointment.sudo().calendar_event_id = event

    # ------------------------------------------------------------------ actions
    def _set_state(self, state, allowed_from):
        wrong = self.filtered(lambda appt: appt.state not in allowed_from)
        if wrong:
            raise UserError(
                self.env._(
                    "Cannot change %(appointments)s to %(state)s from its current status.",
                    appointments=", ".join(wrong.mapped("name")),
                    state=dict(self._fields["state"]._description_selection(self.env))[state],
                )
            )
        self.write({"state": state})
        return True

    def action_confirm(self):
        return self._set_state("confirmed", ("booked",))

    def action_arrive(self):
        # From no-show too: a customer who comes after the grace time is checked in all the same.
        return self._set_state("arrived", CHECK_IN_STATES)

    def action_start(self):
        return self._set_state("in_progress", APPOINTMENT_BEFORE_SERVICE_STATES)

    def action_done(self):
        return self._set_state("done", APPOINTMENT_NOT_OVER_STATES)

    def action_no_show(self):
        result = self._set_state("no_show", APPOINTMENT_EXPECTED_STATES)
        # A whole session missed: its attendees who were expected did not come either.
        self.attendee_ids.filtered(lambda att: att.state in ATTENDEE_EXPECTED_STATES).write({"state": "no_show"})
        return result

    def action_confirm_no_show(self):
        """Reception confirms what the no-show cron suspected: the appointment is a
        no-show; in a group session, the suspected attendees are."""
        sessions = self.filtered(lambda appt: appt.service_capacity > 1)
        (self - sessions).filtered("noshow_suspected").action_no_show()
        sessions._mark_attendees_no_show(sessions.attendee_ids.filtered("noshow_suspected"))
        return True

    def action_cancel(self):
        return self._set_state("cancelled", APPOINTMENT_BEFORE_SERVICE_STATES)

    def action_reset(self):
        return self._set_state("booked", APPOINTMENT_CALLED_OFF_STATES)

    # ------------------------------------------------------------------ recurring appointments
    def action_open_recurrence_wizard(self):
        self.ensure_one()
        if self.recurrence_id:
            raise UserError(self.env._("%s already belongs to a series.", self._local_labels()[0]))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Repeat Appointment"),
            "res_model": "randevu.recurrence.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_appointment_id": self.id},
        }

    def action_open_series_edit_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Edit Series"),
            "res_model": "randevu.series.edit.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_appointment_id": self.id},
        }

    def _occurrence_values(self, start, employee=None, resources=None):
        """Values of an occurrence of this appointment at `start` (naive UTC), with
        another staff member or resources when an alternative slot gives them."""
        self.ensure_one()
        employee = employee or self.employee_id
        vals = {
            "company_id": self.company_id.id,
            "service_id": self.service_id.id,
            "employee_id": employee.id,
            "resource_ids": [(6, 0, (self.resource_ids if resources is None else resources).ids)],
            "start": start,
            "partner_id": self.partner_id.id,
            "source": self.source,
            "customer_note": self.customer_note,
            "internal_note": self.internal_note,
            "recurrence_id": self.recurrence_id.id,
        }
        if employee == self.employee_id:
            # Another staff member brings their own duration and price (computed).
            vals.update(duration=self.duration, price=self.price)
        if self.sudo().hours_override and self.env.user.has_group("randevu_calendar.group_randevu_manager"):
            vals["hours_override"] = True
        return vals

    def action_apply_to_series(self, vals, scope="one"):
        """Apply `vals` to this occurrence ('one'), to it and the later occurrences of
        its series ('following') or to every occurrence ('all').

        Only booked or confirmed occurrences besides this one are changed. ``start`` is
        this occurrence's new start: the others keep their own date, moved by the same
        number of days, at the same new local wall-clock time (DST-safe). ``state`` may
        only be 'cancelled' (with ``cancel_reason``); ``stop`` only for 'one' (change
        ``duration`` for a series). Everything is checked at once and applied all or
        nothing: one conflicting occurrence and none is changed.
        """
        self.ensure_one()
        if scope not in SERIES_SCOPES:
            raise UserError(self.env._("Unknown scope %s: use one, following or all.", scope))
        if scope != "one" and not self.recurrence_id:
            raise UserError(self.env._("%s is not part of a series.", self._local_labels()[0]))
        vals = dict(vals)
        state = vals.pop("state", None)
        if state not in (None, "cancelled"):
            raise UserError(self.env._("A series can only be cancelled from here; change other statuses one by one."))
        if scope != "one" and "stop" in vals:
            raise UserError(self.env._("To change the length of several occurrences, change the duration."))
        new_start = vals.pop("start", None)
        targets = self._series_targets(scope)
        with self.env.cr.savepoint():
            if new_start and scope != "one":
                targets._write_series_starts(vals, self._series_starts(targets, fields.Datetime.to_datetime(new_start)))
            elif new_start or vals:
                targets.write(dict(vals, start=new_start) if new_start else vals)
            if state == "cancelled":
                targets._set_state("cancelled", APPOINTMENT_BEFORE_SERVICE_STATES)
        return True

    def _series_targets(self, scope):
        self.ensure_one()
        if scope == "one":
            return self
        series = self.recurrence_id.appointment_ids.filtered(lambda appt: appt.state in self._SERIES_EDITABLE_STATES)
        if scope == "following":
            series = series.filtered(lambda appt: appt.start >= self.start)
        return (self | series).sorted("start")

    def _series_starts(self, targets, new_start):
        """{appointment id: new naive UTC start}: this occurrence moves to `new_start`, the
        others by the same number of local days, at the same new local time."""
        self.ensure_one()
        clock = self.company_id._randevu_clock()
        new_local = clock.to_local(new_start)
        day_shift = new_local.date() - clock.local_day(self.start)
        starts = {}
        for appointment in targets:
            local_day = clock.local_day(appointment.start) + day_shift
            # A time shown twice that day is its first time, a skipped one the change.
            starts[appointment.id] = clock.to_utc(datetime.combine(local_day, new_local.time()))
        starts[self.id] = new_start  # the moved occurrence is where it was put, even in a repeated hour
        return starts

    def _write_series_starts(self, vals, starts):
        """Write `vals` and each occurrence's own start ({id: start}), then do what
        write() does after a time change once for the whole series: one check naming
        every conflicting occurrence, then busy times and calendar events."""
        self._check_field_rights(vals)
        before = self._randevu_change_snapshot()
        now = fields.Datetime.now()
        for appointment in self:
            # The base write only: the checks below see every occurrence at its new time.
            super(RandevuAppointment, appointment).write(
                dict(vals, start=starts[appointment.id], start_set_date=now, calendar_sync_pending=True)
            )
        self._check_booking_rules()
        self._sync_segments()
        self._randevu_trigger_calendar_sync()
        if vals.get("hours_override"):
            self._log_override()
        self._randevu_send_change_notices(before)
        return True

    # ------------------------------------------------------------------ messages to customers and staff
    def _randevu_bundle_key(self):
        """Appointments sharing this key are told about in one message (see randevu_bundle_ids)."""
        self.ensure_one()
        if self.recurrence_id:
            return (self.partner_id.id, "series", self.recurrence_id.id)
        if self.visit_id:
            return (self.partner_id.id, "visit", self.visit_id.id)
        return (self.partner_id.id, "appointment", self.id)

    def _randevu_bundle_heads(self):
        """The first appointment of `self` per bundle: the one a grouped message goes on."""
        heads = self.browse()
        for _key, appointments in self.grouped(lambda appt: appt._randevu_bundle_key()).items():
            heads |= appointments.sorted(lambda appt: (appt.start, appt.id))[0]
        return heads

    def _randevu_to_notify(self):
        """Those of `self` a customer is told about: with a customer and a service, still to come."""
        if self.env.context.get("randevu_no_notify"):
            return self.browse()
        now = fields.Datetime.now()
        return self.filtered(
            lambda appt: (
                appt.partner_id and appt.service_id and appt.state in APPOINTMENT_EXPECTED_STATES and appt.start > now
            )
        )

    def _randevu_sessions_to_notify(self):
        """Those of `self` that are group classes whose attendees are told about: still to come."""
        if self.env.context.get("randevu_no_notify"):
            return self.browse()
        now = fields.Datetime.now()
        return self.filtered(
            lambda appt: (
                not appt.partner_id
                and appt.service_id.randevu_capacity > 1
                and appt.state in APPOINTMENT_EXPECTED_STATES
                and appt.start > now
            )
        )

    def _randevu_send_confirmations(self):
        """One confirmation per booking: a series or a package booked at once is
        confirmed once, on its first appointment, listing the others (an .ics of them
        all attached); the occurrences added to a series by the recurrence wizard get
        one confirmation listing the whole series."""
        # Superuser: messages are system records, rendered with the staff and branch data
        # the booking user (a portal customer, a receptionist) may not read.
        appointments_sudo = self._randevu_to_notify().sudo()
        if appointments_sudo:
            self.env["randevu.message"].sudo()._randevu_notify(
                appointments_sudo._randevu_bundle_heads(), "confirmation"
            )

    def _randevu_change_snapshot(self):
        return {appt.id: (appt.start, appt.employee_id, appt.state) for appt in self}

    def _randevu_send_change_notices(self, before):
        """After a move, a change of staff member or a cancellation: withdraw what would
        still go out about the old time (or at all, once cancelled), tell the customer
        (one notice per series or visit) and the staff members concerned."""
        moved, cancelled = self.browse(), self.browse()
        previous_staff = {}
        now = fields.Datetime.now()
        for appointment in self:
            old_start, old_employee, old_state = before.get(appointment.id, (None, None, None))
            if old_state not in APPOINTMENT_EXPECTED_STATES:
                continue
            if appointment.state == "cancelled":
                cancelled |= appointment
            elif appointment.state in APPOINTMENT_EXPECTED_STATES and (
                old_start != appointment.start or old_employee != appointment.employee_id
            ):
                moved |= appointment
                if old_employee != appointment.employee_id:
                    previous_staff[appointment.id] = old_employee
        if not moved and not cancelled:
            return
        # Superuser: see _randevu_send_confirmations.
        moved_sudo, cancelled_sudo = moved.sudo(), cancelled.sudo()
        cancelled_sudo.randevu_message_ids._randevu_withdraw(self.env._("The appointment was cancelled."))
        moved_sudo.randevu_message_ids.filtered(
            lambda msg: msg.appointment_start != msg.appointment_id.start
        )._randevu_withdraw(self.env._("The appointment was moved."), kinds=("reminder", "reschedule"))
        Message_sudo = self.env["randevu.message"].sudo()
        Message_sudo._randevu_notify(moved_sudo._randevu_to_notify()._randevu_bundle_heads(), "reschedule")
        # Group classes: each attendee with a seat hears about the move or the cancellation.
        Message_sudo._randevu_notify_attendees(
            moved_sudo._randevu_sessions_to_notify().attendee_ids.filtered(
                lambda att: att.state in ATTENDEE_EXPECTED_STATES
            ),
            "reschedule",
        )
        if not self.env.context.get("randevu_no_notify"):
            to_tell = cancelled_sudo.filtered(lambda appt: appt.partner_id and appt.service_id and appt.start > now)
            Message_sudo._randevu_notify(to_tell._randevu_bundle_heads(), "cancellation")
            sessions_sudo = cancelled_sudo.filtered(lambda appt: appt.service_capacity > 1 and appt.start > now)
            Message_sudo._randevu_notify_attendees(
                sessions_sudo.attendee_ids.filtered(lambda att: att.state in ATTENDEE_EXPECTED_STATES),
                "cancellation",
            )
        # Staff members hear about appointments still to come (not about marking an old one cancelled).
        (moved | cancelled).filtered(lambda appt: appt.start > now)._randevu_notify_staff(before, previous_staff)

    def _randevu_notify_staff(self, before, previous_staff):
        """An Odoo notification (inbox or email, as each user chose) to the staff members
        whose appointment was moved, cancelled, given to them or taken from them, in
        their own language. Whoever made the change is not told."""
        if self.env.context.get("randevu_no_notify"):
            return
        for appointment in self.sudo():  # the staff member's user and employee record: superuser
            old_start = before[appointment.id][0]
            recipients = []
            user = appointment.employee_id.user_id
            if user:
                recipients.append((user, "current"))
            old_user = previous_staff.get(appointment.id, self.env["hr.employee"]).sudo().user_id
            if old_user and old_user != user:
                recipients.append((old_user, "previous"))
            for recipient, role in recipients:
                if recipient == self.env.user:
                    continue
                local = appointment.with_context(lang=recipient.lang or self.env.lang)
                name = appointment.name
                if appointment.state == "cancelled":
                    body = local.env._(
                        "%(appointment)s on %(when)s was cancelled.", appointment=name, when=local.msg_when
                    )
                elif role == "previous":
                    body = local.env._(
                        "%(appointment)s on %(when)s was given to %(staff)s.",
                        appointment=name,
                        when=local.msg_when,
                        staff=appointment.employee_id.name,
                    )
                elif appointment.id in previous_staff:
                    body = local.env._(
                        "%(appointment)s on %(when)s is now yours.", appointment=name, when=local.msg_when
                    )
                else:
                    body = local.env._(
                        "%(appointment)s was moved to %(when)s (it was on %(old)s).",
                        appointment=name,
                        when=local.msg_when,
                        old=local._randevu_local_label(old_start),
                    )
                appointment.message_notify(
                    partner_ids=recipient.partner_id.ids,
                    subject=local.env._("Appointment changed: %s", name),
                    body=body,
                )

    def _randevu_prepare_rating(self, attendees=None):
        """Give each of these visits a pending rating request for its customer (the
        token of the review links), and each of `attendees` (of group classes) one for
        their class, all in one create."""
        pairs = [(appointment, appointment.partner_id) for appointment in self.filtered("partner_id")]
        pairs += [(attendee.appointment_id, attendee.partner_id) for attendee in attendees or ()]
        if not pairs:
            return
        Rating_sudo = self.env["rating.rating"].sudo()  # rating requests are system records
        appointment_ids = list({appointment.id for appointment, _partner in pairs})
        pending = {
            (rating.res_id, rating.partner_id.id)
            for rating in Rating_sudo.search(
                [("res_model", "=", self._name), ("res_id", "in", appointment_ids), ("consumed", "=", False)]
            )
        }
        model_id = self.env["ir.model"]._get_id(self._name)
        Rating_sudo.create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": appointment.id,
                    "partner_id": partner.id,
                    "rated_partner_id": appointment.sudo().employee_id.user_id.partner_id.id,
                }
                for appointment, partner in pairs
                if (appointment.id, partner.id) not in pending
            ]
        )

    def _randevu_ensure_access_tokens(self):
        """Give the appointments of `self` created without one a portal access token
        (the manage link), in one statement rather than one write each."""
        missing = self.filtered(lambda appt: not appt.access_token)
        if missing:
            self.env.cr.execute(
                SQL(
                    "UPDATE randevu_appointment SET access_token = gen_random_uuid()::text "
                    "WHERE id IN %s AND access_token IS NULL",
                    tuple(missing.ids),
                )
            )
            missing.invalidate_recordset(["access_token"])

    def action_view_randevu_messages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("randevu_calendar.randevu_message_action")
        action["domain"] = [("appointment_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------ group sessions
    def _check_capacity(self):
        full = self.filtered(lambda appt: appt.service_id and appt.seats_taken > appt.service_capacity)
        if full:
            raise ValidationError(
                "\n".join(
                    self.env._(
                        "%(session)s is full: %(taken)s attendees for %(capacity)s seats. "
                        "Put the others on the waitlist.",
                        session=label,
                        taken=session.seats_taken,
                        capacity=session.service_capacity,
                    )
                    for session, label in zip(full, full._local_labels(), strict=True)
                )
            )

    def _lock_sessions(self):
        """Lock the rows of these sessions and read their attendees from the database.

        The row lock serializes seat changes: a second transaction adding an attendee
        waits here until the first one ends. Seats are then counted from the database,
        not from the cache. Each seat change also rewrites the session row (the stored
        seats_taken), so under Odoo's REPEATABLE READ isolation the waiting transaction
        gets a serialization failure instead of a stale count, and Odoo retries the
        request, which then sees the seat taken.

        :return: {session id: [{'id', 'partner_id', 'state', 'sequence'}, ...]}
        """
        if not self:
            return {}
        self.env["randevu.attendee"].flush_model(["appointment_id", "partner_id", "state", "sequence"])
        # Rows are locked in id order, so that two transactions locking several sessions cannot deadlock.
        self.env.cr.execute(
            "SELECT id FROM randevu_appointment WHERE id = ANY(%s) ORDER BY id FOR UPDATE", [sorted(self.ids)]
        )
        self.env.cr.execute(
            """
            SELECT appointment_id, id, partner_id, state, sequence
              FROM randevu_attendee
             WHERE appointment_id = ANY(%s)
             ORDER BY sequence, id
            """,
            [self.ids],
        )
        seats = {session_id: [] for session_id in self.ids}
        for session_id, attendee_id, partner_id, state, sequence in self.env.cr.fetchall():
            seats[session_id].append(
                {"id": attendee_id, "partner_id": partner_id, "state": state, "sequence": sequence}
            )
        return seats

    def _seat_values(self, rows, state="booked"):
        """State and join order of a new attendee of this session, given its current
        attendees `rows` (from _lock_sessions): a seat if one is left, else the waitlist."""
        self.ensure_one()
        if self.service_capacity <= 1:
            raise UserError(self.env._("%s is not a group class: it takes no attendees.", self._local_labels()[0]))
        if state in ATTENDEE_EXPECTED_STATES and self.state not in self._SESSION_OPEN_STATES:
            raise UserError(self.env._("%s is no longer open for booking.", self._local_labels()[0]))
        taken = sum(1 for row in rows if row["state"] in ATTENDEE_SEAT_STATES)
        if state in ATTENDEE_SEAT_STATES and taken >= self.service_capacity:
            state = "waitlist"
        return {"state": state, "sequence": max((row["sequence"] for row in rows), default=0) + 1}

    def _add_attendee(self, partner):
        """Give `partner` a seat in this session, or a place on its waitlist when it is
        full (counted under the session row lock). A customer who had cancelled comes
        back the same way. Returns the randevu.attendee."""
        self.ensure_one()
        partner.ensure_one()
        rows = self._lock_sessions()[self.id]
        existing = next((row for row in rows if row["partner_id"] == partner.id), None)
        if not existing:
            return self.env["randevu.attendee"].create({"appointment_id": self.id, "partner_id": partner.id})
        attendee = self.env["randevu.attendee"].browse(existing["id"])
        if existing["state"] != "cancelled":
            raise UserError(
                self.env._(
                    "%(partner)s is already in %(session)s.",
                    partner=partner.display_name,
                    session=self._local_labels()[0],
                )
            )
        attendee.write(self._seat_values([row for row in rows if row is not existing]))
        return attendee

    def _promote_waitlist(self):
        """Give the seats left in these sessions to their waitlist, in join order, and
        say so in each session's chatter."""
        sessions = self.filtered(lambda appt: appt.state in self._SESSION_OPEN_STATES and appt.service_capacity > 1)
        if not sessions:
            return
        seats = sessions._lock_sessions()
        promoted_by_session = {}
        for session in sessions:
            rows = seats[session.id]
            free = session.service_capacity - sum(1 for row in rows if row["state"] in ATTENDEE_SEAT_STATES)
            queue = [row["id"] for row in rows if row["state"] == "waitlist"]
            if free > 0 and queue:
                promoted_by_session[session] = self.env["randevu.attendee"].browse(queue[:free])
        if not promoted_by_session:
            return
        self.env["randevu.attendee"].concat(*promoted_by_session.values()).write({"state": "booked"})
        for session, promoted in promoted_by_session.items():
            session.message_post(
                body=self.env._(
                    "A seat freed up: %(partners)s moved from the waitlist to %(session)s.",
                    partners=", ".join(promoted.partner_id.mapped("display_name")),
                    session=session._local_labels()[0],
                ),
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------------ no-shows
    @api.model
    def _noshow_due_domain(self, now):
        """Appointments whose branch's grace time after the start has passed by `now`
        without arrival, and that the no-show cron has not handled yet: a customer's
        appointment still booked or confirmed, or a group session with attendees still
        booked or confirmed. One domain for every branch (grouped by grace time)."""
        # Superuser: the cron looks at every branch, whoever runs it.
        branches_sudo = self.env["res.company"].sudo().search([])
        branch_ids_by_grace = defaultdict(list)
        for branch_sudo in branches_sudo:
            branch_ids_by_grace[branch_sudo.randevu_noshow_grace].append(branch_sudo.id)
        due = expression.OR(
            [
                [("company_id", "in", branch_ids), ("start", "<=", now - timedelta(minutes=grace))]
                for grace, branch_ids in sorted(branch_ids_by_grace.items())
            ]
        )
        customer_waiting = [
            ("partner_id", "!=", False),
            ("state", "in", APPOINTMENT_EXPECTED_STATES),
            ("noshow_suspected", "=", False),
        ]
        session_waiting = [
            ("state", "not in", APPOINTMENT_CALLED_OFF_STATES),
            (
                "attendee_ids",
                "any",
                [("state", "in", ATTENDEE_EXPECTED_STATES), ("noshow_suspected", "=", False)],
            ),
        ]
        return expression.AND([due, expression.OR([customer_waiting, session_waiting])])

    @api.model
    def _cron_mark_no_shows(self, batch_size=200, limit=None):
        """Handle the customers who did not come: once the branch's grace time after
        the start has passed without arrival, mark the appointment (or, in a group
        session, each attendee not checked in) no-show at branches in automatic mode,
        or flag it as a suspected no-show for reception to confirm.

        One search for every branch, then batches of `batch_size` (at most `limit`
        appointments per run), with progress reported to the cron runner. Idempotent:
        what was handled leaves the search (no longer booked, or flagged), so running
        it again changes nothing more. Returns the number of appointments handled.
        """
        due = self.sudo().search(self._noshow_due_domain(fields.Datetime.now()), order="start, id")
        todo = due[:limit] if limit else due
        # Committed per batch outside tests (tools/cron_batches): a batch is complete in
        # itself, and its appointments leave the search once handled.
        return run_batches(
            self.env,
            todo.ids,
            lambda batch_ids: self.sudo().browse(batch_ids)._handle_no_shows(),
            batch_size,
            total=len(due),
            name="No-shows",
        )

    def _handle_no_shows(self):
        """Apply the branch's no-show handling to these appointments, found by
        _noshow_due_domain: automatic branches mark them (or the attendees not checked
        in) no-show, the others flag them for reception. Each is explained in its chatter."""
        customer_appointments = self.filtered(
            lambda appt: appt.partner_id and appt.state in APPOINTMENT_EXPECTED_STATES
        )
        attendees = (self - customer_appointments).attendee_ids.filtered(
            lambda att: att.state in ATTENDEE_EXPECTED_STATES and not att.noshow_suspected
        )
        for branch in self.company_id:
            grace = branch.randevu_noshow_grace
            branch_appointments = customer_appointments.filtered(lambda appt, branch=branch: appt.company_id == branch)
            branch_attendees = attendees.filtered(lambda att, branch=branch: att.appointment_id.company_id == branch)
            sessions = branch_attendees.appointment_id
            names = {
                session.id: ", ".join((branch_attendees & session.attendee_ids).partner_id.mapped("display_name"))
                for session in sessions
            }
            if branch.randevu_noshow_mode == "automatic":
                # The reason goes into the tracking message of the status change.
                branch_appointments._track_set_log_message(
                    self.env._("No arrival within %s minutes of the start: marked no-show automatically.", grace)
                )
                branch_appointments.write({"state": "no_show"})
                sessions._mark_attendees_no_show(branch_attendees)
                session_notes = {
                    session_id: self.env._(
                        "No arrival within %(minutes)s minutes of the start: %(names)s marked no-show.",
                        minutes=grace,
                        names=session_names,
                    )
                    for session_id, session_names in names.items()
                }
            else:
                branch_appointments.write({"noshow_suspected": True})
                branch_attendees.write({"noshow_suspected": True})
                branch_appointments._message_log_batch(
                    dict.fromkeys(
                        branch_appointments.ids,
                        self.env._(
                            "No arrival within %s minutes of the start: no-show suspected. Check the customer in "
                            "or confirm the no-show.",
                            grace,
                        ),
                    )
                )
                session_notes = {
                    session_id: self.env._(
                        "No arrival within %(minutes)s minutes of the start: %(names)s may be no-shows. "
                        "Check them in or confirm the no-shows.",
                        minutes=grace,
                        names=session_names,
                    )
                    for session_id, session_names in names.items()
                }
            sessions._message_log_batch(session_notes)

    def _mark_attendees_no_show(self, attendees):
        """Mark `attendees` of these sessions no-show; a session left with nobody
        holding a seat that was still waiting for its customers is a no-show too."""
        attendees.write({"state": "no_show"})
        self.filtered(lambda session: session.state in APPOINTMENT_EXPECTED_STATES and not session.seats_taken).write(
            {"state": "no_show"}
        )
