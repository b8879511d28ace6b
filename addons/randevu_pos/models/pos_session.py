from odoo import api, models


class PosSession(models.Model):
    _inherit = "pos.session"

    @api.model
    def _load_pos_data_models(self, config_id):
        models_to_load = super()._load_pos_data_models(config_id)
        # hr.employee: the performers of the lines (pos_hr loads it only for its cashiers);
        # randevu.appointment and randevu.attendee (class seats): nothing at start, read when the cashier picks one.
        extra = [
            name for name in ("hr.employee", "randevu.appointment", "randevu.attendee") if name not in models_to_load
        ]
        return models_to_load + extra

    def _create_pay_later_receivable_lines(self, data):
        # The customer's receivable items of deposit payments are created apart, one per
        # payment, so that closing can reconcile each with its online deposits; so are
        # those of settlements (orders without lines), reconciled with what was due.
        split = data.get("split_receivables_pay_later")
        deposits = {payment: amounts for payment, amounts in split.items() if payment.payment_method_id.randevu_deposit}
        settlements = {
            payment: amounts
            for payment, amounts in split.items()
            if payment in payment._randevu_settlements() and payment.amount < 0
        }
        for payment in (*deposits, *settlements):
            del split[payment]
        data = super()._create_pay_later_receivable_lines(data)
        MoveLine = data.get("MoveLine")
        data["randevu_deposit_receivable_lines"] = {
            payment: MoveLine.create(
                self._get_split_receivable_vals(payment, amounts["amount"], amounts["amount_converted"])
            )
            for payment, amounts in deposits.items()
        }
        data["randevu_settle_receivable_lines"] = MoveLine.create(
            [
                self._get_split_receivable_vals(payment, amounts["amount"], amounts["amount_converted"])
                for payment, amounts in settlements.items()
            ]
        )
        return data

    def _reconcile_account_move_lines(self, data):
        """After Odoo's reconciliations, each deposit payment's receivable item of the
        closing entry is reconciled with the online deposits' payments of its order's
        appointments (`_randevu_deposit_move_lines`): the sale is the revenue, the
        deposit paid part of it, and the customer owes nothing for it. In a fixed number
        of queries whatever the number of orders: the deposits of every appointment of
        the session are read at once, and reconciled in one plan."""
        data = super()._reconcile_account_move_lines(data)
        receivables = data.get("randevu_deposit_receivable_lines", {})
        if receivables:
            payments = self.env["pos.payment"].concat(*receivables)
            # One read for all: the per-order calls below find everything in the cache.
            payments.pos_order_id.lines.randevu_appointment_id._randevu_deposit_move_lines()
        groups = []  # receivable item with its deposits; groups sharing a deposit are merged
        for payment, line in receivables.items():
            deposits = payment.pos_order_id.lines.randevu_appointment_id._randevu_deposit_move_lines()
            deposits = deposits.filtered(
                lambda deposit, line=line: (
                    deposit.account_id == line.account_id
                    and deposit.partner_id == line.partner_id
                    and deposit.company_id.root_id == line.company_id.root_id
                )
            )
            if not (deposits and line.balance > 0 and not line.reconciled):
                continue
            group = line | deposits
            for other in [other for other in groups if other & group]:
                groups.remove(other)
                group |= other
            groups.append(group)
        if groups:
            self.env["account.move.line"].with_context(no_cash_basis=True)._reconcile_plan(groups)
        self._randevu_reconcile_settlements(data.get("randevu_settle_receivable_lines"))
        return data

    def _randevu_reconcile_settlements(self, lines):
        """Each settlement's credit on the customer's receivable (this closing's entry)
        is reconciled with their open receivable debits at the branch, oldest first
        (Odoo's reconcile), so that the settled items are paid and the aging shows what
        is still due."""
        for line in lines or []:
            if line.reconciled or line.balance >= 0:
                continue
            debits = self.env["account.move.line"].search(
                [
                    ("partner_id", "=", line.partner_id.id),
                    ("account_id", "=", line.account_id.id),
                    ("company_id", "=", line.company_id.id),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                    ("amount_residual", ">", 0),
                ],
                order="date_maturity, date, id",
            )
            if debits:
                (line | debits).with_context(no_cash_basis=True).reconcile()
