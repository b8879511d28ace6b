from odoo.addons.randevu_inventory.tests.common import InventoryCase


class PurchaseProposalCase(InventoryCase):
    """InventoryCase with a second branch (Kadikoy) and a developer kept by the millilitre
    and bought by the litre from a vendor (Buy route, price for every branch), with a
    minimum of 200 ml and a maximum of 1000 ml in both branches, 240 ml in stock in each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kadikoy = cls._make_branch("Kadıköy", "Europe/Istanbul")  # noqa: RUF001
        cls.kadikoy_stock = cls.kadikoy._randevu_warehouse().lot_stock_id
        cls.vendor = cls.env["res.partner"].create({"name": "Test Pro Supplies", "is_company": True})
        cls.developer = cls.env["product.product"].create(
            {
                "name": "Test developer",
                "is_storable": True,
                "uom_id": cls.ml.id,
                "uom_po_id": cls.litre.id,
                "standard_price": 0.012,
                "route_ids": [(6, 0, cls.env.ref("purchase_stock.route_warehouse0_buy").ids)],
                "seller_ids": [(0, 0, {"partner_id": cls.vendor.id, "price": 12, "company_id": False})],
            }
        )
        rules = cls.env["stock.warehouse.orderpoint"]
        cls.kadikoy_rule, cls.paris_rule = rules.create(
            [
                {
                    "warehouse_id": branch._randevu_warehouse().id,
                    "location_id": branch._randevu_warehouse().lot_stock_id.id,
                    "product_id": cls.developer.id,
                    "product_min_qty": 200,
                    "product_max_qty": 1000,
                    "company_id": branch.id,
                    "trigger": "manual",
                }
                for branch in (cls.kadikoy, cls.branch)
            ]
        )
        for location in (cls.kadikoy_stock, cls.stock):
            cls.set_stock(cls, cls.developer, 240, location=location)

    def run_alerts(self):
        self.env["stock.warehouse.orderpoint"]._randevu_cron_stock_alerts()

    def proposed_lines(self, orderpoint):
        return self.env["purchase.order.line"].search([("orderpoint_id", "=", orderpoint.id)])

    def use(self, quantity, location):
        """Write `quantity` ml of the developer off `location`."""
        self.set_stock(self.developer, -quantity, location=location)
