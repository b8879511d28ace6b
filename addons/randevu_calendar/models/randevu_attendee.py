from odoo import api, fields, models
from odoo.exceptions import UserError

from ..const import ATTENDEE_EXPECTED_STATES, ATTENDEE_SEAT_STATES, CHECK_IN_STATES


class RandevuAttendee(models.Model):
    """A customer in a group session (an appointment of a service whose capacity is
    more than 1), with a status of their own.

    Seats are given under a lock on the session row (see
    randevu.appointment._lock_sessions): a customer who finds the session full is put
    on the waitlist, served in join order (`sequence`) when a seat frees.
    """

    _name = "randevu.attendee"
    _description = "Group Session Attendee"
    _order = "appointment_id, sequence, id"
    _rec_name = "partner_id"

    appointment_id = fields.Many2one(
        "randevu.appointment", string="Session", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one("res.partner", string="Attendee", required=True, index=True)
    partner_phone = fields.Char(related="partner_id.phone")
    state = fields.Selection(
        [
            ("booked", "Booked"),
            ("confirmed", "Confirmed"),
            ("arrived", "Arrived"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
            ("no_show", "No-show"),
            ("waitlist", "Waitlist"),
        ],
        default="booked",
        required=True,
        index=True,
    )
    sequence = fields.Integer(default=0, readonly=True, help="Join order: the waitlist is served in this order.")
    waitlist_position = fields.Integer(compute="_compute_waitlist_position")
    company_id = fields.Many2one(related="appointment_id.company_id")
    start = fields.Datetime(related="appointment_id.start")
    noshow_suspected = fields.Boolean(
        string="No-show Suspected",
        compute="_compute_noshow_suspected",
        store=True,
        readonly=False,
        copy=False,
        help="Not checked in within the grace time, at a branch where reception confirms no-shows. "
        "Cleared when the status or the session's time changes.",
    )
    noshow_deposit_required = fields.Boolean(
        string="Deposit Required (No-shows)",
        readonly=True,
        copy=False,
        help="Booked online by a customer over the branch's no-show limit: the booking asks for a deposit.",
    )

    _sql_constraints = [
        (
            "appointment_partner_unique",
            "UNIQUE(appointment_id, partner_id)",
            "A customer appears once in a session.",
        ),
    ]

    @api.depends("state", "sequence", "appointment_id.attendee_ids.state")
    def _compute_waitlist_position(self):
        for attendee in self:
            if attendee.state != "waitlist":
                attendee.waitlist_position = 0
                continue
            queue = attendee.appointment_id.attendee_ids.filtered(lambda att: att.state == "waitlist").sorted(
                lambda att: (att.sequence, att.id or 0)
            )
            attendee.waitlist_position = list(queue).index(attendee) + 1 if attendee in queue else 0

    @api.depends("state")
    def _compute_noshow_suspected(self):
        # Set by the no-show cron (randevu.appointment._cron_mark_no_shows); a change of
        # status (arrival, cancellation) clears it, and so does a move of the session
        # (randevu.appointment.write).
        self.noshow_suspected = False

    @api.constrains("state", "appointment_id")
    def _check_capacity(self):
        self.appointment_id._check_capacity()

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        """Seats are decided here, under the session row lock, whoever creates the
        attendee (the session form, `_add_attendee`, the engine's `book`)."""
        sessions = self.env["randevu.appointment"].browse({vals["appointment_id"] for vals in vals_list})
        seats = sessions._lock_sessions()
        problems = []
        for vals in vals_list:
            session = sessions.browse(vals["appointment_id"])
            rows = seats[session.id]
            if any(row["partner_id"] == vals["partner_id"] for row in rows):
                partner = self.env["res.partner"].browse(vals["partner_id"])
                problems.append(
                    self.env._(
                        "%(partner)s is already in %(session)s.",
                        partner=partner.display_name,
                        session=session._local_labels()[0],
                    )
                )
                continue
            vals.update(session._seat_values(rows, vals.get("state", "booked")))
            rows.append({"id": False, "partner_id": vals["partner_id"], **vals})
        if problems:
            raise UserError("\n".join(problems))
        attendees = super().create(vals_list)
        attendees.appointment_id.flush_recordset(["seats_taken", "seats_left"])  # the session row is updated
        attendees._randevu_send_confirmations()
        return attendees

    def write(self, vals):
        if vals.get("state") in ATTENDEE_SEAT_STATES:
            self.appointment_id._lock_sessions()  # taking a seat back: counted under the lock
        before = {attendee.id: attendee.state for attendee in self} if "state" in vals else {}
        result = super().write(vals)
        if "state" in vals:
            self.appointment_id.flush_recordset(["seats_taken", "seats_left"])
            self._randevu_send_state_messages(before)
        if vals.get("state") == "cancelled":
            self.appointment_id._promote_waitlist()
        return result

    def unlink(self):
        sessions = self.appointment_id
        self._randevu_messages()._randevu_withdraw(self.env._("The customer left the class."))
        result = super().unlink()
        sessions.exists()._promote_waitlist()
        return result

    # ------------------------------------------------------------------ messages
    def _randevu_messages(self):
        """The randevu.message rows addressed to these attendees."""
        keys = {(attendee.appointment_id.id, attendee.partner_id.id) for attendee in self}
        # Superuser: messages are system records (see randevu.appointment._randevu_send_confirmations).
        return self.sudo().appointment_id.randevu_message_ids.filtered(
            lambda msg: (msg.appointment_id.id, msg.partner_id.id) in keys
        )

    def _randevu_send_confirmations(self):
        """A confirmation to each of these attendees who has a seat in a class still to
        come (a waitlist place is confirmed once promoted)."""
        attendees_sudo = self.sudo().filtered(
            lambda att: (
                att.state in ATTENDEE_EXPECTED_STATES
                and att.appointment_id in att.appointment_id._randevu_sessions_to_notify()
            )
        )
        if attendees_sudo:
            self.env["randevu.message"].sudo()._randevu_notify_attendees(attendees_sudo, "confirmation")

    def _randevu_send_state_messages(self, before):
        """After a change of state: a confirmation for a seat taken (from the waitlist or
        back after a cancellation); for a seat cancelled, withdraw what would still go
        out to the attendee and send the cancellation notice."""
        seated = self.filtered(
            lambda att: att.state in ATTENDEE_EXPECTED_STATES and before.get(att.id) not in ATTENDEE_SEAT_STATES
        )
        seated._randevu_send_confirmations()
        cancelled = self.filtered(
            lambda att: att.state == "cancelled" and before.get(att.id) in ATTENDEE_EXPECTED_STATES
        )
        if not cancelled:
            return
        cancelled._randevu_messages()._randevu_withdraw(self.env._("The customer's place was cancelled."))
        to_tell = cancelled.filtered(lambda att: att.appointment_id in att.appointment_id._randevu_sessions_to_notify())
        if to_tell:
            self.env["randevu.message"].sudo()._randevu_notify_attendees(to_tell.sudo(), "cancellation")

    # ------------------------------------------------------------------ actions
    def _randevu_price(self):
        """What this seat costs its customer: the session's price (randevu_booking_marketing
        takes a discount code off it); the till charges it (randevu_pos)."""
        self.ensure_one()
        return self.appointment_id.price

    def action_cancel(self):
        self.write({"state": "cancelled"})
        return True

    def action_no_show(self):
        wrong = self.filtered(lambda att: att.state not in ATTENDEE_EXPECTED_STATES)
        if wrong:
            raise UserError(
                self.env._(
                    "Only booked or confirmed attendees can be no-shows: %(names)s.",
                    names=", ".join(wrong.partner_id.mapped("display_name")),
                )
            )
        self.appointment_id._mark_attendees_no_show(self)
        return True

    def action_arrive(self):
        # From no-show too: an attendee who comes after the grace time is checked in all the same.
        wrong = self.filtered(lambda att: att.state not in CHECK_IN_STATES)
        if wrong:
            raise UserError(
                self.env._(
                    "Only booked, confirmed or no-show attendees can arrive: %(names)s.",
                    names=", ".join(wrong.partner_id.mapped("display_name")),
                )
            )
        self.write({"state": "arrived"})
        return True
