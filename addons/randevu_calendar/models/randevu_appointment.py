from datetime import timedelta

import psycopg2.errors
import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

# Fields whose change can move, resize or re-assign the time an appointment holds.
TIME_FIELDS = {"start", "stop", "duration", "employee_id", "resource_ids", "service_id", "state", "company_id"}


class RandevuAppointment(models.Model):
    _name = "randevu.appointment"
    _description = "Appointment"
    _inherit = ["mail.thread", "mail.activity.mixin", "portal.mixin"]
    _order = "start desc, id desc"
    _check_company_auto = True

    # States that hold the staff member's and resources' time.
    _ACTIVE_STATES = ("booked", "confirmed", "arrived", "in_progress", "done")

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
        check_company=True,
        index=True,
        domain="[('randevu_bookable', '=', True)]",
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
    customer_note = fields.Text(help="Allergies, preferences: carried over from the customer's profile.")
    internal_note = fields.Text()
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

    _sql_constraints = [
        ("stop_after_start", "CHECK(stop > start)", "An appointment must end after it starts."),
        ("duration_positive", "CHECK(duration > 0)", "An appointment needs a duration."),
        ("price_positive", "CHECK(price >= 0)", "A price cannot be negative."),
    ]

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
            line = service._randevu_staff_line(appointment.employee_id)
            appointment.duration = line._effective_duration() if line else service.randevu_duration

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
            line = service._randevu_staff_line(appointment.employee_id) if service else False
            appointment.price = line._effective_price() if line else service.list_price if service else 0.0

    def _compute_access_url(self):
        super()._compute_access_url()
        for appointment in self:
            appointment.access_url = f"/my/appointments/{appointment.id}"
        return None

    @api.model
    def _group_expand_states(self, states, domain):
        return [key for key, _label in self._fields["state"].selection]

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_override_allowed(vals)
            if vals.get("partner_id") and "customer_note" not in vals:
                partner_sudo = self.env["res.partner"].sudo().browse(vals["partner_id"])  # note is group-restricted
                vals["customer_note"] = partner_sudo.randevu_customer_note or False
        appointments = super().create(vals_list)
        appointments._check_booking_rules()
        appointments._sync_segments()
        appointments._sync_calendar_events()
        appointments.filtered(lambda appt: appt.sudo().hours_override)._log_override()
        return appointments

    def write(self, vals):
        self._check_override_allowed(vals)
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
        result = super().write(vals)
        if TIME_FIELDS & set(vals) or "hours_override" in vals:
            self._check_booking_rules()
            self._sync_segments()
        if TIME_FIELDS & set(vals) or "partner_id" in vals:
            self._sync_calendar_events()
        if vals.get("hours_override"):
            self._log_override()
        return result

    def unlink(self):
        events_sudo = self.sudo().calendar_event_id  # the staff member's event may belong to another user
        result = super().unlink()
        events_sudo.unlink()
        return result

    def _check_override_allowed(self, vals):
        if vals.get("hours_override") and not self.env.user.has_group("randevu_calendar.group_randevu_manager"):
            raise AccessError(self.env._("Only a Randevu manager may book outside working hours."))

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
        self.env["randevu.availability"]._check_appointments(active)

    def _eligibility_problems(self):
        self.ensure_one()
        problems = []
        service, employee = self.service_id, self.employee_id
        if not employee.randevu_bookable:
            problems.append(self.env._("%s does not take appointments.", employee.name))
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
        service = self.service_id
        before = timedelta(hours=service.randevu_buffer_before) if service else timedelta()
        after = timedelta(hours=service.randevu_buffer_after) if service else timedelta()
        held_start, held_stop = self.start - before, self.stop + after
        staff_parts = [(held_start, held_stop)]
        if service and service.randevu_processing_duration:
            gap_start = self.start + timedelta(hours=service.randevu_processing_start)
            gap_stop = gap_start + timedelta(hours=service.randevu_processing_duration)
            if held_start < gap_start and gap_stop < held_stop:
                staff_parts = [(held_start, gap_start), (gap_stop, held_stop)]
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
            tz = pytz.timezone(appointment.company_id._randevu_branch_tz())
            start = pytz.utc.localize(appointment.start).astimezone(tz)
            stop = pytz.utc.localize(appointment.stop).astimezone(tz)
            labels.append(f"{appointment.name} ({start:%a %d %b %H:%M}-{stop:%H:%M})")
        return labels

    # ------------------------------------------------------------------ calendar.event (Google/Outlook sync)
    def _calendar_event_values(self):
        self.ensure_one()
        user = self.employee_id.user_id
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
            keep = appointment.state in self._ACTIVE_STATES and appointment.employee_id.user_id
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
        return self._set_state("arrived", ("booked", "confirmed"))

    def action_start(self):
        return self._set_state("in_progress", ("booked", "confirmed", "arrived"))

    def action_done(self):
        return self._set_state("done", ("booked", "confirmed", "arrived", "in_progress"))

    def action_no_show(self):
        return self._set_state("no_show", ("booked", "confirmed"))

    def action_cancel(self):
        return self._set_state("cancelled", ("booked", "confirmed", "arrived"))

    def action_reset(self):
        return self._set_state("booked", ("cancelled", "no_show"))
