import logging
from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError, ValidationError

from .randevu_online_booking import SlotUnavailable

_logger = logging.getLogger(__name__)

# Appointments a customer may still move or cancel online (before the branch's cutoff).
CHANGEABLE_STATES = ("booked", "confirmed")


class RandevuAppointment(models.Model):
    """What the customer portal does with an appointment: move it, cancel it, put it
    in a calendar. Called as superuser by the portal controller once it has checked
    that the visitor is the customer or holds the appointment's access token."""

    _inherit = "randevu.appointment"

    def _randevu_online_change_problem(self):
        """Why the customer cannot move or cancel this appointment online (a message
        naming the branch's phone), or False when they can."""
        self.ensure_one()
        branch = self.company_id
        if self.state not in CHANGEABLE_STATES or self.start <= fields.Datetime.now():
            return self.env._("This appointment can no longer be changed.")
        cutoff = self.start - timedelta(hours=branch.randevu_cancel_cutoff)
        if fields.Datetime.now() > cutoff:
            hours = f"{branch.randevu_cancel_cutoff:g}"
            return self.env._(
                "It is too late to move or cancel this appointment online (%(hours)s hours before at the latest). "
                "Please call us at %(phone)s.",
                hours=hours,
                phone=branch.phone or branch.email or branch.name,
            )
        return False

    def _randevu_cancel_online(self):
        """Cancel on the customer's request, within the branch's cutoff.

        :raise UserError: with the reason when it is too late or not possible
        """
        self.ensure_one()
        problem = self._randevu_online_change_problem()
        if problem:
            raise UserError(problem)
        self.write({"state": "cancelled", "cancel_reason": self.env._("Cancelled online by the customer")})
        return True

    def _randevu_reschedule_online(self, start):
        """Move to `start` (naive UTC) on the customer's request, through the engine:
        the same staff member when free then, else the one the engine proposes; the
        same resource when free, else a free one. All or nothing.

        :raise UserError: when it is too late to change the appointment
        :raise SlotUnavailable: when `start` cannot be booked (with the reason)
        """
        self.ensure_one()
        problem = self._randevu_online_change_problem()
        if problem:
            raise UserError(problem)
        booking = self.env["randevu.online.booking"]
        branch, service = self.company_id, self.service_id
        problem = booking._start_problem(branch, service, None, start, exclude=self)
        if problem:
            raise SlotUnavailable(problem)
        slot = booking._slot_at(branch, service, None, start, exclude=self)
        keep_staff = self.employee_id.id in slot["employee_ids"]
        resources = self.resource_ids if set(self.resource_ids.ids) <= set(slot["resource_ids"]) else False
        values = {"start": start, "employee_id": self.employee_id.id if keep_staff else slot["employee_id"]}
        if service.randevu_resource_ids:
            values["resource_ids"] = [(6, 0, resources.ids if resources else slot["resource_ids"][:1])]
        try:
            with self.env.cr.savepoint():
                self.write(values)
        except (UserError, ValidationError) as error:
            _logger.info("Online move of appointment %s to %s refused: %s", self.id, start, error)
            raise SlotUnavailable(self.env._("Sorry, this time was just taken. Please pick another one.")) from error
        return True
