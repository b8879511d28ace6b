from odoo import api, fields, models


class AccountMove(models.Model):
    """Invoices of appointments: the deposits paid online are deducted once posted,
    and the appointments are paid once the invoice is."""

    _inherit = "account.move"

    randevu_appointment_ids = fields.Many2many(
        "randevu.appointment",
        string="Appointments",
        compute="_compute_randevu_appointment_ids",
    )

    @api.depends("invoice_line_ids.randevu_appointment_id")
    def _compute_randevu_appointment_ids(self):
        for move in self:
            move.randevu_appointment_ids = move.invoice_line_ids.randevu_appointment_id

    def _post(self, soft=True):
        """Posted customer invoices of appointments are reconciled with the deposits
        their customers paid online for them: what is left to pay is the price less
        the deposit."""
        posted = super()._post(soft=soft)
        for invoice in posted.filtered(lambda move: move.move_type == "out_invoice"):
            appointments = invoice.invoice_line_ids.randevu_appointment_id
            if appointments:
                invoice._randevu_deduct_deposits(appointments._randevu_deposit_move_lines())
        return posted

    def _randevu_deduct_deposits(self, deposit_lines):
        """Reconcile `deposit_lines` (customer payments' receivable lines) with this
        posted invoice, as the Outstanding Credits widget does, until it is paid."""
        self.ensure_one()
        receivable_accounts = self.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).account_id
        for line in deposit_lines.filtered(
            lambda line: line.account_id in receivable_accounts and line.company_id == self.company_id
        ):
            if self.currency_id.is_zero(self.amount_residual):
                break
            self.js_assign_outstanding_line(line.id)

    def _invoice_paid_hook(self):
        """An invoice of appointments paid in full: the appointments are paid."""
        result = super()._invoice_paid_hook()
        invoices = self.filtered(lambda move: move.move_type == "out_invoice")
        appointments = invoices.invoice_line_ids.randevu_appointment_id
        # Superuser: the payment status follows the invoice, whoever registers its payment
        # (an accountant need not be allowed to change appointments).
        appointments.sudo().filtered(lambda appt: appt.payment_state != "paid").payment_state = "paid"
        return result
