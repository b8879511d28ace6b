from odoo.tests import HttpCase, tagged

from .common import InventoryCase


@tagged("post_install", "-at_install")
class TestOverviewLowStockTour(HttpCase, InventoryCase):
    """In the browser, the owner's overview shows the branch's products below their minimum
    and opens their list."""

    browser_size = "1440x900"

    def test_overview_low_stock_tour(self):
        owner = self.make_user("inv_owner", "randevu_calendar.group_randevu_manager", self.branch)
        owner.groups_id |= self.env.ref("stock.group_stock_user")
        self.env["stock.warehouse.orderpoint"].create(
            {
                "warehouse_id": self.warehouse.id,
                "location_id": self.stock.id,
                "product_id": self.cream.id,
                "product_min_qty": 2,
                "product_max_qty": 6,
                "company_id": self.branch.id,
            }
        )
        self.env["stock.warehouse.orderpoint"]._randevu_cron_stock_alerts()
        self.start_tour(
            f"/odoo/randevu-overview?branch_id={self.branch.id}",
            "randevu_inventory_overview_low_stock_tour",
            login=owner.login,
        )
