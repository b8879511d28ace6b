from odoo import api, models

# Tips (issue 13): the tip product's income account is a liability, "Tips Payable", so a
# tip is never revenue; the staff member it is for is the tip line's performer.
TIPS_ACCOUNT_CODE = "2190"


class PosConfig(models.Model):
    _inherit = "pos.config"

    @api.model_create_multi
    def create(self, vals_list):
        configs = super().create(vals_list)
        configs.filtered("iface_tipproduct")._randevu_setup_tips()
        return configs

    def write(self, vals):
        result = super().write(vals)
        if {"iface_tipproduct", "tip_product_id"} & set(vals):
            self.filtered("iface_tipproduct")._randevu_setup_tips()
        return result

    def _randevu_setup_tips(self):
        """Book the tips of these tills on a "Tips Payable" liability of their company
        (the root company's chart, shared by its branches): the tip product's income
        account, in each branch and in the root company. Idempotent."""
        for config in self.filtered("tip_product_id"):
            account = config._randevu_tips_account()
            product = config.tip_product_id
            for company in config.company_id | config.company_id.root_id:
                # sudo: the accounts of a product are the accountant's; a POS manager
                # turning tips on may not write them, and only this mapping is written.
                product_sudo = product.sudo().with_company(company)
                if product_sudo.property_account_income_id != account:
                    product_sudo.property_account_income_id = account

    def _randevu_tips_account(self):
        self.ensure_one()
        root = self.company_id.root_id
        # sudo: reading and creating the chart's account is the accountant's; this is
        # the one account tips are booked on, created once per chart.
        Account_sudo = self.env["account.account"].sudo().with_company(root)
        account_sudo = Account_sudo.search(
            [
                ("company_ids", "in", root.ids),
                ("account_type", "=", "liability_current"),
                ("name", "=", "Tips Payable"),
            ],
            limit=1,
        )
        if not account_sudo:
            account_sudo = Account_sudo.create(
                {
                    "name": "Tips Payable",
                    "code": Account_sudo._search_new_account_code(TIPS_ACCOUNT_CODE),
                    "account_type": "liability_current",
                    "company_ids": root.ids,
                    "reconcile": True,
                }
            )
        return self.env["account.account"].browse(account_sudo.id)
