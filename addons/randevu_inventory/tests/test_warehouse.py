from odoo.tests import tagged

from odoo.addons.randevu_calendar.tests.common import RandevuCase

from .. import post_init_hook


@tagged("post_install", "-at_install")
class TestBranchWarehouse(RandevuCase):
    def test_a_new_branch_gets_one_warehouse_and_a_consumption_location(self):
        branch = self._make_branch("Lyon", "Europe/Paris")
        warehouses = self.env["stock.warehouse"].search([("company_id", "=", branch.id)])
        self.assertEqual(len(warehouses), 1)
        location = branch.randevu_consumption_location_id
        self.assertEqual((location.usage, location.company_id), ("inventory", branch))

    def test_install_hook_is_idempotent_and_covers_existing_branches(self):
        # A branch without warehouse nor location (as before install): the hook gives it both, once.
        branch = self._make_branch("Nice", "Europe/Paris")
        self.env["stock.warehouse"].search([("company_id", "=", branch.id)]).write({"active": False})
        branch.randevu_consumption_location_id = False
        post_init_hook(self.env)
        post_init_hook(self.env)
        all_warehouses = self.env["stock.warehouse"].with_context(active_test=False)
        self.assertEqual(all_warehouses.search_count([("company_id", "=", branch.id)]), 1, "the archived one counts")
        self.assertEqual(
            self.env["stock.location"].search_count(
                [("company_id", "=", branch.id), ("name", "=", "Service Consumption")]
            ),
            2,
            "the hook created a new location once (the first one was unlinked from the branch)",
        )
        for company in self.env["res.company"].search([]):
            self.assertTrue(all_warehouses.search_count([("company_id", "=", company.id)]), company.name)
            self.assertTrue(company.randevu_consumption_location_id, company.name)
