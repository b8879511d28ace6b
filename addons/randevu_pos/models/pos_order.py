from odoo import api, fields, models
from odoo.exceptions import UserError

from .pos_config import OPEN_STATES


class PosOrder(models.Model):
    _inherit = "pos.order"

    randevu_appointment_ids = fields.Many2many(
        "randevu.appointment",
        string="Appointments",
        compute="_compute_randevu_appointment_ids",
        groups="randevu_calendar.group_randevu_staff",
    )
    randevu_appointment_count = fields.Integer(
        compute="_compute_randevu_appointment_ids",
        string="Appointment Count",
        groups="randevu_calendar.group_randevu_staff",
    )

    @api.depends("lines.randevu_appointment_id")
    def _compute_randevu_appointment_ids(self):
        for order in self:
            order.randevu_appointment_ids = order.lines.randevu_appointment_id
            order.randevu_appointment_count = len(order.randevu_appointment_ids)

    def _process_saved_order(self, draft):
        # Called by sync_from_ui in the order's transaction: the appointments are
        # completed with the payment or not at all (an error here undoes the order's sync).
        result = super()._process_saved_order(draft)
        if not draft and self.state in ("paid", "done", "invoiced"):
            self._randevu_complete_appointments()
        return result

    def _randevu_complete_appointments(self):
        """The appointments of the paid orders `self` become paid, and done if the
        customer is still there (arrived, in progress). Refused, naming them, for an
        appointment already paid, another branch's or cancelled: never paid twice."""
        if not self.env.user.has_group("randevu_calendar.group_randevu_staff"):
            return  # the field is theirs: another cashier's lines never carry an appointment
        # Refund lines keep their appointment (pos_order_refund.py): they complete nothing.
        lines = self.lines.filtered(lambda line: line.randevu_appointment_id and not line.refunded_orderline_id)
        if not lines:
            return
        appointments = lines.randevu_appointment_id
        # Lock the rows: two tills paying the same appointment at once serialise here,
        # and the second sees it paid.
        self.env.cr.execute(
            "SELECT id FROM randevu_appointment WHERE id IN %s FOR NO KEY UPDATE", [tuple(appointments.ids)]
        )
        appointments.invalidate_recordset(["payment_state", "state"])
        problems = []
        for line in lines:
            appointment = line.randevu_appointment_id
            others = lines.filtered(lambda other, appt=appointment: other.randevu_appointment_id == appt)
            if appointment.payment_state == "paid" or len(others) > 1:
                problems.append(self.env._("%(appointment)s is already paid.", appointment=appointment.display_name))
            elif appointment.company_id != line.order_id.company_id:
                problems.append(
                    self.env._(
                        "%(appointment)s is not an appointment of %(branch)s.",
                        appointment=appointment.display_name,
                        branch=line.order_id.company_id.name,
                    )
                )
            elif appointment.state in ("cancelled", "no_show"):
                problems.append(
                    self.env._(
                        "%(appointment)s was called off: it cannot be paid.", appointment=appointment.display_name
                    )
                )
        if problems:
            raise UserError(
                self.env._("The order cannot be paid:\n%(problems)s", problems="\n".join(sorted(set(problems))))
            )
        appointments.write({"payment_state": "paid"})
        appointments.filtered(lambda appt: appt.state in OPEN_STATES).action_done()
        for order in self:
            done = (order.lines & lines).randevu_appointment_id
            if done:
                done._message_log_batch(
                    bodies={appt.id: self.env._("Paid at the till: %(order)s", order=order.name) for appt in done}
                )

    def action_randevu_view_appointments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("randevu_calendar.randevu_appointment_action")
        action.update(domain=[("id", "in", self.randevu_appointment_ids.ids)], context={"create": False})
        return action
