import logging

from werkzeug.urls import url_encode

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.randevu_calendar.const import (
    APPOINTMENT_CALLED_OFF_STATES,
    APPOINTMENT_HOLDING_STATES,
    HELD_TIME_FIELDS,
)

_logger = logging.getLogger(__name__)

# Longest comment of a review given on the portal.
REVIEW_COMMENT_MAX = 1000


class RandevuAppointment(models.Model):
    """What the customer portal does with an appointment: move it, cancel it, put it
    in a calendar. Called as superuser by the portal controller once it has checked
    that the visitor is the customer or holds the appointment's access token."""

    _inherit = "randevu.appointment"

    # ------------------------------------------------------------------ waitlist (issue 5)
    randevu_waitlist_id = fields.Many2one(
        "randevu.waitlist",
        string="Waitlist Entry",
        readonly=True,
        copy=False,
        ondelete="set null",
        index="btree_not_null",
        help="Booked from the waitlist: held for the customer until they accept the offer.",
    )
    msg_waitlist_url = fields.Char(compute="_compute_msg_waitlist", compute_sudo=True, string="Waitlist Offer URL")
    msg_waitlist_until = fields.Char(
        compute="_compute_msg_waitlist", compute_sudo=True, string="Waitlist Offer Held Until"
    )

    @api.depends_context("lang")
    @api.depends("randevu_waitlist_id.access_token", "randevu_waitlist_id.offer_until")
    def _compute_msg_waitlist(self):
        for appointment in self:
            entry = appointment.randevu_waitlist_id
            if not entry:
                appointment.msg_waitlist_url = appointment.msg_waitlist_until = False
                continue
            query = url_encode({"access_token": entry.access_token or ""})
            path = appointment.company_id._randevu_website()._randevu_lang_path(entry.access_url, self.env.lang)
            appointment.msg_waitlist_url = f"{appointment.get_base_url()}{path}?{query}"
            appointment.msg_waitlist_until = entry.offer_until and appointment._randevu_local_label(entry.offer_until)

    def _randevu_manage_url(self):
        """In the message's language (the recipient's): the portal opens in it, whatever
        language the customer's browser last used on the website."""
        self.ensure_one()
        website = self.company_id._randevu_website()
        return self.get_base_url() + website._randevu_lang_path(self.get_portal_url(), self.env.lang)

    def mail_allowed_qweb_expressions(self):
        # The offer's link and end, for the waitlist templates (see randevu_calendar).
        return (*super().mail_allowed_qweb_expressions(), "object.msg_waitlist_url", "object.msg_waitlist_until")

    # ------------------------------------------------------------------ waitlist
    def _randevu_to_notify(self):
        """Waitlist offers are confirmed once the customer accepts them (held bookings
        once their deposit is paid: see randevu_account)."""
        return super()._randevu_to_notify().filtered(lambda appt: not appt._randevu_is_offered())

    def write(self, vals):
        before = self._randevu_held_times() if HELD_TIME_FIELDS & set(vals) else None
        result = super().write(vals)
        if "state" in vals:
            self._randevu_sync_waitlist_offers()
        if before:
            # Only what no longer holds the same time frees some (not a confirmation, say).
            changed = self.filtered(
                lambda appt: (
                    appt.id in before
                    and (appt.state not in APPOINTMENT_HOLDING_STATES or appt._randevu_held_time() != before[appt.id])
                )
            )
            freed = changed._randevu_freed_time(before)
            if freed:
                # Superuser: whoever freed the time (a customer on the portal, a receptionist),
                # it is offered to the waitlist of every customer of the branch, by the cron
                # right after this transaction (see randevu.waitlist.freed).
                self.env["randevu.waitlist.freed"].sudo()._randevu_queue(freed)
        return result

    def unlink(self):
        freed = self._randevu_freed_time(self._randevu_held_times())
        # Superuser: as in write.
        offers_sudo = self.sudo().randevu_waitlist_id.filtered(lambda entry: entry.state == "offered")
        offers_sudo.write({"state": "expired", "offer_until": False})
        result = super().unlink()
        if freed:
            self.env["randevu.waitlist.freed"].sudo()._randevu_queue(freed)
        return result

    def _randevu_is_offered(self):
        """Held for a waitlist customer who has not accepted the offer yet."""
        self.ensure_one()
        entry = self.randevu_waitlist_id
        return entry.state == "offered" and entry.appointment_id == self

    def _randevu_held_time(self):
        self.ensure_one()
        return (self.company_id.id, self.start, self.stop, self.employee_id.id, frozenset(self.resource_ids.ids))

    def _randevu_held_times(self):
        """{id: held time} of those of `self` that hold time still to come."""
        now = fields.Datetime.now()
        return {
            appt.id: appt._randevu_held_time()
            for appt in self
            if appt.state in APPOINTMENT_HOLDING_STATES and appt.stop > now
        }

    def _randevu_freed_time(self, before):
        """{(branch id, local day): [starts]} of the time `before` ({id: held time}) says
        these appointments held, for the days that have waiting entries (elsewhere there
        is nothing to offer)."""
        # Superuser: only the branch's time zone is read, whichever branches the user may read.
        Branch_sudo = self.env["res.company"].sudo()
        freed = {}
        for appointment in self.filtered(lambda appt: appt.id in before):
            branch_id, start = before[appointment.id][:2]
            key = (branch_id, Branch_sudo.browse(branch_id)._randevu_local_day(start))
            freed.setdefault(key, []).append(start)
        if not freed:
            return {}
        waiting = {
            (branch.id, day)
            for branch, day in self.env["randevu.waitlist"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "in", list({branch_id for branch_id, _day in freed})),
                    ("day", "in", list({day for _branch, day in freed})),
                    ("state", "=", "waiting"),
                ],
                ["company_id", "day:day"],
            )
        }
        return {key: starts for key, starts in freed.items() if key in waiting}

    def _randevu_sync_waitlist_offers(self):
        """Offers whose held appointment staff confirmed or cancelled in the backend:
        booked (and confirmed to the customer) or ended."""
        # Superuser: the entry is the waitlist's, whoever changes the appointment.
        offered_sudo = self.sudo().filtered(lambda appt: appt._randevu_is_offered())
        confirmed = offered_sudo.filtered(
            lambda appt: appt.state != "booked" and appt.state not in APPOINTMENT_CALLED_OFF_STATES
        )
        ended = offered_sudo.filtered(lambda appt: appt.state in APPOINTMENT_CALLED_OFF_STATES)
        confirmed.randevu_waitlist_id.write({"state": "booked", "offer_until": False})
        ended.randevu_waitlist_id.write({"state": "expired", "offer_until": False})
        confirmed._randevu_send_confirmations()

    # ------------------------------------------------------------------ review after the visit
    def _randevu_review(self):
        """The customer's review of this visit (a consumed rating), or an empty recordset."""
        self.ensure_one()
        reviews = self.rating_ids.filtered(lambda rating: rating.consumed and rating.partner_id == self.partner_id)
        return reviews.sorted("write_date", reverse=True)[:1]

    def _randevu_review_problem(self):
        """Why the customer cannot review this appointment (a message), or False."""
        self.ensure_one()
        if self.state in APPOINTMENT_CALLED_OFF_STATES:
            return self.env._("Only a visit that took place can be reviewed.")
        if self.state != "done" or not self.partner_id:
            return self.env._("You can review your visit once it is over.")
        if self._randevu_review():
            return self.env._("You already reviewed this visit. Thank you!")
        return False

    def _randevu_apply_review(self, rating, comment=""):
        """The customer's review from the portal: `rating` 1 to 5, an optional comment,
        applied through rating.mixin (so the staff and service averages include it).
        Once only. Called as superuser by the portal once the visitor is checked.

        :raise UserError: when the visit cannot be reviewed or the values are wrong;
            nothing is written then
        """
        self.ensure_one()
        problem = self._randevu_review_problem()
        if problem:
            raise UserError(problem)
        if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
            raise UserError(self.env._("Please choose from 1 to 5 stars."))
        comment = (comment or "").strip()
        if len(comment) > REVIEW_COMMENT_MAX:
            raise UserError(self.env._("Please keep your comment to %s characters or fewer.", REVIEW_COMMENT_MAX))
        self._randevu_prepare_rating()  # the pending request of the thank-you email, else a new one
        requests = self.rating_ids.filtered(lambda req: not req.consumed and req.partner_id == self.partner_id)
        return self.rating_apply(rating, rating=requests[:1], feedback=comment or False)
