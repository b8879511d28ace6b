from odoo import fields, models, tools

BUCKETS = [("0_30", "0-30"), ("31_60", "31-60"), ("61_90", "61-90"), ("90_plus", "90+")]


class RandevuReceivableAging(models.Model):
    """What customers owe, per branch, by age: one row per open receivable journal item
    (posted, not fully reconciled) of Accounting, read from account_move_line as it is
    (no ledger of our own). The age is the days since the item was due (its due date,
    else its date), counted today; not yet due counts as 0-30."""

    _name = "randevu.receivable.aging"
    _description = "Receivables Aging"
    _auto = False
    _order = "partner_id, date_maturity, id"
    _rec_name = "move_line_id"
    # Flushed before the view is read: what is due is always the journal's latest.
    _depends = {
        "account.move.line": [
            "move_id",
            "partner_id",
            "company_id",
            "account_id",
            "company_currency_id",
            "date",
            "date_maturity",
            "parent_state",
            "reconciled",
            "amount_residual",
        ],
        "account.account": ["account_type"],
    }

    move_line_id = fields.Many2one("account.move.line", string="Journal Item", readonly=True)
    move_id = fields.Many2one("account.move", string="Journal Entry", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", string="Branch", readonly=True)
    account_id = fields.Many2one("account.account", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date = fields.Date(readonly=True)
    date_maturity = fields.Date(string="Due Date", readonly=True)
    days_due = fields.Integer(readonly=True, aggregator="max")
    bucket = fields.Selection(BUCKETS, string="Age", readonly=True)
    amount_residual = fields.Monetary(string="Amount Due", readonly=True)
    amount_0_30 = fields.Monetary(string="0-30", readonly=True)
    amount_31_60 = fields.Monetary(string="31-60", readonly=True)
    amount_61_90 = fields.Monetary(string="61-90", readonly=True)
    amount_90_plus = fields.Monetary(string="90+", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE VIEW {self._table} AS (
                WITH items AS (
                    SELECT line.id,
                           line.move_id,
                           line.partner_id,
                           line.company_id,
                           line.account_id,
                           line.company_currency_id AS currency_id,
                           line.date,
                           line.date_maturity,
                           GREATEST(CURRENT_DATE - COALESCE(line.date_maturity, line.date), 0) AS days_due,
                           line.amount_residual
                      FROM account_move_line line
                      JOIN account_account account ON account.id = line.account_id
                     WHERE account.account_type = 'asset_receivable'
                       AND line.parent_state = 'posted'
                       AND NOT line.reconciled
                       AND line.amount_residual != 0
                )
                SELECT id,
                       id AS move_line_id,
                       move_id,
                       partner_id,
                       company_id,
                       account_id,
                       currency_id,
                       date,
                       date_maturity,
                       days_due,
                       CASE WHEN days_due <= 30 THEN '0_30'
                            WHEN days_due <= 60 THEN '31_60'
                            WHEN days_due <= 90 THEN '61_90'
                            ELSE '90_plus' END AS bucket,
                       amount_residual,
                       CASE WHEN days_due <= 30 THEN amount_residual ELSE 0 END AS amount_0_30,
                       CASE WHEN days_due > 30 AND days_due <= 60 THEN amount_residual ELSE 0 END AS amount_31_60,
                       CASE WHEN days_due > 60 AND days_due <= 90 THEN amount_residual ELSE 0 END AS amount_61_90,
                       CASE WHEN days_due > 90 THEN amount_residual ELSE 0 END AS amount_90_plus
                  FROM items
            )
            """
        )
