from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, format_amount

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
        if not draft:
            self.payment_ids._randevu_check_payments()
        result = super()._process_saved_order(draft)
        if not draft and self.state in ("paid", "done", "invoiced"):
            self._randevu_check_credit_limit()
            self._randevu_complete_appointments()
            self._randevu_deduct_deposits_from_invoice()
        return result

    def _randevu_deduct_deposits_from_invoice(self):
        """An order invoiced at the till and paid with deposits: Odoo leaves the Deposit
        (pay later) part of the invoice unpaid; the online deposits of its appointments
        are reconciled with the invoice now, as randevu_account does for its invoices
        (a closing makes no receivable item for an invoiced order)."""
        for order in self.filtered(lambda order: order.account_move.state == "posted"):
            if not order.payment_ids.filtered("payment_method_id.randevu_deposit"):
                continue
            # sudo: the till deducts deposits whoever the cashier is (Odoo invoices the
            # order as superuser too); only the order's own appointments' deposits.
            order_sudo = order.sudo()
            deposits = order_sudo.lines.randevu_appointment_id._randevu_deposit_move_lines()
            order_sudo.account_move.with_company(order.company_id)._randevu_deduct_deposits(deposits)

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

    # Account credit (pos_loyalty's eWallet): a customer may pay beyond their balance down
    # to their credit limit (res.partner.randevu_credit_limit), never further.

    def validate_coupon_programs(self, point_changes, new_codes):
        # Called by the till before it syncs a paid order: same rule, friendlier answer.
        changes = {int(card_id): points for card_id, points in point_changes.items()}
        cards = self.env["loyalty.card"].browse(list(changes)).exists()
        problems = self._randevu_credit_problems({card: -changes[card.id] for card in cards if changes[card.id] < 0})
        if problems:
            return {
                "successful": False,
                "payload": {"message": "\n".join(problems), "updated_points": {c.id: c.points for c in cards}},
            }
        # pos_loyalty refuses any card going below zero: an eWallet may go down to -limit.
        for card in cards:
            limit = card.program_id.program_type == "ewallet" and card.partner_id.randevu_credit_limit
            if limit and changes[card.id] < 0:
                changes[card.id] = min(changes[card.id] + limit, 0)
        return super().validate_coupon_programs(changes, new_codes)

    def _randevu_check_credit_limit(self):
        """Refuse the paid orders `self` if their eWallet payments would take a
        customer's balance below minus their credit limit."""
        spent = defaultdict(float)
        for line in self.lines.filtered(lambda line: line.is_reward_line and line.coupon_id):
            if line.coupon_id.program_id.program_type == "ewallet":
                # The points the till says the line costs, never less than the money it takes.
                per_point = line.reward_id.discount or 1.0
                spent[line.coupon_id] += max(line.points_cost, -line.price_subtotal_incl / per_point)
        if not spent:
            return
        # Points already taken for this order (confirm_coupon_programs ran) are in the balance.
        confirmed = self.env["loyalty.history"].search(
            [
                ("order_model", "=", self._name),
                ("order_id", "in", self.ids),
                ("card_id", "in", [card.id for card in spent]),
            ]
        )
        problems = self._randevu_credit_problems(
            {card: cost for card, cost in spent.items() if card not in confirmed.card_id}
        )
        if problems:
            raise UserError(self.env._("The order cannot be paid:\n%(problems)s", problems="\n".join(problems)))

    def _randevu_credit_problems(self, costs):
        """Messages for the eWallet cards of `costs` ({card: points spent}) that would
        go below minus their customer's credit limit."""
        problems = []
        for card, cost in costs.items():
            if card.program_id.program_type != "ewallet":
                continue
            limit = card.partner_id.randevu_credit_limit
            rounding = card.currency_id.rounding or 0.01
            if float_compare(card.points - cost, -limit, precision_rounding=rounding) < 0:
                problems.append(
                    self.env._(
                        "%(customer)s's account credit is %(balance)s: paying %(amount)s would go beyond "
                        "the credit limit of %(limit)s.",
                        customer=card.partner_id.display_name or card.code,
                        balance=format_amount(self.env, card.points, card.currency_id),
                        amount=format_amount(self.env, cost, card.currency_id),
                        limit=format_amount(self.env, limit, card.currency_id),
                    )
                )
        return problems
