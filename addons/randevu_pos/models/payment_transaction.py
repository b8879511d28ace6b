from odoo import fields, models


class PaymentTransaction(models.Model):
    """A payment link for what a customer owes at a branch (res.partner's
    `_randevu_due_payment_link`): once done, Odoo posts the account.payment and it is
    reconciled with the customer's open receivable items at that branch."""

    _inherit = "payment.transaction"

    randevu_settle_due_company_id = fields.Many2one(
        "res.company",
        string="Settles Due At",
        readonly=True,
        copy=False,
        help="The branch whose open receivable items of the customer this payment settles.",
    )

    def _create_payment(self, **extra_create_values):
        payment = super()._create_payment(**extra_create_values)
        if self.randevu_settle_due_company_id and payment.state in ("in_process", "paid"):
            partner = self.partner_id.commercial_partner_id
            credits = payment.move_id.line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
            )
            debits = partner.with_company(self.randevu_settle_due_company_id)._randevu_open_receivable_lines()
            debits = debits.filtered(lambda line: line.account_id in credits.account_id)
            if credits and debits:
                (credits | debits).with_context(no_cash_basis=True).reconcile()
        return payment
