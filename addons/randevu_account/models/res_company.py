from odoo import api, fields, models


class ResCompany(models.Model):
    """A branch's deposit settings, and whether it can take a payment online."""

    _inherit = "res.company"

    randevu_hold_minutes = fields.Integer(
        string="Deposit Hold (minutes)",
        default=15,
        help="An online booking that asks for a deposit keeps its time this long while the customer pays; "
        "unpaid after that, it is cancelled and the time is free again.",
    )
    randevu_noshow_deposit = fields.Monetary(
        string="No-show Deposit",
        currency_field="currency_id",
        help="What a customer over the no-show limit pays when booking a service without a deposit of its own. "
        "0: the service's price.",
    )

    _sql_constraints = [
        ("randevu_hold_minutes_positive", "CHECK(randevu_hold_minutes > 0)", "A deposit hold lasts at least a minute."),
        ("randevu_noshow_deposit_positive", "CHECK(randevu_noshow_deposit >= 0)", "A deposit cannot be negative."),
    ]

    def _randevu_deposits_payable(self):
        """Whether customers can pay a deposit online at this branch: a payment provider
        enabled (or in test mode) and published for it."""
        self.ensure_one()
        Provider = self.env["payment.provider"]
        return bool(
            Provider.search_count(
                [
                    *Provider._check_company_domain(self),
                    ("state", "in", ("enabled", "test")),
                    ("is_published", "=", True),
                ],
                limit=1,
            )
        )

    @api.model
    def _randevu_demo_load_charts(self, branch_ids):
        """Demo data only: Odoo's generic chart of accounts in each of the companies
        `branch_ids` that has none (the demo branches are companies of their own, each in
        its currency), so that deposits and invoices post there. Idempotent."""
        for branch in self.browse(branch_ids).exists():
            if not branch.chart_template:
                currency, country = branch.currency_id, branch.country_id
                # _load, not try_loading: the registry is still loading demo data here.
                self.env["account.chart.template"]._load("generic_coa", branch, install_demo=False)
                # The generic chart is American: it sets USD and the United States.
                branch.write({"currency_id": currency.id, "account_fiscal_country_id": country.id})

    @api.model
    def _randevu_setup_demo_payment_provider(self, branch_ids):
        """Demo data only: Odoo's demo provider (payment_demo), in test mode and
        published, in each of the branches `branch_ids`, so that services with a deposit
        are offered and paid with its fake form. Providers are matched to the exact
        company, so each branch gets its own copy of it. Does nothing without
        payment_demo; idempotent.

        :return: the branches' demo providers
        """
        demo = self.env.ref("payment.payment_provider_demo", raise_if_not_found=False)
        providers = self.env["payment.provider"]
        if not demo or demo.code != "demo":
            return providers  # payment_demo is not installed
        for branch in self.browse(branch_ids).exists():
            provider = providers.search([("code", "=", "demo"), ("company_id", "=", branch.id)], limit=1)
            if not provider:
                provider = demo.copy({"name": demo.name, "company_id": branch.id})
            provider.write({"state": "test", "is_published": True})
            providers |= provider
        return providers
