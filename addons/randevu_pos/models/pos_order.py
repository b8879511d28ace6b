from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, format_amount

from odoo.addons.randevu_calendar.const import ATTENDEE_SEAT_STATES

from .pos_config import OPEN_STATES

# Refunds at the till (issue 13): a reason and a manager's approval, checked by the server
# when the refund is paid back.

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
            self._randevu_take_credit()
            self._randevu_complete_appointments()
            self._randevu_pay_seats()
            self._randevu_sell_courses()
            self._randevu_deduct_deposits_from_invoice()
        return result

    def _randevu_sell_courses(self):
        """The course products of the paid orders `self` give their customer a course of
        sessions (randevu.course), once: a line that sold one already is skipped."""
        # sudo: any cashier sells a course; the course is created by the till's server.
        lines_sudo = self.sudo().lines.filtered(
            lambda line: line.product_id.randevu_course_service_id and not line.refunded_orderline_id
        )
        if not lines_sudo:
            return
        sold = self.env["randevu.course"].sudo().search([("pos_order_line_id", "in", lines_sudo.ids)])
        self.env["randevu.course"].sudo()._randevu_create_from_lines(lines_sudo - sold.pos_order_line_id)

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
        # Refund lines keep their appointment (see the refunds below): they complete nothing.
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

    def _randevu_pay_seats(self):
        """The class seats (randevu.attendee) on the paid orders `self` become paid.
        Refused, naming them, for a seat already paid (or twice on the orders), of
        another branch's class, or not holding a seat (cancelled, no-show, waitlist)."""
        if not self.env.user.has_group("randevu_calendar.group_randevu_staff"):
            return  # the field is theirs: another cashier's lines never carry a seat
        lines = self.lines.filtered(lambda line: line.randevu_attendee_id and not line.refunded_orderline_id)
        if not lines:
            return
        seats = lines.randevu_attendee_id
        # Lock the rows: two tills paying the same seat at once serialise here.
        self.env.cr.execute("SELECT id FROM randevu_attendee WHERE id IN %s FOR NO KEY UPDATE", [tuple(seats.ids)])
        seats.invalidate_recordset(["randevu_payment_state", "state"])
        problems = []
        for line in lines:
            seat = line.randevu_attendee_id
            label = self.env._(
                "%(customer)s's seat in %(session)s",
                customer=seat.partner_id.display_name,
                session=seat.appointment_id.display_name,
            )
            if (
                seat.randevu_payment_state == "paid"
                or len(lines.filtered(lambda other, s=seat: other.randevu_attendee_id == s)) > 1
            ):
                problems.append(self.env._("%(seat)s is already paid.", seat=label))
            elif seat.appointment_id.company_id != line.order_id.company_id:
                problems.append(
                    self.env._(
                        "%(seat)s is not in a class of %(branch)s.", seat=label, branch=line.order_id.company_id.name
                    )
                )
            elif seat.state not in ATTENDEE_SEAT_STATES or seat.appointment_id.state in ("cancelled", "no_show"):
                problems.append(self.env._("%(seat)s holds no seat: it cannot be paid.", seat=label))
        if problems:
            raise UserError(
                self.env._("The order cannot be paid:\n%(problems)s", problems="\n".join(sorted(set(problems))))
            )
        # sudo: the seat's payment is written by the server only (randevu.attendee.write).
        seats.sudo().write({"randevu_payment_state": "paid"})
        bodies = {}
        for line in lines:
            session = line.randevu_attendee_id.appointment_id
            note = self.env._(
                "%(customer)s's seat paid at the till: %(order)s",
                customer=line.randevu_attendee_id.partner_id.display_name,
                order=line.order_id.name,
            )
            bodies[session.id] = f"{bodies[session.id]}\n{note}" if session.id in bodies else note
        seats.appointment_id._message_log_batch(bodies=bodies)

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

    def _randevu_take_credit(self):
        """The eWallet money of the paid orders `self` is taken (and given) in the order's
        own transaction, with the eWallet's row locked: two tills spending the same
        customer's credit at once serialise here and the second sees the first's
        spend. Refused (UserError, nothing of the order saved) if a card would go below
        minus its customer's credit limit; a top-up of the same card in the same order
        counts. pos_loyalty's later confirm_coupon_programs and history call leave out
        what was taken here (see below)."""
        History = self.env["loyalty.history"].sudo()  # sudo: the till writes the card's history
        for order in self:
            changes = order._randevu_credit_changes()
            if not changes:
                continue
            # Taken already (a second sync of the same order, or pos_loyalty's call ran).
            done = History.search(
                [
                    ("order_model", "=", self._name),
                    ("order_id", "=", order.id),
                    ("card_id", "in", [card.id for card in changes]),
                ]
            )
            changes = {card: change for card, change in changes.items() if card not in done.card_id}
            if not changes:
                continue
            cards = self.env["loyalty.card"].browse([card.id for card in changes])
            cards._randevu_lock()
            problems = self._randevu_credit_problems(
                {card: used - issued for card, (issued, used) in changes.items() if used > issued}
            )
            if problems:
                raise UserError(self.env._("The order cannot be paid:\n%(problems)s", problems="\n".join(problems)))
            refund = bool(order.lines.refunded_orderline_id)
            reason = dict(self._fields["randevu_refund_reason"]._description_selection(self.env)).get(
                order.randevu_refund_reason, ""
            )
            for card, (issued, used) in changes.items():
                # sudo: a cashier has no write access to cards (pos_loyalty writes them as sudo too).
                card.sudo().points += issued - used
                if refund and issued:
                    description = self.env._(
                        "Refunded to account credit: %(order)s — %(reason)s", order=order.name, reason=reason
                    )
                else:
                    description = self.env._("At the till: %(order)s", order=order.name)
                History.create(
                    {
                        "card_id": card.id,
                        "order_model": self._name,
                        "order_id": order.id,
                        "description": description,
                        "issued": issued,
                        "used": used,
                    }
                )

    def _randevu_credit_changes(self):
        """{eWallet card: [points issued, points used]} by the paid order `self`: its reward
        lines paying from a card (never less than the money they take), and the top-ups of
        an eWallet (its rules' products) sold to the order's customer, on their card of
        the programme (created if they have none). Lines refunding other lines are left
        to pos_loyalty."""
        self.ensure_one()
        changes = defaultdict(lambda: [0.0, 0.0])
        lines = self.lines.filtered(lambda line: not line.refunded_orderline_id)
        for line in lines.filtered(lambda line: line.is_reward_line and line.coupon_id):
            if line.coupon_id.program_id.program_type == "ewallet" and line.price_subtotal_incl < 0:
                # The points the till says the line costs, never less than the money it takes.
                per_point = line.reward_id.discount or 1.0
                changes[line.coupon_id][1] += max(line.points_cost, -line.price_subtotal_incl / per_point)
        sold = lines.filtered(lambda line: not line.is_reward_line and line.qty > 0)
        if not sold:
            return changes
        # sudo: programmes and cards are read and a missing card created for the customer,
        # as pos_loyalty does at its confirmation.
        programs = (
            self.env["loyalty.program"]
            .sudo()
            .search(
                [
                    ("program_type", "=", "ewallet"),
                    ("rule_ids.product_ids", "in", sold.product_id.ids),
                    ("company_id", "in", [False, self.company_id.id]),
                ]
            )
        )
        for program in programs:
            issued = 0.0
            for rule in program.rule_ids:
                matching = sold.filtered(
                    lambda line, rule=rule: line.product_id.filtered_domain(rule._get_valid_product_domain())
                )
                if not matching:
                    continue
                if rule.reward_point_mode == "money":
                    issued += sum(matching.mapped("price_subtotal_incl")) * rule.reward_point_amount
                elif rule.reward_point_mode == "unit":
                    issued += sum(matching.mapped("qty")) * rule.reward_point_amount
                else:
                    issued += rule.reward_point_amount
            if issued and not self.partner_id:
                raise UserError(
                    self.env._(
                        "%(order)s puts money on account credit (%(program)s): choose the customer.",
                        order=self.pos_reference or self.name,
                        program=program.name,
                    )
                )
            if issued:
                Card = self.env["loyalty.card"].sudo()
                card = Card.search([("program_id", "=", program.id), ("partner_id", "=", self.partner_id.id)], limit=1)
                card = card or Card.create({"program_id": program.id, "partner_id": self.partner_id.id, "points": 0})
                changes[card.with_env(self.env)][0] += issued
        return changes

    def _randevu_credit_taken(self):
        """{card: (issued, used)} the sync already took for the orders `self`."""
        # sudo: the history's record rule is per company; only this order's lines are read.
        history = (
            self.env["loyalty.history"]
            .sudo()
            .search([("order_model", "=", self._name), ("order_id", "in", self.ids), ("card_id", "!=", False)])
        )
        taken = {}
        for line in history.filtered(lambda line: line.card_id.program_id.program_type == "ewallet"):
            issued, used = taken.get(line.card_id.id, (0.0, 0.0))
            taken[line.card_id.id] = (issued + line.issued, used + line.used)
        return taken

    def confirm_coupon_programs(self, coupon_data):
        # pos_loyalty's call after the sync: the eWallet points the sync took are not
        # taken twice; what is left to take is checked again, the card's row locked.
        coupon_data = {int(key): dict(values) for key, values in coupon_data.items()}
        taken = self._randevu_credit_taken()
        if taken:
            cards = self.env["loyalty.card"].sudo().browse(list(taken))
            for key in [key for key in coupon_data if key < 0]:
                # A new card for a programme whose card the sync found or created.
                card = cards.filtered(lambda card, key=key: card.program_id.id == coupon_data[key].get("program_id"))
                if card and card[0].id not in coupon_data:
                    coupon_data[card[0].id] = coupon_data.pop(key)
            for card_id, (issued, used) in taken.items():
                if card_id in coupon_data:
                    coupon_data[card_id]["points"] = coupon_data[card_id].get("points", 0) - (issued - used)
        spending = self.env["loyalty.card"].browse(
            [key for key, values in coupon_data.items() if key > 0 and values.get("points", 0) < 0]
        )
        spending = spending.exists().filtered(lambda card: card.program_id.program_type == "ewallet")
        if spending:
            spending._randevu_lock()
            problems = self._randevu_credit_problems({card: -coupon_data[card.id]["points"] for card in spending})
            if problems:
                raise UserError(self.env._("The order cannot be paid:\n%(problems)s", problems="\n".join(problems)))
        return super().confirm_coupon_programs(coupon_data)

    def add_loyalty_history_lines(self, coupon_data, coupon_updates):
        # The eWallet history the sync wrote is not written again.
        taken = self._randevu_credit_taken()
        if taken:
            id_mapping = {int(item["old_id"]): int(item["id"]) for item in coupon_updates}
            left = []
            for coupon in coupon_data:
                card_id = id_mapping.get(int(coupon["card_id"])) or int(coupon["card_id"])
                if card_id in taken:
                    issued, used = taken[card_id]
                    coupon = dict(coupon, won=max(coupon["won"] - issued, 0), spent=max(coupon["spent"] - used, 0))
                left.append(coupon)
            coupon_data = left
        return super().add_loyalty_history_lines(coupon_data, coupon_updates)

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

    def _randevu_assign_tips(self):
        """A tip chosen for nobody at the till is for the order's only performer (of its
        other lines); with several performers it stays unassigned for the manager."""
        for order in self:
            tips = order.lines.filtered(lambda line: line.randevu_is_tip and not line.randevu_employee_id)
            performers = (order.lines - order.lines.filtered("randevu_is_tip")).randevu_employee_id
            if tips and len(performers) == 1:
                tips.randevu_employee_id = performers

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
            refund_order._randevu_refund_courses()
        self.browse(order_id)._randevu_assign_tips()
        return order_id

    def refund(self):
        # The backend's Return Products: the same reason and manager's approval as at the
        # till, asked by a wizard (randevu.pos.refund.wizard) before the refund is made.
        return {
            "name": self.env._("Return Products"),
            "type": "ir.actions.act_window",
            "res_model": "randevu.pos.refund.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_ids": self.ids},
        }

    def _randevu_refund_approved(self, reason, approver):
        """Odoo's refund of the orders `self` (a draft refund order, paid back from its
        form), with the `reason` and the `approver` the wizard checked."""
        action = super().refund()
        refund = self.browse(action["res_id"])
        refund.randevu_refund_reason = reason
        # sudo: the approver is written by the server only (see _randevu_check_approval_write).
        refund.sudo().randevu_refund_approved_by_id = approver
        return action

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
        attempts = self.env["randevu.pos.pin.attempt"]
        attempt_id = attempts._randevu_start()
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
        attempts._randevu_forget(attempt_id)
        return managers_sudo.user_id

    def _randevu_refund_courses(self):
        """Refund lines of course products cancel the courses their line sold (see
        randevu.course._randevu_refund_from_lines)."""
        # sudo: any cashier refunds at the till; the course is the server's record.
        lines_sudo = self.sudo().lines.filtered(
            lambda line: line.refunded_orderline_id and line.product_id.randevu_course_service_id
        )
        if lines_sudo and self.state in ("paid", "done", "invoiced"):
            self.env["randevu.course"].sudo()._randevu_refund_from_lines(lines_sudo)

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
                    "randevu_attendee_id": origin.randevu_attendee_id.id,
                }
            )
            if origin.randevu_attendee_id and sum(origin.refund_orderline_ids.mapped("qty")) + origin.qty <= 0:
                origin.randevu_attendee_id.randevu_payment_state = "not_paid"
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
