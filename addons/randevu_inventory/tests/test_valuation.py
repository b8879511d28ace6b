from odoo.tests import tagged

from .common import InventoryCase


@tagged("post_install", "-at_install")
class TestValuation(InventoryCase):
    """With Accounting (stock_account, installed with every addon by `make test`) and
    automated valuation, the write-off is Odoo's valuation entry at cost, from the stock
    account to the consumption location's expense account; the return reverses it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.valued = "stock.valuation.layer" in cls.env
        if cls.valued:
            cls._setup_valuation()

    @classmethod
    def _setup_valuation(cls):
        branch = cls.branch

        def account(code, name, kind):
            return cls.env["account.account"].create(
                {"code": code, "name": name, "account_type": kind, "company_ids": [(6, 0, branch.ids)]}
            )

        cls.valuation_account = account("RDV9101", "Stock valuation", "asset_current")
        cls.input_account = account("RDV9102", "Stock input", "asset_current")
        cls.output_account = account("RDV9103", "Stock output", "asset_current")
        cls.expense_account = account("RDV9601", "Cost of consumables", "expense")
        journal = cls.env["account.journal"].create(
            {"name": "Inventory valuation", "type": "general", "code": "STKV", "company_id": branch.id}
        )
        cls.fefo.with_company(branch).write(
            {
                "property_valuation": "real_time",
                "property_cost_method": "standard",
                "property_stock_valuation_account_id": cls.valuation_account.id,
                "property_stock_account_input_categ_id": cls.input_account.id,
                "property_stock_account_output_categ_id": cls.output_account.id,
                "property_stock_journal": journal.id,
            }
        )
        cls.consumption.write(
            {"valuation_in_account_id": cls.expense_account.id, "valuation_out_account_id": cls.expense_account.id}
        )
        cls.cream.with_company(branch).standard_price = 30

    def balances(self, moves):
        lines = moves.line_ids
        return {
            account.code: round(sum(lines.filtered(lambda line, a=account: line.account_id == a).mapped("balance")), 2)
            for account in lines.account_id
        }

    def test_write_off_and_return_are_valued_at_cost(self):
        if not self.valued:
            self.skipTest("stock_account is not installed (it is with every addon)")
        self.set_stock(self.cream, 2)
        appointment = self.book(self.at)
        appointment.action_done()
        picking = appointment.randevu_consumption_picking_id
        entries = self.env["account.move"].search([("stock_move_id", "in", picking.move_ids.ids)])
        self.assertEqual(entries.company_id, self.branch)
        self.assertEqual(entries.state, "posted")
        self.assertEqual(self.balances(entries), {"RDV9601": 1.8, "RDV9101": -1.8}, "60 ml of 30 a litre")
        appointment.action_randevu_reopen()
        back = self.env["account.move"].search([("stock_move_id", "in", picking.return_ids.move_ids.ids)])
        self.assertEqual(self.balances(back), {"RDV9601": -1.8, "RDV9101": 1.8})
        self.assertEqual(self.balances(entries | back), {"RDV9601": 0.0, "RDV9101": 0.0})
