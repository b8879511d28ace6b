import logging
from datetime import timedelta

from werkzeug.urls import url_encode

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tools import float_compare
from odoo.tools import hmac as hmac_tool

from odoo.addons.randevu_calendar.const import APPOINTMENT_EXPECTED_STATES
from odoo.addons.randevu_calendar.tools.cron_batches import run_batches

_logger = logging.getLogger(__name__)


class RandevuAppointment(models.Model):
    """Deposits and prepayment of appointments (held while the customer pays, on any
    channel), their payments and invoices."""

    _inherit = "randevu.appointment"

    # ------------------------------------------------------------------ deposits (issue 5)
    randevu_deposit_amount = fields.Monetary(
        string="Deposit",
        compute="_compute_randevu_deposit_amount",
        store=True,
        readonly=False,
        precompute=True,
        copy=False,
        help="What the customer pays ahead: the service's deposit, or, for a customer over the branch's "
        "no-show limit, the branch's no-show deposit (else the price). Never more than the price.",
    )
    randevu_deposit_paid = fields.Monetary(
        string="Deposit Paid",
        readonly=True,
        copy=False,
        help="Paid online ahead of the appointment: deducted at checkout (till or invoice).",
    )
    randevu_deposit_due = fields.Monetary(string="Deposit Due", compute="_compute_randevu_deposit_due")
    randevu_hold_until = fields.Datetime(
        string="Held Until",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Booked online, waiting for the deposit: cancelled after this time when still unpaid.",
    )
    randevu_transaction_ids = fields.Many2many(
        "payment.transaction",
        "randevu_appointment_transaction_rel",
        "appointment_id",
        "transaction_id",
        string="Transactions",
        readonly=True,
        copy=False,
        groups="randevu_calendar.group_randevu_manager",
    )

    # ------------------------------------------------------------------ invoices (issue 5)
    randevu_invoice_line_ids = fields.One2many(
        "account.move.line",
        "randevu_appointment_id",
        string="Invoice Lines",
        readonly=True,
        copy=False,
        groups="account.group_account_invoice",
    )
    randevu_invoice_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        compute="_compute_randevu_invoice_ids",
        groups="account.group_account_invoice",
    )
    randevu_invoice_count = fields.Integer(
        string="Invoice Count", compute="_compute_randevu_invoice_ids", groups="account.group_account_invoice"
    )

    @api.depends("service_id", "price", "noshow_deposit_required")
    def _compute_randevu_deposit_amount(self):
        for appointment in self:
            appointment.randevu_deposit_amount = self._randevu_deposit_for(
                appointment.company_id or self.env.company,
                appointment.service_id,
                appointment.price,
                appointment.noshow_deposit_required,
            )

    @api.depends("randevu_deposit_amount", "randevu_deposit_paid", "payment_state")
    def _compute_randevu_deposit_due(self):
        for appointment in self:
            due = appointment.randevu_deposit_amount - appointment.randevu_deposit_paid
            appointment.randevu_deposit_due = max(due, 0.0) if appointment.payment_state == "not_paid" else 0.0

    @api.depends("randevu_invoice_line_ids.move_id")
    def _compute_randevu_invoice_ids(self):
        for appointment in self:
            invoices = appointment.randevu_invoice_line_ids.move_id
            appointment.randevu_invoice_ids = invoices
            appointment.randevu_invoice_count = len(invoices)

    # What payments record (_randevu_record_deposit, as the payment flow's superuser):
    # never set by hand through the API, whatever the role.
    _RANDEVU_PAYMENT_FIELDS = frozenset({"randevu_deposit_paid", "randevu_transaction_ids"})

    def _check_field_rights(self, vals):
        result = super()._check_field_rights(vals)
        if not self.env.su and self._RANDEVU_PAYMENT_FIELDS & set(vals):
            paid_before = any(self.mapped("randevu_deposit_paid"))
            if vals.get("randevu_deposit_paid") or vals.get("randevu_transaction_ids") or paid_before:
                raise AccessError(self.env._("Deposits are recorded by their payments, not by hand."))
        return result

    # ------------------------------------------------------------------ deposits
    @api.model
    def _randevu_deposit_for(self, branch, service, price, noshow_deposit_required=False):
        """The deposit rule, in one place: what a customer pays ahead for `service` at
        `price` at `branch`. The service's deposit (fixed, or a percentage of the
        price); without one, for a customer over the branch's no-show limit, the
        branch's no-show deposit, else the price. Never more than the price."""
        if service.randevu_deposit_type == "fixed":
            amount = service.randevu_deposit_value
        elif service.randevu_deposit_type == "percent":
            amount = price * service.randevu_deposit_value / 100
        else:
            amount = 0.0
        if not amount and noshow_deposit_required:
            amount = branch.randevu_noshow_deposit or price
        if price:
            amount = min(amount, price)
        return (branch.currency_id or self.env.company.currency_id).round(amount)

    @api.model
    def _randevu_hold_values(self, branch, service, partner, staff=None, values=None):
        """Whether an appointment about to be created is held for its deposit, decided
        before ``create``: the values to add to its create values (``state`` booked and
        ``randevu_hold_until``, the end of the branch's hold time), or an empty dict
        when it is not held, because no deposit is due (the rule of
        _randevu_deposit_for, on the price of `staff` for `service` and the no-show
        flag of `values`) or the branch cannot take a payment online.

        Any channel calls it (website, chat, till) with the `values` it creates the
        appointment with; the amount itself is the stored compute of the same rule.
        `partner` is the customer (unused by the rule today, kept for channel hooks).
        """
        values = values or {}
        if not service or not branch._randevu_deposits_payable():
            return {}
        staff = staff or self.env["hr.employee"]
        price = values["price"] if "price" in values else service._randevu_duration_price(staff)[1]
        deposit = self._randevu_deposit_for(branch, service, price, values.get("noshow_deposit_required"))
        if not branch.currency_id.compare_amounts(deposit, 0.0) > 0:
            return {}
        return {
            "state": "booked",
            "randevu_hold_until": fields.Datetime.now() + timedelta(minutes=branch.randevu_hold_minutes),
        }

    def _randevu_is_held(self):
        """Booked online and kept while the customer pays the deposit."""
        self.ensure_one()
        return bool(self.randevu_hold_until) and self.state == "booked" and self.payment_state == "not_paid"

    def _randevu_payable(self):
        """Whether the customer may pay the deposit online now."""
        self.ensure_one()
        return (
            self.state in APPOINTMENT_EXPECTED_STATES
            and self.start > fields.Datetime.now()
            and self.currency_id.compare_amounts(self.randevu_deposit_due, 0.0) > 0
        )

    def _randevu_payment_link(self):
        """The link that pays this appointment's deposit due, for any channel (an SMS,
        a chat, a QR code at the till): Odoo's payment page (``/payment/pay``, as the
        payment link wizard builds it) for the customer, the amount and the currency,
        signed with the payment access token, plus the appointment
        (``randevu_appointment_id``: see controllers/payment.py, which links the
        transaction to it). False when nothing can be paid online now.
        """
        self.ensure_one()
        if not self.partner_id or not self._randevu_payable():
            return False
        amount, currency = self.randevu_deposit_due, self.currency_id
        query = {
            "amount": amount,
            "currency_id": currency.id,
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "randevu_appointment_id": self.id,
            "access_token": self._randevu_payment_access_token(self.partner_id.id, amount, currency.id),
        }
        return f"{self.get_base_url()}/payment/pay?{url_encode(query)}"

    @api.model
    def _randevu_payment_access_token(self, *values):
        """payment.utils.generate_access_token without an HTTP request (a cron, a chat
        worker, the till): the same HMAC of the same values, so /payment/pay accepts it."""
        return hmac_tool(self.env(su=True), "generate_access_token", "|".join(str(value) for value in values))

    def _randevu_to_notify(self):
        """Held bookings are confirmed to the customer once the deposit is paid, not before
        (a booking is created held: see _randevu_hold_values)."""
        return super()._randevu_to_notify().filtered(lambda appt: not appt._randevu_is_held())

    def _randevu_payment_in_progress(self):
        """Whether a payment of this held booking is still being confirmed by its
        provider (a pending or authorized transaction), and there is time left to wait
        for it: until the appointment's start minus the branch's minimum notice, the
        last moment the same time could be booked online. The hold is kept meanwhile."""
        self.ensure_one()
        # Superuser: transactions are for managers; the cron and the pages only ask this.
        transactions = self.sudo().randevu_transaction_ids
        if not transactions.filtered(lambda tx: tx.state in ("pending", "authorized")):
            return False
        # Until the start is no longer in the branch's online window (its minimum notice).
        return self.start > self.company_id._randevu_online_window()[0]

    def _randevu_start_hold(self):
        """Hold those of `self` with a deposit due for the branch's hold time."""
        now = fields.Datetime.now()
        for appointment in self.filtered(lambda appt: appt.randevu_deposit_due):
            minutes = appointment.company_id.randevu_hold_minutes
            appointment.randevu_hold_until = now + timedelta(minutes=minutes)

    def _randevu_record_deposit(self, transaction):
        """Record the done `transaction` on these appointments: the amount is kept for
        checkout, a held booking is confirmed and the customer told. An appointment
        cancelled meanwhile (the hold expired) keeps the amount and a note for the
        staff to refund or rebook. Idempotent: only what is not yet paid is changed."""
        confirmed = self.browse()
        for appointment in self.filtered(lambda appt: appt.payment_state == "not_paid"):
            amount = transaction.amount if len(self) == 1 else appointment.randevu_deposit_due
            if transaction.currency_id != appointment.currency_id:
                appointment.message_post(
                    body=self.env._("Payment %s is in another currency: check the deposit.", transaction.reference)
                )
                continue
            paid = appointment.randevu_deposit_paid + amount
            values = {"randevu_deposit_paid": paid}
            enough = float_compare(
                paid, appointment.randevu_deposit_amount, precision_rounding=appointment.currency_id.rounding
            )
            if enough >= 0 and appointment.state != "cancelled":
                values["payment_state"] = "deposit"
            if appointment.state == "cancelled":
                appointment.message_post(
                    body=self.env._(
                        "The deposit (payment %s) arrived after the appointment was cancelled: "
                        "refund it or book the customer again.",
                        transaction.reference,
                    )
                )
            elif appointment._randevu_is_held() and "payment_state" in values:
                values.update(state="confirmed", randevu_hold_until=False)
                confirmed |= appointment
            # Superuser: only payments record deposits (see _check_field_rights), and the
            # transaction may be confirmed in any user's request (a poll, a webhook, a cron).
            appointment.sudo().write(values)
        confirmed._randevu_send_confirmations()
        return confirmed

    @api.model
    def _cron_cancel_expired_holds(self, batch_size=200, limit=None):
        """Cancel the online bookings whose deposit was not paid in time, freeing their
        time (cancelled appointments hold no segment). The customer was never told the
        booking was confirmed, so nobody is notified. A booking whose payment is still
        pending or authorized at its provider is kept until its start minus the branch's
        minimum notice (see _randevu_payment_in_progress); a failed or cancelled payment
        changes nothing.

        Batches of `batch_size` (at most `limit` per run), progress reported to the cron
        runner. Idempotent: a cancelled hold leaves the search. Returns the number cancelled.
        """
        # Superuser: the cron looks at every branch, whoever runs it.
        expired = self.sudo().search(
            [
                ("randevu_hold_until", "<=", fields.Datetime.now()),
                ("state", "=", "booked"),
                ("payment_state", "=", "not_paid"),
            ],
            order="randevu_hold_until, id",
        )
        # A payment still being confirmed by its provider keeps the hold (within bounds).
        expired = expired.filtered(lambda appt: not appt._randevu_payment_in_progress())
        todo = expired[:limit] if limit else expired
        reason = self.env._("Deposit not paid in time")

        def cancel(batch_ids):
            batch = self.sudo().browse(batch_ids).with_context(randevu_no_notify=True)
            batch.write({"state": "cancelled", "cancel_reason": reason})

        # Committed per batch outside tests (tools/cron_batches): each batch is complete
        # in itself and its appointments leave the search once cancelled.
        return run_batches(self.env, todo.ids, cancel, batch_size, total=len(expired), name="Expired holds")

    # ------------------------------------------------------------------ invoices
    def action_randevu_create_invoice(self):
        """Create Invoice (form button, list action): one customer invoice for these
        appointments, opened in its form."""
        invoice = self._randevu_create_invoice()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": invoice.id,
            "views": [(self.env.ref("account.view_move_form").id, "form")],
            "context": {"default_move_type": "out_invoice"},
        }

    def action_view_randevu_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        invoices = self.randevu_invoice_ids
        if len(invoices) == 1:
            action.update(views=[(self.env.ref("account.view_move_form").id, "form")], res_id=invoices.id)
        else:
            action["domain"] = [("id", "in", invoices.ids)]
        action["context"] = {"default_move_type": "out_invoice", "create": False}
        return action

    def _randevu_invoice_problems(self):
        """Why these appointments cannot be invoiced together (translated messages,
        one per rule broken), empty when they can."""
        if not self:
            return [self.env._("Select the appointments to invoice.")]
        problems = []

        def names(appointments):
            return ", ".join(appointments.mapped("display_name"))

        if cancelled := self.filtered(lambda appt: appt.state == "cancelled"):
            problems.append(self.env._("Cancelled appointments cannot be invoiced: %s.", names(cancelled)))
        if no_service := self.filtered(lambda appt: not appt.service_id):
            problems.append(self.env._("Blocked times have no service to invoice: %s.", names(no_service)))
        if no_customer := self.filtered(lambda appt: not appt.partner_id):
            problems.append(self.env._("These appointments have no customer to invoice: %s.", names(no_customer)))
        invoiced = self.env["account.move.line"].search(
            [
                ("randevu_appointment_id", "in", self.ids),
                ("move_id.move_type", "=", "out_invoice"),
                ("parent_state", "!=", "cancel"),
            ]
        )
        if invoiced:
            problems.append(
                self.env._(
                    "Already invoiced: %(appointments)s (%(invoices)s). Cancel the invoice first to invoice again.",
                    appointments=names(invoiced.randevu_appointment_id),
                    invoices=", ".join(invoiced.move_id.mapped("display_name")),
                )
            )
        if len(self.partner_id.commercial_partner_id) > 1:
            problems.append(self.env._("One invoice is for one customer: these appointments are for several."))
        if len(self.company_id) > 1:
            problems.append(self.env._("One invoice is for one branch: these appointments are at several."))
        return problems

    def _randevu_create_invoice(self):
        """A draft customer invoice in the branch's company for these appointments (one
        customer, one branch): one line per appointment, its service's product at the
        appointment's price with the product's taxes. Posting it deducts the deposits
        paid online (account.move._post).

        :raise UserError: with every reason they cannot be invoiced
        """
        problems = self._randevu_invoice_problems()
        if problems:
            raise UserError("\n".join(problems))
        branch = self.company_id
        appointments = self.sorted("start")
        return (
            self.env["account.move"]
            .with_company(branch)
            .create(
                {
                    "move_type": "out_invoice",
                    "company_id": branch.id,
                    "partner_id": appointments[:1].partner_id.id,
                    "invoice_origin": ", ".join(appointments.mapped("name")),
                    "invoice_line_ids": [
                        Command.create(values)
                        for appointment in appointments
                        for values in appointment._randevu_invoice_lines_values()
                    ],
                }
            )
        )

    def _randevu_invoice_lines_values(self):
        """The invoice lines of this appointment, in order: its service's line (see
        _randevu_invoice_line_values); randevu_booking_marketing adds the discount of the
        code it was booked with."""
        self.ensure_one()
        return [self._randevu_invoice_line_values()]

    def _randevu_invoice_line_values(self):
        """The invoice line of this appointment: its service's product at its price; the
        taxes are the product's (mapped by the invoice's fiscal position), computed by
        the line itself."""
        self.ensure_one()
        return {
            "product_id": self.service_id.product_variant_id.id,
            "name": self.env._(
                "%(service)s, %(when)s with %(staff)s",
                service=self.service_id.name,
                when=self._randevu_local_label(self.start),
                staff=self.employee_id.name,
            ),
            "quantity": 1.0,
            "price_unit": self.price,
            "randevu_appointment_id": self.id,
        }

    def _randevu_deposit_move_lines(self):
        """The receivable journal items of the deposits paid online for these
        appointments (the posted customer payments of their done transactions) that no
        invoice has deducted yet. Posting an invoice of the appointments deducts them;
        the till (randevu_pos) deducts the same ones at checkout."""
        # Superuser: the transactions are for managers only, while whoever does the
        # checkout must deduct them; only the payments' journal items are returned,
        # in the caller's environment.
        transactions_sudo = self.sudo().randevu_transaction_ids.filtered(
            lambda tx: tx.state == "done" and tx.operation != "validation"
        )
        lines_sudo = transactions_sudo.payment_id.move_id.line_ids.filtered(
            lambda line: (
                line.account_id.account_type == "asset_receivable"
                and line.parent_state == "posted"
                and not line.reconciled
            )
        )
        return lines_sudo.with_env(self.env)
