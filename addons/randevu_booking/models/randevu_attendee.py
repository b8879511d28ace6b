from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.randevu_calendar.const import APPOINTMENT_EXPECTED_STATES, ATTENDEE_CANCELLABLE_ONLINE_STATES


class RandevuAttendee(models.Model):
    """A seat (or waitlist place) in a group class, booked online: its page is
    reached with the access token of the portal mixin (the link of the
    confirmation page and of the portal list)."""

    _name = "randevu.attendee"
    _inherit = ["randevu.attendee", "portal.mixin"]

    def _compute_access_url(self):
        for attendee in self:
            attendee.access_url = f"/book/seat/{attendee.id}"

    def _randevu_online_cancel_problem(self):
        """Why the customer cannot cancel this seat online (a message naming the
        branch's phone), or False when they can."""
        self.ensure_one()
        session = self.appointment_id
        branch = session.company_id
        now = fields.Datetime.now()
        if (
            self.state not in ATTENDEE_CANCELLABLE_ONLINE_STATES
            or session.state not in APPOINTMENT_EXPECTED_STATES
            or session.start <= now
        ):
            return self.env._("This place can no longer be cancelled.")
        if now > branch._randevu_change_deadline(session.start):
            # Formatted first: Odoo's term extraction cannot read an f-string among the arguments.
            hours = f"{branch.randevu_cancel_cutoff:g}"
            return self.env._(
                "It is too late to cancel this place online (%(hours)s hours before at the latest). "
                "Please call us at %(phone)s.",
                hours=hours,
                phone=branch.phone or branch.email or branch.name,
            )
        return False

    def _randevu_cancel_online(self):
        """Cancel the seat on the customer's request, within the branch's cutoff; the
        calendar gives the seat freed to the first of the waitlist.

        :raise UserError: with the reason when it is too late or not possible
        """
        self.ensure_one()
        problem = self._randevu_online_cancel_problem()
        if problem:
            raise UserError(problem)
        return self.action_cancel()
