from datetime import timedelta

from odoo import api, fields, models


class ResCompany(models.Model):
    """The demo's stock: both demo branches stocked, the serum in two lots expiring apart."""

    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _randevu_inventory_demo_stock(self):
        branches = self.env.ref("randevu_calendar.randevu_branch_kadikoy") | self.env.ref(
            "randevu_calendar.randevu_branch_paris"
        )
        branches._randevu_ensure_warehouses()
        cream = self.env.ref("randevu_inventory.product_colour_cream")
        developer = self.env.ref("randevu_inventory.product_developer")
        serum = self.env.ref("randevu_inventory.product_serum_ampoule")
        today = fields.Datetime.now()
        vals_list = []
        for branch in branches:
            location = branch._randevu_warehouse().lot_stock_id
            lots = self.env["stock.lot"].create(
                [
                    {
                        "name": f"SER-{branch.id}-{suffix}",
                        "product_id": serum.id,
                        "company_id": branch.id,
                        "expiration_date": today + timedelta(days=days),
                    }
                    for suffix, days in (("A", 60), ("B", 240))
                ]
            )
            stock = ((cream, 5, False), (developer, 5, False), (serum, 10, lots[0].id), (serum, 20, lots[1].id))
            vals_list += [
                {
                    "product_id": product.id,
                    "location_id": location.id,
                    "lot_id": lot_id,
                    "inventory_quantity": quantity,
                }
                for product, quantity, lot_id in stock
            ]
        self.env["stock.quant"].with_context(inventory_mode=True).create(vals_list).action_apply_inventory()
        return True
