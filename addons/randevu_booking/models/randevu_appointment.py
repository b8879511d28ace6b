import logging
from datetime import timedelta

from werkzeug.urls import url_encode

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import float_compare

from odoo.addons.randevu_calendar.const import (
    APPOINTMENT_CALLED_OFF_STATES,
    APPOINTMENT_EXPECTED_STATES,
    APPOINTMENT_HOLDING_STATES,
    HELD_TIME_FIELDS,
)
from odoo.addons.randevu_calendar.tools.cron_batches import run_batches

_logger = logging.getLogger(__name__)

# Longest comment of a review given on the portal.
REVIEW_COMMENT_MAX = 1000


class RandevuAppointment(models.Model):
    """What the customer portal does with an appointment: move it, cancel it, put it
    in a calendar. Called as superuser by the portal controller once it has checked
    that the visitor is the customer or holds the appointment's access token."""

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
            service, price = appointment.service_id, appointment.price
            if service.randevu_deposit_type == "fixed":
                amount = service.randevu_deposit_value
            elif service.randevu_deposit_type == "percent":
                amount = price * service.randevu_deposit_value / 100
            else:
                amount = 0.0
            if not amount and appointment.noshow_deposit_required:
                amount = appointment.company_id.randevu_noshow_deposit or price
            if price:
                amount = min(amount, price)
            currency = appointment.currency_id or self.env.company.currency_id
            appointment.randevu_deposit_amount = currency.round(amount)

    @api.depends("randevu_deposit_amount", "randevu_deposit_paid", "payment_state")
    def _compute_randevu_deposit_due(self):
        for appointment in self:
            due = appointment.randevu_deposit_amount - appointment.randevu_deposit_paid
            appointment.randevu_deposit_due = max(due, 0.0) if appointment.payment_state == "not_paid" else 0.0

    @api.depends("randevu_waitlist_id.access_token", "randevu_waitlist_id.offer_until")
    def _compute_msg_waitlist(self):
        for appointment in self:
            entry = appointment.randevu_waitlist_id
            if not entry:
                appointment.msg_waitlist_url = appointment.msg_waitlist_until = False
                continue
            query = url_encode({"access_token": entry.access_token or ""})
            appointment.msg_waitlist_url = f"{appointment.get_base_url()}{entry.access_url}?{query}"
            appointment.msg_waitlist_until = entry.offer_until and appointment._randevu_local_label(entry.offer_until)

    def mail_allowed_qweb_expressions(self):
        # The offer's link and end, for the waitlist templates (see randevu_calendar).
        return (*super().mail_allowed_qweb_expressions(), "object.msg_waitlist_url", "object.msg_waitlist_until")

    @api.depends("randevu_invoice_line_ids.move_id")
    def _compute_randevu_invoice_ids(self):
        for appointment in self:
            invoices = appointment.randevu_invoice_line_ids.move_id
            appointment.randevu_invoice_ids = invoices
            appointment.randevu_invoice_count = len(invoices)

    # ------------------------------------------------------------------ deposits
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

    def _randevu_to_notify(self):
        """Held bookings are confirmed to the customer once the deposit is paid, not before
        (an online booking is created held: see randevu.booking.service)."""
        to_notify = super()._randevu_to_notify()
        # Waitlist offers are confirmed once the customer accepts them.
        return to_notify.filtered(lambda appt: not appt._randevu_is_held() and not appt._randevu_is_offered())

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
            appointment.write(values)
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

    # ------------------------------------------------------------------ waitlist
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
                        Command.create(appointment._randevu_invoice_line_values()) for appointment in appointments
                    ],
                }
            )
        )

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
