from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# Refunds at the till (issue 13): a reason and a manager's approval, checked by the server
# when the refund is paid back. Kept apart from pos_order.py (checkout) as its own concern.

REFUND_REASONS = [
    ("unsatisfied", "Customer not satisfied"),
    ("not_performed", "Service not performed"),
    ("returned", "Product returned"),
    ("mistake", "Cashier's mistake"),
    ("other", "Other"),
]
# Keys of the order the till sends that are not fields: the manager's PIN typed at the till.
PIN_KEY = "randevu_refund_pin"


class PosOrder(models.Model):
    _inherit = "pos.order"

    randevu_refund_reason = fields.Selection(
        REFUND_REASONS,
        string="Refund Reason",
        help="Why the money was given back (asked at the till for every refund).",
    )
    randevu_refund_approved_by_id = fields.Many2one(
        "res.users",
        string="Refund Approved By",
        readonly=True,
        copy=False,
        help="The POS manager who approved the refund: the cashier if a POS manager, "
        "else the manager whose PIN was typed at the till. Set by the server only.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        self._randevu_check_approval_write(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._randevu_check_approval_write([vals])
        if "randevu_refund_reason" in vals and not self.env.su and any(order.state != "draft" for order in self):
            raise AccessError(self.env._("The reason of a refund already paid back cannot be changed."))
        return super().write(vals)

    def _randevu_check_approval_write(self, vals_list):
        # The approver is decided by the server when the refund is synced (a manager's PIN
        # or a manager at the till): nobody sets it through the API.
        if not self.env.su and any("randevu_refund_approved_by_id" in vals for vals in vals_list):
            raise AccessError(self.env._("A refund's approver is recorded by the till's server, not set by hand."))

    @api.model
    def _process_order(self, order, existing_order):
        pin = order.pop(PIN_KEY, None)
        order.pop("randevu_refund_approved_by_id", None)  # the server decides
        refund = bool(self._get_refunded_orders(order)) and order.get("state") != "draft"
        approver = False
        if refund:
            session = self.env["pos.session"].browse(order["session_id"])
            approver = self._randevu_refund_approver(session.config_id, order.get("randevu_refund_reason"), pin)
        order_id = super()._process_order(order, existing_order)
        if refund:
            refund_order = self.browse(order_id)
            # sudo: the approver is written by the server only (see _randevu_check_approval_write).
            refund_order.sudo().randevu_refund_approved_by_id = approver
            refund_order._randevu_refund_appointments()
        return order_id

    @api.model
    def randevu_refund_reasons(self):
        """The reasons a cashier chooses from at the till, as (value, label) pairs."""
        return self._fields["randevu_refund_reason"]._description_selection(self.env)

    @api.model
    def randevu_check_refund_approval(self, config_id, reason, pin):
        """The till's check before paying a refund back: the approver's name, or the
        UserError the sync would raise. The sync checks it again (the till is not trusted)."""
        config = self.env["pos.config"].browse(config_id)
        config.check_access("read")
        return self._randevu_refund_approver(config, reason, pin).name

    @api.model
    def _randevu_refund_approver(self, config, reason, pin):
        """The POS manager approving a refund at `config`'s till: the cashier (the
        session's user) when a POS manager, else the manager whose `pin` was typed: an
        employee of the branch, with that PIN, whose user is a POS manager. Refused
        (UserError, the order is not saved) without a reason or a valid approver."""
        if reason not in dict(REFUND_REASONS):
            raise UserError(self.env._("A refund needs a reason: choose one at the till."))
        manager_group = self.env.ref("point_of_sale.group_pos_manager")
        if manager_group in self.env.user.groups_id:
            return self.env.user
        pin = (pin or "").strip() if isinstance(pin, str) else ""
        if not pin:
            raise UserError(self.env._("A refund needs a manager's approval: a POS manager must type their PIN."))
        # sudo: PINs are HR data a cashier may not read; only the matching manager's user is kept.
        managers_sudo = (
            self.env["hr.employee"]
            .sudo()
            .search(
                [
                    ("pin", "=", pin),
                    ("company_id", "=", config.company_id.id),
                    ("user_id.groups_id", "in", manager_group.ids),
                ]
            )
        )
        if len(managers_sudo.user_id) != 1:
            raise UserError(self.env._("This PIN is not a POS manager's of this branch: the refund is not approved."))
        return managers_sudo.user_id

    def _randevu_refund_appointments(self):
        """Refund lines keep the performer and the appointment of the line they refund
        (the commission engine claws back from them); an appointment whose line is
        refunded in full is not paid any more, with the reason in its chatter. Its status
        is kept (a service done stays done)."""
        # sudo: a cashier who is not a Randevu user may not read the appointment field;
        # the link is copied from the refunded line, never taken from the till.
        lines_sudo = self.sudo().lines.filtered("refunded_orderline_id")
        for line in lines_sudo:
            origin = line.refunded_orderline_id
            line.write(
                {
                    "randevu_employee_id": origin.randevu_employee_id.id,
                    "randevu_appointment_id": origin.randevu_appointment_id.id,
                }
            )
        reasons = dict(self._fields["randevu_refund_reason"]._description_selection(self.env))
        bodies = {}
        for line in lines_sudo.filtered("randevu_appointment_id"):
            origin = line.refunded_orderline_id
            appointment = line.randevu_appointment_id
            if sum(origin.refund_orderline_ids.mapped("qty")) + origin.qty <= 0:
                appointment.payment_state = "not_paid"
            bodies[appointment.id] = self.env._(
                "Refunded at the till: %(order)s — %(reason)s",
                order=line.order_id.name,
                reason=reasons.get(line.order_id.randevu_refund_reason, ""),
            )
        if bodies:
            self.env["randevu.appointment"].sudo().browse(list(bodies))._message_log_batch(bodies=bodies)
