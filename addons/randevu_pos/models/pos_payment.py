from odoo import models
from odoo.exceptions import UserError


class PosPayment(models.Model):
    _inherit = "pos.payment"

    def _randevu_check_payments(self):
        """What the server checks of a paid order's payments at sync."""
        self._randevu_check_settle_due()
        self._randevu_check_customer_account()
        self._randevu_check_deposits()

    def _randevu_check_customer_account(self):
        """A payment left on the customer's account (a method identifying the customer,
        without journal: pay later, deposits) needs the order's customer: refused here,
        before anything is saved, rather than at session closing."""
        on_account = self.filtered(
            lambda payment: (
                payment.payment_method_id.type == "pay_later"
                and payment.payment_method_id.split_transactions
                and not payment.pos_order_id.partner_id
            )
        )
        if on_account:
            raise UserError(
                self.env._(
                    "%(orders)s: choose the customer to leave the order on their account.",
                    orders=", ".join(order.pos_reference or order.name for order in on_account.pos_order_id),
                )
            )

    def _randevu_on_account(self):
        """Payments on the customer's account (pay later, identifying the customer),
        deposits left out."""
        return self.filtered(
            lambda payment: (
                payment.payment_method_id.type == "pay_later"
                and payment.payment_method_id.split_transactions
                and not payment.payment_method_id.randevu_deposit
            )
        )

    def _randevu_settlements(self):
        """Customer account payments of orders without lines: settling what the customer
        owes (the order is paid e.g. cash +X and customer account -X; closing debits the
        cash and credits the customer's receivable, nothing is revenue)."""
        return self._randevu_on_account().filtered(lambda payment: not payment.pos_order_id.lines)

    def _randevu_check_settle_due(self):
        """An order settling a customer's due (no lines, customer account payments)
        needs the customer, settles a positive amount, and at most what they owe at the
        order's branch (open receivable items and open sessions), unless the till's user
        is a POS manager. The customer's row is written first: two tills settling the
        same customer at once are checked one after the other."""
        for order in self._randevu_settlements().pos_order_id:
            name = order.pos_reference or order.name
            partner = order.partner_id.commercial_partner_id
            if not partner:
                raise UserError(self.env._("%(order)s settles a due: choose the customer.", order=name))
            settled = -sum(order.payment_ids._randevu_on_account().mapped("amount"))
            currency = order.currency_id
            if currency.compare_amounts(settled, 0) <= 0:
                raise UserError(
                    self.env._(
                        "%(order)s has no product: the customer account may only be settled on it, by a"
                        " negative amount.",
                        order=name,
                    )
                )
            # A write of the customer's row, not a mere lock: under REPEATABLE READ a second
            # till settling at once then fails to serialize (and its request is retried on
            # a fresh snapshot that sees this settlement) instead of reading a stale due.
            self.env.cr.execute("UPDATE res_partner SET write_date = write_date WHERE id = %s", [partner.id])
            due = partner._randevu_pos_due(order.company_id, exclude_orders=order).get(partner.id, 0.0)
            if currency.compare_amounts(settled, due) > 0 and not self.env.user.has_group(
                "point_of_sale.group_pos_manager"
            ):
                raise UserError(
                    self.env._(
                        "%(order)s settles %(settled)s, but %(customer)s owes %(due)s at %(branch)s;"
                        " only a POS manager may take more.",
                        order=name,
                        settled=currency.format(settled),
                        customer=partner.display_name,
                        due=currency.format(max(due, 0.0)),
                        branch=order.company_id.name,
                    )
                )

    def _randevu_check_deposits(self):
        """Payments of a deposit method (`randevu_deposit`) use the online deposits of
        their order's appointments: refused, naming the order, beyond what is left of
        those deposits (not deducted by an invoice or an earlier closing) or below zero
        on an order that refunds nothing."""
        deposits = self.filtered("payment_method_id.randevu_deposit")
        for order in deposits.pos_order_id:
            used = sum(deposits.filtered(lambda payment, order=order: payment.pos_order_id == order).mapped("amount"))
            # sudo: whoever is at the till may use the deposits of the order's
            # appointments, without reading appointments or journal items; only amounts
            # are read here.
            order_sudo = order.sudo()
            left = order_sudo.lines.randevu_appointment_id._randevu_deposit_left(order.currency_id)
            refund = bool(order_sudo.lines.refunded_orderline_id)
            if order.currency_id.compare_amounts(used, left) > 0 or (
                order.currency_id.compare_amounts(used, 0) < 0 and not refund
            ):
                raise UserError(
                    self.env._(
                        "%(order)s pays %(used)s with online deposits, but the deposits of its"
                        " appointments left to deduct are %(left)s.",
                        order=order.pos_reference or order.name,
                        used=order.currency_id.format(used),
                        left=order.currency_id.format(left),
                    )
                )
