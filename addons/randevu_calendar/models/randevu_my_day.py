from datetime import timedelta

import phonenumbers

from odoo import api, fields, models

from ..const import (
    APPOINTMENT_BEFORE_SERVICE_STATES,
    APPOINTMENT_EXPECTED_STATES,
    APPOINTMENT_NOT_OVER_STATES,
    CHECK_IN_STATES,
)


class RandevuMyDay(models.AbstractModel):
    """Data of the stylist's "My day" (client action ``randevu_calendar.my_day``): her own
    appointments of one local day, next first, with the status changes each one allows.

    Appointments are read with the user's rights (staff see only their own); the status
    buttons call the appointment's `action_*` methods, which check the states again, and
    the branch's `randevu_staff_may_cancel` is enforced by `randevu.appointment.write`.
    """

    _name = "randevu.my.day"
    _description = "My Day"

    # Status buttons: (action method, states it may be pressed in).
    _BUTTONS = (
        ("action_arrive", CHECK_IN_STATES),
        ("action_start", APPOINTMENT_BEFORE_SERVICE_STATES),
        # Done once the customer is here (the form still closes an appointment from any state).
        ("action_done", ("arrived", "in_progress")),
        ("action_no_show", APPOINTMENT_EXPECTED_STATES),
        ("action_cancel", APPOINTMENT_BEFORE_SERVICE_STATES),
    )

    @api.model
    def get_my_day(self, day=False):
        """The current user's appointments on local `day` ('YYYY-MM-DD'; today when empty)
        at the branch of her employee record (her company when she has none)."""
        user = self.env.user
        # Staff are not HR officers and may not read hr.employee: only their own records'
        # name and branch are used.
        employees_sudo = self.env["hr.employee"].sudo().search([("user_id", "=", user.id)], order="id")
        here_sudo = employees_sudo.filtered(lambda emp: emp.company_id in self.env.companies)
        branch = (here_sudo or employees_sudo)[:1].company_id.sudo(False) or self.env.company
        local_day = fields.Date.to_date(day) if day else branch._randevu_local_today()
        day_start, day_end = branch._randevu_day_bounds(local_day)
        appointments = self.env["randevu.appointment"].search(
            [
                ("employee_id", "in", employees_sudo.ids),
                ("start", "<", day_end),
                ("stop", ">", day_start),
                ("state", "!=", "cancelled"),
            ],
            order="start, id",
        )
        now = fields.Datetime.now()
        is_reception = user.has_group("randevu_calendar.group_randevu_user")
        state_labels = dict(appointments._fields["state"]._description_selection(self.env))
        next_id = next(
            (appt.id for appt in appointments if appt.stop > now and appt.state in APPOINTMENT_NOT_OVER_STATES), False
        )
        rows = []
        for appt in appointments:
            appt_branch = appt.company_id
            start, stop = appt_branch._randevu_to_local(appt.start), appt_branch._randevu_to_local(appt.stop)
            buttons = [
                method
                for method, states in self._BUTTONS
                if appt.state in states
                and (method != "action_cancel" or is_reception or appt_branch.randevu_staff_may_cancel)
                # A customer can only fail to come once the appointment has started.
                and (method != "action_no_show" or appt.start <= now)
            ]
            rows.append(
                {
                    "id": appt.id,
                    "start": start.strftime("%H:%M"),
                    "stop": stop.strftime("%H:%M"),
                    "minutes": round(appt.duration * 60),
                    "service": appt.service_id.display_name or self.env._("Blocked time"),
                    "customer": appt.partner_id.display_name or (self.env._("Walk-in") if appt.service_id else ""),
                    "phone": appt.partner_id.phone or "",
                    "phone_label": self._phone_label(appt.partner_id.phone, appt_branch),
                    "note": appt.customer_note or "",
                    "state": appt.state,
                    "state_label": state_labels[appt.state],
                    "is_next": appt.id == next_id,
                    "is_past": appt.stop <= now,
                    "branch": appt_branch.name if len(appointments.company_id) > 1 else "",
                    "buttons": buttons,
                }
            )
        return {
            "day": fields.Date.to_string(local_day),
            "today": fields.Date.to_string(branch._randevu_local_today()),
            "previous": fields.Date.to_string(local_day - timedelta(days=1)),
            "next": fields.Date.to_string(local_day + timedelta(days=1)),
            "staff_name": (here_sudo or employees_sudo)[:1].name or user.name,
            "branch": branch.name,
            "appointments": rows,
            "remaining": len([row for row in rows if row["state"] in APPOINTMENT_NOT_OVER_STATES]),
        }

    @api.model
    def _phone_label(self, phone, branch):
        """`phone` written the international way ("+90 505 987 65 43"), as stored when it
        does not parse."""
        if not phone:
            return ""
        try:
            number = phonenumbers.parse(phone, branch.country_id.code or None)
        except phonenumbers.NumberParseException:
            return phone
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
