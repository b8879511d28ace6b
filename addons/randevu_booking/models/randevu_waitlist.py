import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.randevu_calendar.tools.cron_batches import run_batches

_logger = logging.getLogger(__name__)

# Entries still in the queue: a customer is on the list at most once per day, service and staff member.
OPEN_STATES = ("waiting", "offered")


class RandevuWaitlist(models.Model):
    """A customer waiting for a time on a day that had none free (issue 5).

    When time frees at the branch on that day (an appointment cancelled, moved or
    deleted, a deposit hold expired), the waiting entries are offered a free time in
    join order (their id): the first that fits gets a held appointment (booked, so the
    database's EXCLUDE constraint keeps the time for them) and a message with a link to
    accept or decline it. An offer not accepted before ``offer_until`` is cancelled by
    the cron, and the time goes to the next entry.
    """

    _name = "randevu.waitlist"
    _description = "Waitlist Entry"
    _inherit = ["mail.thread", "portal.mixin"]
    _order = "day desc, id"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", string="Branch", required=True, index=True, default=lambda self: self.env.company, tracking=True
    )
    service_id = fields.Many2one(
        "product.template",
        required=True,
        check_company=True,
        domain=[("is_appointment_service", "=", True)],
        tracking=True,
    )
    employee_id = fields.Many2one(
        "hr.employee",
        string="Staff Member",
        tracking=True,
        # Not check_company: staff may work at several branches (as on appointments).
        domain="[('randevu_bookable', '=', True), ('randevu_branch_ids', 'in', company_id)]",
        help="Empty: anyone available.",
    )
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, tracking=True)
    partner_phone = fields.Char(related="partner_id.phone", string="Phone")
    day = fields.Date(required=True, index=True, tracking=True, help="The day wanted, in the branch's time zone.")
    state = fields.Selection(
        [
            ("waiting", "Waiting"),
            ("offered", "Offered"),
            ("booked", "Booked"),
            ("expired", "Expired"),
            ("declined", "Declined"),
            ("cancelled", "Cancelled"),
        ],
        default="waiting",
        required=True,
        index=True,
        tracking=True,
    )
    appointment_id = fields.Many2one(
        "randevu.appointment",
        string="Offered Appointment",
        readonly=True,
        copy=False,
        check_company=True,
        ondelete="set null",
        index="btree_not_null",
        help="The appointment held for the customer while the offer lasts.",
    )
    offer_until = fields.Datetime(
        string="Offer Held Until",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Not accepted by then, the held appointment is cancelled and the time offered to the next entry.",
    )

    def init(self):
        # The same customer waits once per branch, service, staff member (or anyone) and day.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS randevu_waitlist_open_unique
                ON randevu_waitlist (partner_id, company_id, service_id, COALESCE(employee_id, 0), day)
             WHERE state IN ('waiting', 'offered')
            """
        )

    @api.depends("partner_id.name", "service_id.name", "day")
    def _compute_display_name(self):
        for entry in self:
            entry.display_name = " - ".join(
                filter(None, [entry.partner_id.name, entry.service_id.name, entry.day and str(entry.day)])
            )

    def _compute_access_url(self):
        for entry in self:
            entry.access_url = f"/book/waitlist/{entry.id}"

    # ------------------------------------------------------------------ actions
    def action_offer(self):
        """Receptionist: offer a free time of the day to these waiting entries now."""
        offered = self.filtered(lambda entry: entry.state == "waiting")._randevu_make_offers()
        if not offered:
            raise UserError(self.env._("No free time fits these entries on their day."))
        return True

    def action_accept(self):
        """The customer takes the offered time: the appointment is confirmed and the
        customer gets its confirmation; with a deposit to pay online, it is held for
        the deposit instead (confirmed once paid, see randevu_account).

        :raise UserError: when the offer has ended
        """
        self.ensure_one()
        if not self._randevu_offer_open():
            raise UserError(self.env._("Sorry, this offer has ended."))
        appointment = self.appointment_id
        # Ended before the appointment changes: the write below must not see an open offer.
        self.write({"state": "booked", "offer_until": False})
        if appointment.randevu_deposit_due and appointment.company_id._randevu_deposits_payable():
            appointment._randevu_start_hold()
        else:
            # Reminders due before now are covered by the confirmation (as for a new booking).
            appointment.write({"state": "confirmed", "start_set_date": fields.Datetime.now()})
        appointment._randevu_send_confirmations()
        self.message_post(body=self.env._("The customer accepted the offered time."))
        return appointment

    def action_decline(self):
        """The customer declines the offered time (it goes to the next entry) or, still
        waiting, leaves the list."""
        for entry in self:
            if entry.state == "waiting":
                entry.state = "cancelled"
                entry.message_post(body=self.env._("The customer left the waitlist."))
            elif entry.state == "offered":
                entry._randevu_end_offer("declined", self.env._("Waitlist offer declined by the customer"))
        return True

    def action_cancel(self):
        """Staff take the customer off the list (an offered time is released)."""
        for entry in self.filtered(lambda entry: entry.state in OPEN_STATES):
            if entry.state == "offered":
                entry._randevu_end_offer("cancelled", self.env._("Waitlist entry cancelled"))
            else:
                entry.state = "cancelled"
        return True

    # ------------------------------------------------------------------ business
    def _randevu_offer_open(self):
        self.ensure_one()
        return (
            self.state == "offered"
            and self.offer_until
            and self.offer_until > fields.Datetime.now()
            and self.appointment_id.state == "booked"
        )

    def _randevu_end_offer(self, state, reason):
        """End this offer with `state`; its held appointment is cancelled with `reason`,
        telling nobody (it was never confirmed). Cancelling frees the time, which
        randevu.appointment.write queues for the next entries of the day (see
        randevu.waitlist.freed)."""
        self.ensure_one()
        appointment = self.appointment_id
        self.write({"state": state, "offer_until": False})
        if appointment.state == "booked":
            appointment.with_context(randevu_no_notify=True).write({"state": "cancelled", "cancel_reason": reason})
        self.message_post(body=reason)

    @api.model
    def _randevu_offer_freed(self, freed):
        """Offer the time freed on `freed` ({(branch id, local day): [freed starts]}) to the
        waiting entries of those days, in join order. Called by the cron of
        randevu.waitlist.freed, never in the transaction that freed the time.
        Returns the entries offered."""
        offered = self.browse()
        for (branch_id, day), starts in freed.items():
            # Locked: two transactions freeing time on the same day offer each entry once.
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM randevu_waitlist WHERE company_id = %s AND day = %s AND state = 'waiting' "
                    "ORDER BY id FOR UPDATE",
                    branch_id,
                    day,
                )
            )
            entries = self.browse([row[0] for row in self.env.cr.fetchall()])
            if entries:
                offered |= entries._randevu_make_offers(near=min(starts))
        return offered

    @api.model
    def _randevu_offer_deadline(self, branch, start, now):
        """Until when an offer made at `now` for a time at `start` is held: the branch's
        hold minutes, counted from the end of its quiet hours when the offer is made
        during them (its text waits for that end, and people sleep), never past the
        start itself."""
        counted_from = branch._randevu_quiet_hours_end(now) or now
        return min(counted_from + timedelta(minutes=branch.randevu_waitlist_hold_minutes), start)

    def _randevu_make_offers(self, near=None):
        """Give each of `self` (waiting, in join order) that fits a free time of its day
        a held appointment and an offer message. Each later entry sees the time the
        earlier ones were given as taken. Returns the entries offered."""
        booking = self.env["randevu.booking.service"]
        Availability = self.env["randevu.availability"]
        now = fields.Datetime.now()
        offered = self.browse()
        nothing_free = set()  # (service, staff, day) found full in this pass: not asked again
        for entry in self.sorted("id"):
            branch = entry.company_id
            combination = (entry.service_id.id, entry.employee_id.id, entry.day)
            if entry.state != "waiting" or combination in nothing_free or entry.day < branch._randevu_local_today():
                continue
            slots = booking._day_slots(branch, entry.service_id, entry.employee_id, entry.day)
            if not slots:
                nothing_free.add(combination)
                continue
            if near:
                slots = sorted(slots, key=lambda slot: (abs(slot["start"] - near), slot["start"]))
            slot = next(
                (
                    slot
                    for slot in slots
                    if not booking._customer_busy(entry.partner_id, entry.service_id, slot["start"])
                ),
                None,
            )
            if not slot:
                continue
            try:
                with self.env.cr.savepoint():
                    # Not confirmed to the customer yet: the offer message asks them first.
                    appointment = Availability.with_context(randevu_no_notify=True).book(
                        entry.service_id,
                        branch,
                        slot["start"],
                        staff=entry.employee_id or None,
                        partner=entry.partner_id,
                        values={"source": "website", "randevu_waitlist_id": entry.id},
                    )
            except (UserError, ValidationError) as error:
                _logger.info("Waitlist entry %s: the time at %s could not be held: %s", entry.id, slot["start"], error)
                continue
            entry.write(
                {
                    "state": "offered",
                    "appointment_id": appointment.id,
                    "offer_until": self._randevu_offer_deadline(branch, appointment.start, now),
                }
            )
            entry._portal_ensure_token()
            entry.message_post(
                body=self.env._("A time freed up and was offered: %s.", appointment._local_labels()[0]),
                subtype_xmlid="mail.mt_note",
            )
            offered |= entry
        if offered:
            # Superuser: messages are system records (see randevu.appointment._randevu_send_confirmations).
            self.env["randevu.message"].sudo()._randevu_notify_waitlist_offers(offered.appointment_id.sudo())
        return offered

    @api.model
    def _cron_expire(self, batch_size=200, limit=None):
        """End the offers not accepted in time (their time goes to the next entry) and
        the entries whose day has passed. Batches of `batch_size` (at most `limit` per
        run), progress reported, committed per batch outside tests. Idempotent: an
        ended entry leaves the search. Returns the number of entries ended."""
        # Superuser: the cron looks at every branch, whoever runs it.
        Waitlist = self.sudo()
        now = fields.Datetime.now()
        expired_offers = Waitlist.search(
            [("state", "=", "offered"), ("offer_until", "<=", now)], order="offer_until, id"
        )
        # Past days: the branch's local today decides; a day before UTC tomorrow is a candidate.
        candidates = Waitlist.search(
            [("state", "in", OPEN_STATES), ("day", "<", fields.Date.today() + timedelta(days=1))], order="day, id"
        )
        past = candidates.filtered(lambda entry: entry.day < entry.company_id._randevu_local_today())
        todo = (expired_offers | past).ids
        todo = todo[:limit] if limit else todo

        def end(batch_ids):
            for entry in Waitlist.browse(batch_ids):
                if entry.state == "offered":
                    entry._randevu_end_offer("expired", self.env._("Waitlist offer not accepted in time"))
                elif entry.state == "waiting":
                    entry.state = "expired"

        # Committed per batch outside tests (tools/cron_batches): each entry is ended with
        # its appointment, and ended entries leave the search.
        return run_batches(self.env, todo, end, batch_size, name="Waitlist expiry")
