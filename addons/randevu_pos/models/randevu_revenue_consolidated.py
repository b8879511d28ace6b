from odoo import api, fields, models
from odoo.tools import SQL

from .report_pos_order import PAID_ORDER_STATES


class RandevuRevenueConsolidated(models.Model):
    """Revenue of every branch in one currency: the lines of paid orders of Odoo's POS
    analysis (report.pos.order, amounts in the branch's currency), converted into the
    active company's currency at today's rates of the active company, through Odoo's
    currency table (res.currency._get_simple_currency_table, as account's invoice
    analysis does). One row per order line."""

    _name = "randevu.revenue.consolidated"
    _description = "Consolidated Revenue"
    _auto = False
    _order = "date desc"
    _rec_name = "order_id"
    # What the query reads, flushed before it (Odoo's report.pos.order view declares none).
    _depends = {
        "pos.order": ["date_order", "state", "company_id", "currency_rate"],
        "pos.order.line": ["order_id", "product_id", "price_subtotal", "price_subtotal_incl", "randevu_employee_id"],
        "product.template": ["is_appointment_service"],
        "res.company": ["currency_id"],
    }

    date = fields.Datetime(string="Order Date", readonly=True)
    order_id = fields.Many2one("pos.order", readonly=True)
    company_id = fields.Many2one("res.company", string="Branch", readonly=True)
    branch_currency_id = fields.Many2one("res.currency", readonly=True)
    branch_amount_untaxed = fields.Monetary(
        string="Untaxed (Branch Currency)", currency_field="branch_currency_id", readonly=True
    )
    branch_amount_total = fields.Monetary(
        string="Incl. Taxes (Branch Currency)", currency_field="branch_currency_id", readonly=True
    )
    randevu_employee_id = fields.Many2one("hr.employee", string="Performed By", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    randevu_is_service = fields.Boolean(string="Appointment Service", readonly=True)
    currency_rate = fields.Float(string="Rate", digits=(12, 6), aggregator="max", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount_untaxed = fields.Monetary(string="Untaxed Revenue", readonly=True)
    amount_total = fields.Monetary(string="Revenue incl. Taxes", readonly=True)

    @api.model
    def _currency_table(self):
        """Odoo's currency table of the active companies: per company, the factor from its
        currency to the active company's, at today's rates of the active company (1 when
        they all share one currency), from the rates as written so far in the transaction.

        The rows of res.currency._get_simple_currency_table, built by the same builders,
        but as a subquery: that helper writes them into a temporary table, which a
        read-only cursor (the web client's read_group is @api.readonly) may not create."""
        Currency = self.env["res.currency"]
        companies = self.env.companies
        if Currency._check_currency_table_monocurrency(companies):
            return Currency._get_monocurrency_currency_table_sql(companies)
        self.env["res.currency.rate"].flush_model(["name", "rate", "currency_id", "company_id"])
        main = self.env.company
        today = fields.Date.today()
        domestic = companies.filtered(lambda company: company.currency_id == main.currency_id)
        unit_factor = main.currency_id._get_rates(main, today)[main.currency_id.id]
        builders = [
            Currency._get_table_builder_domestic_currency(domestic, False),
            Currency._get_table_builder_current("period", main, companies - domestic, today, unit_factor),
        ]
        return SQL(
            "(%s) AS account_currency_table(company_id, period_key, date_from, date_next, rate_type, rate)",
            SQL(" UNION ALL ").join(SQL("(%s)", builder) for builder in builders),
        )

    @property
    def _table_query(self) -> SQL:
        return SQL(
            """
            SELECT
                line.id,
                line.date,
                line.order_id,
                line.company_id,
                company.currency_id AS branch_currency_id,
                line.price_subtotal_excl AS branch_amount_untaxed,
                line.price_total AS branch_amount_total,
                line.randevu_employee_id,
                line.product_id,
                line.randevu_is_service,
                account_currency_table.rate AS currency_rate,
                %(currency_id)s AS currency_id,
                line.price_subtotal_excl * account_currency_table.rate AS amount_untaxed,
                line.price_total * account_currency_table.rate AS amount_total
            FROM report_pos_order line
            JOIN res_company company ON company.id = line.company_id
            JOIN %(currency_table)s ON account_currency_table.company_id = line.company_id
            WHERE line.state IN %(states)s
            """,
            currency_id=self.env.company.currency_id.id,
            currency_table=self._currency_table(),
            states=PAID_ORDER_STATES,
        )

    @api.model
    def _consolidation_rates(self):
        """{company id: rate} of the active companies: the factors the rows are converted
        with, also for a branch without revenue."""
        self.env.cr.execute(
            SQL(
                "SELECT account_currency_table.company_id, account_currency_table.rate FROM %s",
                self._currency_table(),
            )
        )
        return {company_id: float(rate) for company_id, rate in self.env.cr.fetchall()}
