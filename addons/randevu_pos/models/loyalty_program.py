from odoo import api, models

# The liability account holding customers' prepaid money (eWallet top-ups, gift cards sold).
CREDIT_ACCOUNT_CODE = "419900"
PREPAID_PROGRAMS = ("ewallet", "gift_card")


class LoyaltyProgram(models.Model):
    _inherit = "loyalty.program"

    @api.model_create_multi
    def create(self, vals_list):
        programs = super().create(vals_list)
        programs._randevu_setup_credit_accounts()
        return programs

    @api.model
    def _randevu_credit_account(self, company):
        """The "Customer credit" liability account of `company`'s chart (the root
        company's: branches share it), created the first time; False without a chart."""
        root = company.root_id
        if not root.chart_template:
            return self.env["account.account"]
        # sudo: a POS manager sets up a program, the chart belongs to the accountant.
        accounts_sudo = self.env["account.account"].sudo().with_company(root)
        account = accounts_sudo.search(
            [*accounts_sudo._check_company_domain(root), ("code", "=", CREDIT_ACCOUNT_CODE)], limit=1
        )
        if not account:
            account = accounts_sudo.create(
                {
                    "name": self.env._("Customer credit"),
                    "code": CREDIT_ACCOUNT_CODE,
                    "account_type": "liability_current",
                    "company_ids": [(6, 0, root.ids)],
                }
            )
        return account

    def _randevu_setup_credit_accounts(self):
        """Money paid into an eWallet or for a gift card is owed to the customer, not
        earned: the programs' products (the top-up / gift card sold, and the reward
        line paying with it) book to the "Customer credit" liability account, without
        tax, for every company of the program's chart. A top-up then credits the
        liability and paying from it debits it; revenue is booked on what is sold."""
        programs = self.filtered(lambda program: program.program_type in PREPAID_PROGRAMS)
        if not programs:
            return
        for program in programs:
            # sudo: the branches of the chart (every company for a programme shared by all),
            # whatever the current user's companies.
            companies_sudo = self.env["res.company"].sudo()
            if program.company_id:
                all_companies = companies_sudo.search([("id", "child_of", program.company_id.root_id.ids)])
            else:
                all_companies = companies_sudo.search([])
            # sudo: product accounts are the accountant's; the program's manager sets them once.
            products_sudo = (program.trigger_product_ids | program.reward_ids.discount_line_product_id).sudo()
            products_sudo.product_tmpl_id.write({"taxes_id": [(5, 0, 0)]})
            for company in all_companies:
                account = self._randevu_credit_account(company)
                if account:
                    products_sudo.product_tmpl_id.with_company(company).property_account_income_id = account

    @api.model
    def _randevu_setup_all_credit_accounts(self):
        """Setup helper (run at install, and again after a chart is installed):
        every eWallet and gift card program books to "Customer credit"."""
        self.search([("program_type", "in", PREPAID_PROGRAMS)])._randevu_setup_credit_accounts()
