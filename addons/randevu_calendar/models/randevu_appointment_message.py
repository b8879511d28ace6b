from datetime import datetime

import pytz
import vobject
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools.misc import format_date, format_time

from ..const import APPOINTMENT_EXPECTED_STATES
from ..tools.local_clock import repeated_time_suffix


class RandevuAppointment(models.Model):
    """What messages say about an appointment: the values templates render (`msg_*`,
    in the branch's timezone and the recipient's language), the appointments a
    message covers (a series, a visit) and the .ics sent along or downloaded."""

    _inherit = "randevu.appointment"

    randevu_bundle_ids = fields.Many2many(
        "randevu.appointment",
        compute="_compute_randevu_bundle_ids",
        string="Covered Appointments",
        help="What a message about this appointment lists: the series or visit it belongs to.",
    )
    # Template values, in the branch's timezone and the context's language (see data/mail_template_data.xml).
    # The recipient is the customer, or for a group class the attendee the context key
    # `randevu_recipients` ((appointment id, partner id), ...) names (see randevu.message).
    msg_customer = fields.Char(compute="_compute_msg_recipient", compute_sudo=True, string="Recipient Name")
    msg_lang = fields.Char(compute="_compute_msg_recipient", compute_sudo=True, string="Recipient Language")
    msg_when = fields.Char(compute="_compute_msg_values", compute_sudo=True, string="Local Date and Time")
    msg_service = fields.Char(compute="_compute_msg_values", compute_sudo=True, string="Service Name")
    msg_staff = fields.Char(compute="_compute_msg_values", compute_sudo=True, string="Staff Name")
    msg_branch = fields.Char(compute="_compute_msg_values", compute_sudo=True, string="Branch Name")
    msg_address = fields.Char(compute="_compute_msg_values", compute_sudo=True, string="Branch Address")
    msg_policy = fields.Char(compute="_compute_msg_values", compute_sudo=True, string="Cancellation Policy")
    msg_manage_url = fields.Char(compute="_compute_msg_values", compute_sudo=True, string="Manage URL")
    msg_manage_link = fields.Html(
        compute="_compute_msg_values", compute_sudo=True, sanitize=False, string="Manage Link"
    )
    msg_bundle = fields.Html(compute="_compute_msg_values", compute_sudo=True, sanitize=False, string="Appointments")
    msg_rating_links = fields.Html(
        compute="_compute_msg_rating_links", compute_sudo=True, sanitize=False, string="Rating Links"
    )

    # ------------------------------------------------------------------ computes
    @api.depends("recurrence_id", "visit_id", "state", "start")
    def _compute_randevu_bundle_ids(self):
        """A series: its occurrences still to come (in this one's state group); a visit:
        its appointments in this one's state group; else the appointment itself."""
        now = fields.Datetime.now()
        for appointment in self:
            upcoming = appointment.state in APPOINTMENT_EXPECTED_STATES
            if appointment.recurrence_id:
                bundle = appointment.recurrence_id.appointment_ids.filtered(
                    lambda appt, upcoming=upcoming, this=appointment: (
                        (appt.state in APPOINTMENT_EXPECTED_STATES) == upcoming and (appt.start > now or appt == this)
                    )
                )
            elif appointment.visit_id:
                bundle = appointment.visit_id.appointment_ids.filtered(
                    lambda appt, upcoming=upcoming: (appt.state in APPOINTMENT_EXPECTED_STATES) == upcoming
                )
            else:
                bundle = appointment
            appointment.randevu_bundle_ids = (bundle | appointment).sorted(lambda appt: (appt.start, appt.id))

    @api.depends_context("randevu_recipients")
    @api.depends("partner_id.name", "partner_id.lang")
    def _compute_msg_recipient(self):
        recipients = self._randevu_recipients()
        for appointment in self:
            partner = recipients.get(appointment.id) or appointment.partner_id
            appointment.msg_customer = partner.name or ""
            appointment.msg_lang = partner.lang or False

    @api.depends_context("lang", "randevu_recipients")
    @api.depends(
        "start", "stop", "company_id", "service_id", "employee_id", "recurrence_id", "visit_id", "state", "access_token"
    )
    def _compute_msg_values(self):
        recipients = self._randevu_recipients()
        for appointment in self:
            branch = appointment.company_id
            appointment.msg_when = appointment._randevu_local_label(appointment.start)
            appointment.msg_service = appointment.service_id.name or ""
            appointment.msg_staff = appointment.employee_id.name or ""
            appointment.msg_branch = branch.name or ""
            appointment.msg_address = ", ".join(
                part
                for part in (branch.street, branch.street2, " ".join(filter(None, (branch.zip, branch.city))))
                if part
            )
            appointment.msg_policy = appointment._randevu_cancel_policy()
            if appointment.id in recipients:
                # An attendee of a group class: the session's own link would manage the whole class.
                appointment.msg_manage_url = branch.website or branch.phone or branch.email or ""
                appointment.msg_manage_link = self.env._(
                    "To change or cancel your place, please contact %(branch)s: %(contact)s",
                    branch=branch.name or "",
                    contact=", ".join(filter(None, (branch.phone, branch.email))),
                )
            else:
                url = appointment._randevu_manage_url()
                appointment.msg_manage_url = url
                appointment.msg_manage_link = Markup('<a href="%s">%s</a>') % (
                    url,
                    self.env._("View, move or cancel your appointment"),
                )
            items = Markup("").join(
                Markup("<li>%s</li>")
                % self.env._(
                    "%(when)s: %(service)s with %(staff)s",
                    when=appt._randevu_local_label(appt.start),
                    service=appt.service_id.name or "",
                    staff=appt.employee_id.name or "",
                )
                for appt in appointment.randevu_bundle_ids
            )
            appointment.msg_bundle = Markup("<ul>%s</ul>") % items

    @api.depends_context("lang", "randevu_recipients")
    @api.depends("rating_ids.access_token", "rating_ids.consumed", "partner_id")
    def _compute_msg_rating_links(self):
        """Links rating the visit 5 (great), 3 (okay) or 1 (bad), with the token of its
        pending rating request for the recipient (see _randevu_prepare_rating)."""
        recipients = self._randevu_recipients()
        labels = (
            (5, self.env._("Great")),
            (3, self.env._("Okay")),
            (1, self.env._("Not good")),
        )
        for appointment in self:
            recipient = recipients.get(appointment.id) or appointment.partner_id
            request = appointment.rating_ids.filtered(
                lambda rating, partner=recipient: not rating.consumed and rating.partner_id == partner
            )[:1]
            if not request:
                appointment.msg_rating_links = False
                continue
            base = appointment.get_base_url()
            appointment.msg_rating_links = Markup(" · ").join(
                Markup('<a href="%s/rate/%s/%s">%s</a>') % (base, request.access_token, value, label)
                for value, label in labels
            )

    def _randevu_recipients(self):
        """{appointment id: res.partner} of the attendees the context's `randevu_recipients` names."""
        pairs = self.env.context.get("randevu_recipients") or ()
        partners = self.env["res.partner"].browse([partner_id for _appointment_id, partner_id in pairs])
        # Iterated, the partners share one prefetch: their names and languages are read at once.
        return {appointment_id: partner for (appointment_id, _partner_id), partner in zip(pairs, partners, strict=True)}

    def _randevu_manage_url(self):
        """The customer's link to their appointment page (signed with its access token),
        for messages in the context's language (randevu_booking gives it that language)."""
        self.ensure_one()
        return self.get_base_url() + self.get_portal_url()

    # ------------------------------------------------------------------ template values
    def mail_allowed_qweb_expressions(self):
        # Template values anyone may use: templates made only of these render without QWeb (fast).
        return (
            *super().mail_allowed_qweb_expressions(),
            "object.partner_id.name",
            "object.msg_customer",
            "object.msg_lang",
            "object.msg_when",
            "object.msg_service",
            "object.msg_staff",
            "object.msg_branch",
            "object.msg_address",
            "object.msg_policy",
            "object.msg_manage_url",
            "object.msg_manage_link",
            "object.msg_bundle",
            "object.msg_rating_links",
        )

    def _randevu_local_label(self, moment):
        """`moment` (naive UTC) as a full local date and time at this appointment's
        branch, in the context's language: 'Monday, January 6, 2031 at 10:00 AM'."""
        self.ensure_one()
        if not moment:
            return ""
        tz_name = self.company_id._randevu_branch_tz()
        # Babel is slow and a batch of reminders shares few start times: remember them for this cursor.
        labels = self.env.cr.cache.setdefault("randevu_local_labels", {})
        key = (self.env.lang, tz_name, moment)
        if key not in labels:
            local = self.company_id._randevu_to_local(moment)
            labels[key] = self.env._(
                "%(date)s at %(time)s",
                date=format_date(self.env, local.date(), date_format="full"),
                time=format_time(self.env, local.time(), time_format="short")
                + repeated_time_suffix(pytz.timezone(tz_name), moment),
            )
        return labels[key]

    def _randevu_cancel_policy(self):
        """The branch's reschedule/cancel cutoff for this appointment, as a sentence."""
        self.ensure_one()
        cutoff = self.company_id.randevu_cancel_cutoff
        if not cutoff:
            return self.env._("You can move or cancel your appointment until it starts.")
        deadline = self._randevu_local_label(self.company_id._randevu_change_deadline(self.start))
        hours = f"{cutoff:g}"
        return self.env._(
            "You can move or cancel your appointment free of charge until %(deadline)s (%(hours)s hours before).",
            deadline=deadline,
            hours=hours,
        )

    # ------------------------------------------------------------------ .ics
    def _randevu_ics_name(self):
        self.ensure_one()
        return (self.service_id.name or self.env._("Appointment")).replace("/", "-")

    def _randevu_ics_description(self):
        """Who with, the branch's phone and the manage link, one per line."""
        self.ensure_one()
        staff = self.env._("With %s", self.msg_staff) if self.msg_staff else ""
        return "\n".join(filter(None, (staff, self.company_id.sudo().phone, self.msg_manage_url)))

    def _randevu_ics(self):
        """An iCalendar file (bytes) with one event per appointment of `self`: a
        calendar app adds them, and updates them when a change notice brings a
        newer SEQUENCE for the same UID. Written by vobject (escaping, folding, CRLF)."""
        db_uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")[:8]
        stamp = fields.Datetime.now()
        calendar = vobject.iCalendar()
        calendar.add("prodid").value = "-//Randevu//Appointments//EN"
        calendar.add("method").value = "PUBLISH"
        for appointment in self:
            changed = appointment.start_set_date or stamp
            event = calendar.add("vevent")
            event.add("uid").value = f"randevu-{appointment.id}-{db_uuid}@randevu"
            event.add("dtstamp").value = pytz.utc.localize(stamp)
            event.add("sequence").value = str(int((changed - datetime(2020, 1, 1)).total_seconds() // 60))
            event.add("dtstart").value = pytz.utc.localize(appointment.start)
            event.add("dtend").value = pytz.utc.localize(appointment.stop)
            event.add("summary").value = f"{appointment.msg_service} - {appointment.msg_branch}"
            event.add("location").value = ", ".join(filter(None, (appointment.msg_branch, appointment.msg_address)))
            event.add("description").value = appointment._randevu_ics_description()
            event.add("status").value = "CANCELLED" if appointment.state == "cancelled" else "CONFIRMED"
        return calendar.serialize().encode()
