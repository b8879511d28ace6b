from odoo import api, fields, models


class PosPaymentMethod(models.Model):
    _inherit = "pos.payment.method"

    randevu_deposit = fields.Boolean(
        string="Online Deposits",
        help="Pays with the deposits the customer paid online for the order's appointments: "
        "never more than those deposits not deducted yet; at session closing its receivable "
        "items are reconciled with the deposits' payments. Added by the till, not chosen by the cashier.",
    )

    _sql_constraints = [
        (
            "randevu_deposit_customer_account",
            "CHECK(NOT randevu_deposit OR (split_transactions AND journal_id IS NULL))",
            "A deposit payment method has no journal and identifies the customer (a customer account).",
        ),
    ]

    @api.model
    def _load_pos_data_fields(self, config_id):
        return [*super()._load_pos_data_fields(config_id), "randevu_deposit"]
